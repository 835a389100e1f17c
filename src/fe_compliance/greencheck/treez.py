"""Treez: the product's Amount when it is sold by the gram or as deli-style flower (seed 003, "Treez").

Treez describes a product's size in ``product_configurable_fields``: an ``amount`` and its unit of measure ``uom``
("GRAMS", "MILLIGRAMS", "EACH" ...), with ``subtype`` saying how it is sold ("PRE-PACK"; deli-style flower is
"Bulk Flower" per Treez support, exact API string unconfirmed). The seed reads the Amount when the product is
deli-style flower and/or its unit of measure is Grams, and says nothing about any other product. This module
takes, for that open branch, the reading a compliance officer can defend line by line:

- another *weight* unit (MILLIGRAMS, OUNCES, POUNDS ...): the Amount is a weight stated in that unit and is
  converted exactly, because changing units is arithmetic, not a guess;
- a count (EACH), a volume (MILLILITERS) or no unit: the Amount says nothing about grams, so the line raises
  ``NoGramsError`` with the unit in its trace. Never zero, and never a count taken for grams.

Deli-style flower without a unit of measure is read in grams: deli flower is weighed out by the gram.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .fields import Confidence, FieldDoc, Record, as_unit, lookup, mass_factor, split_path
from .plausibility import Plausibility
from .result import Basis, ExtractOptions
from .steps import AnyOf, Compute, FieldIs, LineQuantity, Not, Note, Weight, weight_value
from .vendor import VendorSpec, seed_rule

__all__ = ["DELI_STYLE", "GRAMS_UOM", "NEITHER_DELI_NOR_GRAMS", "VENDOR"]

_REF = "vendor-fields.md (Treez, partial)"
_FIELDS: Final = "product_configurable_fields"
AMOUNT: Final = f"{_FIELDS}.amount"
UOM: Final = f"{_FIELDS}.uom"
SUBTYPE: Final = f"{_FIELDS}.subtype"

GRAMS_UOM = FieldIs(Record.PRODUCT, UOM, equals=("grams", "gram", "g"))
"""The seed's "your product has a unit of measure of 'Grams'"."""

DELI_STYLE = FieldIs(Record.PRODUCT, SUBTYPE, contains=("bulk", "deli"))
"""The seed's "deli-style flower": a subtype such as "Bulk Flower", "BULK" or "Deli" (any case)."""

NEITHER_DELI_NOR_GRAMS = Not(AnyOf(GRAMS_UOM, DELI_STYLE))
"""The branch the seed leaves open."""

_AMOUNT_KEYS: Final = split_path(AMOUNT)
_UOM_KEYS: Final = split_path(UOM)
_AMOUNT_SOURCE: Final = f"product.{AMOUNT}"
_UOM_SOURCE: Final = f"product.{UOM}"


def _deli_amount(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
                 note: Note) -> float | None:
    """Deli-style flower: the Amount in its unit of measure when that is a weight, in grams when no unit is given.

    (A deli product whose unit of measure is Grams never gets here: the Grams step takes it first.)
    """
    amount = weight_value(lookup(product, _AMOUNT_KEYS, _AMOUNT_SOURCE), _AMOUNT_SOURCE, note)
    if amount is None:
        return None
    raw_uom = lookup(product, _UOM_KEYS, _UOM_SOURCE)
    if as_unit(raw_uom, _UOM_SOURCE) is None:
        if note is not None:
            note(f"{_UOM_SOURCE} is missing; deli-style flower is weighed by the gram, so {_AMOUNT_SOURCE} = "
                 f"{amount:.6g} is read as {amount:.6g} g per unit")
        return amount
    factor = mass_factor(raw_uom, _UOM_SOURCE)
    if isinstance(factor, str):
        if note is not None:
            note(factor)
        return None
    grams = amount * factor
    if note is not None:
        note(f"{_AMOUNT_SOURCE} = {amount:.6g} {raw_uom} -> {grams:.6g} g per unit")
    return grams


