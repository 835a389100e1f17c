"""The flower-equivalency rules of ``001_0f6da1db91b12d45.txt``, one :class:`Rule` each.

Every change the engine makes names one of these, so a compliance officer reading a change record can find the
paragraph of the source behind it. The test suite has a test named after each rule (``test_rule_<code>``).
"""

from __future__ import annotations

from typing import Final

from .explain import Rule

__all__ = ["ALL_RULES", "SEED_FE"]

SEED_FE: Final = "001_0f6da1db91b12d45.txt"


def _rule(code: str, summary: str, section: str) -> Rule:
    return Rule(code=code, summary=summary, source=SEED_FE, section=section)


RATIO: Final = _rule(
    "ratio",
    "the ratio is the equivalent flower amount divided by the category amount; FE = based-on value x ratio",
    "Category amount, equivalent flower amount, and ratio",
)
SPECIFIC_CUSTOMER_TYPE_WINS: Final = _rule(
    "specific_customer_type_wins",
    "a definition for the customer's own type (medical or recreational) is used before one for All",
    "Purchase limit category and customer type",
)
NO_DEFINITION_MANUAL: Final = _rule(
    "no_definition_manual",
    "a purchase-limit category without a definition does not calculate; its FE is entered manually",
    "Assign product categories to purchase limit categories",
)
UNMAPPED_CATEGORY_MANUAL: Final = _rule(
    "unmapped_category_manual",
    "a product category without a purchase-limit category does not calculate; its FE is entered manually",
    "Assign product categories to purchase limit categories",
)
ALIASES: Final = _rule(
    "aliases",
    "state names for a purchase-limit category are aliases of the POS name (Cartridges = Combined Inhalable)",
    "Purchase limit category and customer type",
)
SHARED_BY_LSP: Final = _rule(
    "shared_by_lsp",
    "definitions are shared by every location of the LSP",
    "Things to know",
)
VIEW_PERMISSION: Final = _rule(
    "view_permission",
    "viewing definitions needs the View Flower Equivalency Definition permission",
    "Things to know",
)
EDIT_PERMISSION: Final = _rule(
    "edit_permission",
    "creating, editing, deleting and applying definitions needs the Edit Flower Equivalency Definition permission",
    "Things to know; Apply calculations to all products or packages",
)
FEATURE_OFF: Final = _rule(
    "feature_off",
    "with Use Flower Equivalency Definition off, nothing is calculated",
    "Things to know",
)
ENABLE_PRESERVES: Final = _rule(
    "enable_preserves",
    "turning the feature on keeps every existing FE value",
    "Things to know",
)
BOTH_MED_AND_REC: Final = _rule(
    "both_med_and_rec",
    "with Use both Med and Rec Flower Equiv, medical and recreational FE fields calculate from their own definitions",
    "Purchase limit category and customer type",
)
CALC_ON_CREATE: Final = _rule(
    "calc_on_create",
    "a new catalog product calculates its FE from its catalog-level based-on field",
    "How calculations are applied to products and inventory",
)
CALC_ON_RECEIVE: Final = _rule(
    "calc_on_receive",
    "a received package calculates its FE from its package-level based-on field",
    "How calculations are applied to products and inventory",
)
CALC_ON_BASED_ON_EDIT: Final = _rule(
    "calc_on_based_on_edit",
    "entering or editing the based-on field recalculates the FE at that level",
    "How calculations are applied to products and inventory",
)
MANUAL_OVERRIDE_KEPT: Final = _rule(
    "manual_override_kept",
    "a manually entered FE is kept until the based-on field is edited again",
    "Category amount, equivalent flower amount, and ratio",
)
POTENCY_LAB_FALLBACK: Final = _rule(
    "potency_lab_fallback",
    "a potency-based package FE uses the lab-result THC, or the catalog THC content when there is none",
    "How calculations are applied to products and inventory (Potency)",
)
POTENCY_NOT_EDITABLE: Final = _rule(
    "potency_not_editable",
    "a package's potency is derived from its lab results and cannot be edited",
    "How calculations are applied to products and inventory (Potency)",
)
THC_PERCENT_VIA_NET_WEIGHT: Final = Rule(
    code="thc_percent_via_net_weight",
    summary="a THC content written as a percentage becomes a THC mass through the net weight of the same level",
    source="fe-compliance decision (docs/engine.md, Potency)",
)
NET_WEIGHT_VARIES: Final = _rule(
    "net_weight_varies",
    "net-weight based FE is computed per package from that package's own net weight",
    "How calculations are applied to products and inventory (Package net weight)",
)
REQUIRED_GRAMS_CONCENTRATION: Final = _rule(
    "required_grams_concentration",
    "grams/concentration is required at catalog and inventory level for grams-based definitions",
    "How calculations are applied to products and inventory (Grams/concentration)",
)
REQUIRED_CONFIGURED: Final = _rule(
    "required_configured",
    "net weight, THC content and FE fields are required for cannabis products when configured so",
    "How calculations are applied to products and inventory; Purchase limit category and customer type",
)
PRE_EXISTING_PRESERVED: Final = _rule(
    "pre_existing_preserved",
    "an FE entered before calculations were enabled is kept until its based-on field is edited",
    "Pre-existing products and packages",
)
DEFINITION_EDIT_NO_EFFECT: Final = _rule(
    "definition_edit_no_effect",
    "editing a definition changes no existing FE",
    "Pre-existing products and packages",
)
DEFINITION_CREATE_FILLS_BLANKS: Final = _rule(
    "definition_create_fills_blanks",
    "creating a definition fills every blank FE of its category, in the catalog and in inventory",
    "Pre-existing products and packages",
)
REASSIGN_FILLS_BLANK: Final = _rule(
    "reassign_fills_blank",
    "moving a product with a blank FE to a category with a definition fills its FE",
    "Pre-existing products and packages",
)
APPLY_TO_CATALOG: Final = _rule(
    "apply_to_catalog",
    "Apply to Catalog overwrites the FE of every catalog product of the category",
    "Apply calculations to all products or packages",
)
APPLY_TO_INVENTORY: Final = _rule(
    "apply_to_inventory",
    "Apply to Inventory overwrites the FE of every package of the category",
    "Apply calculations to all products or packages",
)
DELETE_KEEPS_VALUES: Final = _rule(
    "delete_keeps_values",
    "deleting a definition removes no FE value but stops future calculation",
    "Delete flower equivalency calculations",
)
CATALOG_DEFAULTS: Final = _rule(
    "catalog_defaults",
    "catalog values are defaults for the packages of the product",
    "How calculations are applied to products and inventory",
)
PACKAGE_FE_FOR_LIMITS: Final = _rule(
    "package_fe_for_limits",
    "only the package-level FE counts for purchase-limit enforcement and allotments",
    "How calculations are applied to products and inventory",
)

ALL_RULES: Final[tuple[Rule, ...]] = tuple(
    value for name, value in sorted(globals().items()) if isinstance(value, Rule) and name.isupper()
)
"""Every rule above, for docs generation and for the test that each has a test."""
