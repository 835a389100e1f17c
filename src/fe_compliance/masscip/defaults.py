"""The default MassCIP category table, entry by entry, with the evidence for each.

What is firm: seed ``000_ccfae62b51cd6f41.txt`` says each Metrc category maps to a MassCIP category and that MassCIP
multiplies non-flower categories (it names concentrates, infused products and suppositories) by 5.3. Issue 4 sorts
the kinds: flower (x1) is buds, shake/trim and flower pre-rolls; x5.3 is concentrates (kief, vape oil and cartridges
included), infused edible and non-edible products, tinctures and suppositories.

What is not firm is how Massachusetts' Metrc *spells* its categories. No first-party MA category list was found
(``GET /items/v1/categories`` for MA was not available to this project), so only the spellings stated by the
project's own sources are ``CONFIRMED``; every other spelling is ``UNCONFIRMED`` and carries the place it was seen.
Where the sources leave the MassCIP category itself open (infused pre-rolls, topicals, plants, clones and seeds) the
entry is a ``DECISION`` whose note gives the reasoning. ``DEFAULT_TABLE.flagged()`` lists all of them.
"""

from __future__ import annotations

from typing import Final

from .rules import SEED
from .table import CategoryEntry, CategoryTable, MassCIPCategory, MetrcField, Status

__all__ = ["DEFAULT_TABLE"]

_FLOWER = MassCIPCategory.FLOWER
_NON_FLOWER = MassCIPCategory.NON_FLOWER
_NOT_COUNTED = MassCIPCategory.NOT_COUNTED
_TYPE = MetrcField.PRODUCT_CATEGORY_TYPE
_NAME = MetrcField.CATEGORY_NAME
_BOTH = MetrcField.PRODUCT_CATEGORY_TYPE | MetrcField.CATEGORY_NAME

# Citations, written once.
_ISSUE = "issue 4 (MassCIP counting rule)"
_REF = "reference/metrc-api.md, 'Items, categories, units'"
_METRC_SAMPLE = (
    "Metrc API documentation sample of GET /items/v1/categories, as carried in cannlytics/cannlytics "
    "cannlytics/metrc/constants.py"
)
_PCT_CODE = (
    "ProductCategoryType values in public open-source Metrc POS code (a product-type model enumerating Buds, "
    "ShakeTrim, Plants, Other, InfusedNonEdible, InfusedEdible, Concentrate, NonCannabis)"
)
_CA_NAMES = (
    "Metrc item category names of California, as listed in houstonblockchain/dLedgerXYZ "
    "asset_client/src/components/itemCategories.js"
)
_OTHER_LIST = (
    "Metrc item category names of another state in public open-source code (a category list holding "
    "'Infused (edible)', 'Infused (non-edible)', 'Pre-Roll Infused', 'Capsule (weight - each)')"
)
_MI_NAMES = "Metrc bulletin MI_IB_017 (2019-11-22), list of Michigan item categories"
_OR_WIKI = "Metrc Oregon wiki, 'Item Categorization' (wiki-or.metrc.com/source/item-categorization, 2023-03-30)"

_NOT_MA = "spelling not confirmed for Massachusetts' Metrc"


def _cite(*sources: str) -> str:
    return "; ".join((SEED, *sources))