VENDOR = VendorSpec(
    slug="treez",
    name="Treez",
    rule=seed_rule(
        "treez", "Treez",
        ("Treez grams: the product's Amount when it is deli-style flower and/or its unit of measure is "
         "Grams, times the units sold"),
    ),
    summary=(
        "The product's Amount is its size in its unit of measure. The seed reads it when the unit of measure is "
        "Grams or the product is deli-style flower (weighed out by the gram, so grams when no unit is given). For "
        "any other product the seed is silent: the Amount is still read when its unit is another weight "
        "(milligrams, ounces), converted exactly, and a count (EACH), a volume or a missing unit gives no grams. "
        "Every value is per unit and multiplied by the line's quantity."
    ),
    records={
        Record.PRODUCT: "the Treez product (Product API record, with `product_configurable_fields`)",
        Record.SALE_LINE: "one item of a Treez ticket",
    },
    fields=(
        FieldDoc(AMOUNT, Record.PRODUCT, Confidence.PARTIAL, _REF, "the seed's \"Amount\": the size of one unit"),
        FieldDoc(UOM, Record.PRODUCT, Confidence.PARTIAL, _REF,
                 "unit of measure of the amount: \"GRAMS\" selects the seed's branch; other weights are converted"),
        FieldDoc(SUBTYPE, Record.PRODUCT, Confidence.PARTIAL,
                 f"{_REF}; \"Bulk Flower\" for deli style per Treez support, exact API string unconfirmed",
                 "deli-style flower when it contains \"bulk\" or \"deli\" (any case)"),
        FieldDoc("category_type", Record.PRODUCT, Confidence.PARTIAL, _REF,
                 "category (\"FLOWER\", \"PREROLL\", \"EDIBLE\" ...), for the plausibility thresholds only"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "not found (vendor-fields.md: Treez ticket-line fields not found); the plain name",
                 "units sold on the line"),
    ),
    steps=(
        Weight("amount (unit of measure Grams)", Record.PRODUCT, AMOUNT, Basis.PRODUCT_WEIGHT, unit_field=UOM,
               when=GRAMS_UOM),
        Compute("amount of deli-style flower", AMOUNT, Record.PRODUCT, Basis.PRODUCT_WEIGHT, _deli_amount,
                reads=((Record.PRODUCT, AMOUNT), (Record.PRODUCT, UOM)),
                explains=(f"`product.{AMOUNT}` in the unit of `product.{UOM}` when that is a weight, in grams when "
                          "no unit of measure is given (deli flower is weighed by the gram); a count or a volume "
                          "is skipped"),
                when=DELI_STYLE),
        Weight("amount in another weight unit (neither deli nor Grams)", Record.PRODUCT, AMOUNT,
               Basis.PRODUCT_WEIGHT, unit_field=UOM, when=NEITHER_DELI_NOR_GRAMS),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "\"Unit of measure of Grams\" is `product_configurable_fields.uom` equal to \"GRAMS\", \"Grams\", \"gram\" "
        "or \"g\" (any case). \"Deli-style flower\" is a `subtype` containing \"bulk\" or \"deli\" (any case): Treez "
        "support calls the deli subtype \"Bulk Flower\", but the exact API string is unconfirmed, so \"BULK\" and "
        "\"Deli\" count too.",
        "Deli-style flower is weighed out by the gram: its Amount is read in grams when `uom` is missing, and in "
        "its `uom` when that is another weight. A deli product whose `uom` is a count or a volume is inconsistent "
        "data and gives no grams (the trace names the unit).",
        "Neither deli nor Grams (the branch the seed leaves open): the Amount is read when `uom` is another weight "
        "(MILLIGRAMS, OUNCES, POUNDS ...), converted exactly through the one unit table, because a weight stated "
        "in another unit is still a weight. A count (EACH), a volume (MILLILITERS) or a missing unit says nothing "
        "about grams: NoGramsError, with the unit in the trace, never zero and never the count read as grams.",
        "For an edible whose Amount is in MILLIGRAMS the figure may be its THC rather than its net weight (Treez "
        "does not say which); the basis reported is `product_weight` and the trace shows the unit read, so a "
        "reviewer can tell.",
        "The Amount describes one unit of the product, so it is multiplied by the ticket line's `quantity` (for "
        "deli flower priced per gram, an Amount of 1 g times the grams on the line). No ticket-line field name "
        "was found; `quantity` is the plain name.",
    ),
    plausibility=Plausibility(category=((Record.PRODUCT, "category_type"),)),
)
