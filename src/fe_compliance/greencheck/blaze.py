"""Blaze: custom grams, then the weight tier sold for weight-based products, then milligrams of THC for
unit-based products (seed 003, "Blaze")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import AllOf, AnyOf, FieldIs, LineQuantity, Not, Tier, Weight
from .tiers import TierConvention, TierSize
from .vendor import VendorSpec, seed_rule

__all__ = ["CUSTOM_GRAMS", "UNIT_BASED", "VENDOR", "WEIGHT_BASED", "WEIGHT_KEY_TIERS", "WEIGHT_PER_UNIT_TIERS"]

_REF = "vendor-fields.md (Blaze Partner API swagger, confirmed)"

WEIGHT_PER_UNIT_TIERS: Final[Mapping[str, TierSize | tuple[TierSize, TierConvention]]] = {
    "HALF_GRAM": TierSize.HALF_GRAM,
    "FULL_GRAM": TierSize.GRAM,
    "TWO_GRAMS": TierSize.TWO_GRAMS,
    "EIGHTH": TierSize.EIGHTH,
    "FOURTH": TierSize.QUARTER,
    "HALF_OUNCE": TierSize.HALF_OUNCE,
    "OUNCE": TierSize.OUNCE,
    "POUND": TierSize.POUND,
}
"""Blaze's ``weightPerUnit`` enum (product and cart item) -> size. ``EACH``, ``CUSTOM_GRAMS`` and ``FLUID_OZ``
(a volume) are not weight tiers."""

WEIGHT_KEY_TIERS: Final[Mapping[str, TierSize | tuple[TierSize, TierConvention]]] = {
    "MILLIGRAM": TierSize.MILLIGRAM,
    "HALF_GRAM": TierSize.HALF_GRAM,
    "GRAM": TierSize.GRAM,
    "TWO_GRAMS": TierSize.TWO_GRAMS,
    "THREE_GRAMS": TierSize.THREE_GRAMS,
    "ONE_EIGHTTH": TierSize.EIGHTH,  # sic: Blaze's spelling
    "ONE_EIGHTH": TierSize.EIGHTH,
    "QUARTER": TierSize.QUARTER,
    "HALF": TierSize.HALF_OUNCE,
    "OUNCE": TierSize.OUNCE,
    "POUND": TierSize.POUND,
    "METRC_ONE_EIGHTH": (TierSize.EIGHTH, TierConvention.AVOIRDUPOIS),
    "METRC_QUARTER": (TierSize.QUARTER, TierConvention.AVOIRDUPOIS),
    "METRC_OUNCE": (TierSize.OUNCE, TierConvention.AVOIRDUPOIS),
}
"""Blaze's cart-item ``weightKey`` enum -> size. The ``METRC_`` keys always mean fractions of the exact ounce.
``UNIT``, ``CUSTOM`` and ``FLUID_OZ`` are not weight tiers."""

_NOT_TIERS: Final = ("EACH", "UNIT", "CUSTOM", "CUSTOM_GRAMS", "FLUID_OZ")

CUSTOM_GRAMS = AnyOf(
    FieldIs(Record.PRODUCT, "weightPerUnit", equals=("CUSTOM_GRAMS",)),
    FieldIs(Record.SALE_LINE, "weightKey", equals=("CUSTOM",)),
)
WEIGHT_BASED = FieldIs(Record.PRODUCT, "category.unitType", equals=("grams",))
UNIT_BASED = FieldIs(Record.PRODUCT, "category.unitType", equals=("units",))
_TIER_SOLD = AllOf(WEIGHT_BASED, Not(CUSTOM_GRAMS))
"""The seed's "not a 'Custom Grams' product and is weight-based": a custom-grams product never falls back to a tier."""