_ENTRIES: Final = (
    # --- flower (x1) -------------------------------------------------------------------------------------------
    CategoryEntry(
        "Buds",
        _FLOWER,
        fields=_BOTH,
        status=Status.CONFIRMED,
        source=_cite(_ISSUE, _REF, _METRC_SAMPLE),
        note="ProductCategoryType and MA category name; bud flower counts as it is",
    ),
    CategoryEntry(
        "Shake/Trim",
        _FLOWER,
        fields=_BOTH,
        source=_cite(_ISSUE, _PCT_CODE),
        note=f"the ProductCategoryType is written ShakeTrim (same matching key); {_NOT_MA}",
    ),
    CategoryEntry(
        "Pre-Roll Flower",
        _FLOWER,
        source=_cite(_ISSUE, _CA_NAMES),
        note=f"a pre-roll of flower only (no concentrate); {_NOT_MA}",
    ),
    CategoryEntry(
        "Flower",
        _FLOWER,
        source=_cite(_CA_NAMES),
        note=f"generic flower category of other states' Metrc; {_NOT_MA}",
    ),
    # --- non-flower (x5.3): concentrates ---------------------------------------------------------------------------
    CategoryEntry(
        "Concentrate",
        _NON_FLOWER,
        fields=_BOTH,
        status=Status.CONFIRMED,
        source=_cite(_ISSUE),
        note="the seed names concentrates among the non-flower categories",
    ),
    CategoryEntry(
        "Concentrate (Each)",
        _NON_FLOWER,
        source=_cite(_MI_NAMES),
        note=f"count-based concentrate packages; {_NOT_MA}",
    ),
    CategoryEntry(
        "Kief",
        _NON_FLOWER,
        source=_cite(_ISSUE, _CA_NAMES),
        note=f"the issue counts kief as a concentrate; {_NOT_MA}",
    ),
    CategoryEntry(
        "Vape Oil",
        _NON_FLOWER,
        source=_cite(_ISSUE, _CA_NAMES),
        note=f"the issue counts vape oil as a concentrate; {_NOT_MA}",
    ),
    CategoryEntry(
        "VapeCartridge",
        _NON_FLOWER,
        fields=_BOTH,
        source=_cite(_ISSUE),
        note="named as a ProductCategoryType by the issue but not seen in public Metrc samples; matches the name "
        "'Vape Cartridge' too; the issue counts cartridges as concentrates",
    ),
    # --- non-flower (x5.3): infused products ---------------------------------------------------------------------
    CategoryEntry(
        "InfusedEdible",
        _NON_FLOWER,
        fields=_TYPE,
        status=Status.CONFIRMED,
        source=_cite(_ISSUE, _REF, _OTHER_LIST),
        note="the seed names infused products among the non-flower categories; also matches the name "
        "'Infused (edible)' of other states' Metrc",
    ),
    CategoryEntry(
        "Infused",
        _NON_FLOWER,
        status=Status.CONFIRMED,
        source=_cite(_ISSUE, _REF, _METRC_SAMPLE),
        note="MA category name; Metrc's sample gives it the ProductCategoryType InfusedEdible",
    ),
    CategoryEntry(
        "InfusedNonEdible",
        _NON_FLOWER,
        fields=_TYPE,
        source=_cite(_ISSUE, _PCT_CODE, _OTHER_LIST),
        note="infused non-edible products (the issue multiplies them); spelling from third-party code only; also "
        "matches the name 'Infused (non-edible)' of other states' Metrc",
    ),
    CategoryEntry(
        "Infused Liquid",
        _NON_FLOWER,
        source=_cite(_METRC_SAMPLE),
        note=f"ProductCategoryType InfusedEdible in Metrc's sample; {_NOT_MA}",
    ),
    CategoryEntry(
        "Tincture",
        _NON_FLOWER,
        source=_cite(_ISSUE, _CA_NAMES),
        note=f"the issue multiplies tinctures; {_NOT_MA}",
    ),
    CategoryEntry(
        "Capsule",
        _NON_FLOWER,
        source=_cite(_OTHER_LIST),
        note="an ingestible infused product, so non-flower under the seed; the plain name 'Capsule' is inferred "
        "from 'Capsule (weight - each)'",
    ),
    CategoryEntry(
        "Suppository",
        _NON_FLOWER,
        source=_cite(_CA_NAMES),
        note=f"the seed names suppositories among the non-flower categories; {_NOT_MA}",
    ),
    # --- decisions: the sources leave the MassCIP category open -------------------------------------------------------
    CategoryEntry(
        "InfusedPreRoll",
        _NON_FLOWER,
        fields=_BOTH,
        status=Status.DECISION,
        source=_cite(_ISSUE, _OR_WIKI),
        note="DECISION: flower with concentrate added is an infused product, not flower (Metrc's Oregon guide "
        "likewise classes such pre-rolls as a processed product); x5.3 on the whole weight is also the reading that "
        "never under-counts. Matches the name 'Infused Pre-Roll' too",
    ),
    CategoryEntry(
        "Pre-Roll Infused",
        _NON_FLOWER,
        status=Status.DECISION,
        source=_cite(_ISSUE, _OTHER_LIST, _OR_WIKI),
        note="DECISION: counted as infused (x5.3), for the reasons given for InfusedPreRoll",
    ),
    CategoryEntry(
        "Topical",
        _NON_FLOWER,
        status=Status.DECISION,
        source=_cite("935 CMR 500.140(3)(a)", _CA_NAMES),
        note="DECISION: Metrc files topicals as infused non-edible products, which MassCIP multiplies, so they are "
        "counted x5.3 here; the adult-use exemption of topicals from sales limits is a rule-pack matter, applied by "
        "the pack before counting",
    ),
    CategoryEntry(
        "Plants",
        _NOT_COUNTED,
        fields=_TYPE,
        status=Status.DECISION,
        source=_cite(_PCT_CODE, _METRC_SAMPLE),
        note="DECISION: living plants carry no grams/concentration value; count them under the pack's plant rule",
    ),
    CategoryEntry(
        "Immature Plants",
        _NOT_COUNTED,
        status=Status.DECISION,
        source=_cite(_METRC_SAMPLE),
        note="DECISION: ProductCategoryType Plants in Metrc's sample; no grams/concentration value",
    ),
    CategoryEntry(
        "Clones",
        _NOT_COUNTED,
        status=Status.DECISION,
        source=_cite("masscannabiscontrol.com, Seed-to-sale Tracking"),
        note="DECISION: clones are immature plants; no grams/concentration value",
    ),
    CategoryEntry(
        "Seeds",
        _NOT_COUNTED,
        status=Status.DECISION,
        source=_cite("masscannabiscontrol.com, Seed-to-sale Tracking"),
        note="DECISION: seeds carry no grams/concentration value",
    ),
)

DEFAULT_TABLE: Final = CategoryTable(_ENTRIES)
"""The library's MassCIP category table. Extend it with :meth:`CategoryTable.with_category`; review
``DEFAULT_TABLE.flagged()`` before relying on an unconfirmed spelling."""