VENDOR = VendorSpec(
    slug="blaze",
    name="Blaze",
    rule=seed_rule(
        "blaze", "Blaze",
        ("Blaze grams: a custom-grams product's custom weight; else, if weight-based, the weight tier "
         "sold; else, if unit-based, the milligrams of THC"),
    ),
    summary=(
        "A product marked as custom grams is weighed by its custom weight, in the custom unit beside it. "
        "Otherwise Blaze's category says whether the product is sold by weight or by unit: a weight-based product "
        "is weighed by the tier sold (half gram, gram, eighth, quarter, half ounce, ounce ...), a unit-based one "
        "by the milligrams of THC in its potency section. Every value is per unit and multiplied by the line's "
        "quantity. What an eighth weighs follows the caller's tier convention (3.5 g by default)."
    ),
    records={
        Record.PRODUCT: "the Blaze product (Partner API product)",
        Record.SALE_LINE: "one cart item of a Blaze transaction (`cart.items[]`)",
    },
    fields=(
        FieldDoc("weightPerUnit", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the product's tier (EIGHTH, FULL_GRAM ...) or CUSTOM_GRAMS"),
        FieldDoc("customWeight", Record.PRODUCT, Confidence.CONFIRMED, _REF, "the custom weight of one unit"),
        FieldDoc("customGramType", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "unit of customWeight: GRAM, MILLIGRAM, OUNCE (MILLILITER and FLUID_OUNCE are volumes)"),
        FieldDoc("category.unitType", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "\"grams\" (weight-based) or \"units\" (unit-based); `byGram` is not this flag"),
        FieldDoc("potencyAmount.thc", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "milligrams of THC in one unit (unit-based products)"),
        FieldDoc("weightKey", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the tier sold (GRAM, ONE_EIGHTTH, METRC_ONE_EIGHTH ...) or UNIT / CUSTOM"),
        FieldDoc("weightPerUnit", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the tier sold, as the samples carry it when weightKey is UNIT"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.CONFIRMED, _REF, "units of the tier sold"),
    ),
    steps=(
        Weight("custom grams", Record.PRODUCT, "customWeight", Basis.CUSTOM_WEIGHT, unit_field="customGramType",
               when=CUSTOM_GRAMS),
        Tier("weight tier sold (weightKey)", Record.SALE_LINE, "weightKey", Basis.WEIGHT_SOLD, WEIGHT_KEY_TIERS,
             not_tiers=_NOT_TIERS, when=_TIER_SOLD),
        Tier("weight tier sold (line weightPerUnit)", Record.SALE_LINE, "weightPerUnit", Basis.WEIGHT_SOLD,
             WEIGHT_PER_UNIT_TIERS, not_tiers=_NOT_TIERS, when=_TIER_SOLD),
        Tier("weight tier of the product", Record.PRODUCT, "weightPerUnit", Basis.WEIGHT_SOLD, WEIGHT_PER_UNIT_TIERS,
             not_tiers=_NOT_TIERS, when=_TIER_SOLD),
        Weight("milligrams of THC", Record.PRODUCT, "potencyAmount.thc", Basis.THC, unit="mg", when=UNIT_BASED),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "\"Custom Grams\" is the product's `weightPerUnit` CUSTOM_GRAMS (or the cart item's `weightKey` CUSTOM). "
        "The custom weight is read in `customGramType`; a missing type is skipped rather than assumed to be grams, "
        "and MILLILITER / FLUID_OUNCE are volumes, skipped, never converted.",
        "Weight- vs unit-based is `category.unitType` (\"grams\" / \"units\"). When it is missing the seed's "
        "question cannot be answered, so neither the tier nor the THC step applies and the line has no grams.",
        "The tier sold is read only for a product that is not custom grams, as the seed says (\"not a 'Custom "
        "Grams' product and is weight-based\"): a custom-grams product whose custom weight cannot be read (missing, "
        "0, or in MILLILITER / FLUID_OUNCE) does not fall back to a tier on the line, which would weigh it by a size "
        "it was not sold in. The seed puts no such condition on the THC step, so a unit-based custom-grams product "
        "without a usable custom weight is weighed by its milligrams of THC.",
        "The tier sold is read from the cart item first (`weightKey`, then the item's `weightPerUnit`, where the "
        "samples carry the tier when `weightKey` is UNIT), then from the product's `weightPerUnit`.",
        "FOURTH, QUARTER and HALF are fractions of an ounce. The METRC_ keys always mean fractions of the exact "
        "ounce (they exist to differ from the trade tiers); every other ounce fraction follows the caller's "
        "`tier_convention`. Trade pound: 448 g (16 x 28 g); avoirdupois: 453.59237 g.",
        "`potencyAmount.thc` is read as milligrams per unit. The product's top-level `thc` (a potency percentage) "
        "is not a weight and is not read.",
        "Every value is per unit and multiplied by the cart item's `quantity`.",
    ),
)
