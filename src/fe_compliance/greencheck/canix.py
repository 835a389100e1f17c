"""Canix: the product's weight, converted to grams by its weight unit (seed 003, "Canix").

Canix's package records carry ``weight`` and ``weight_unit`` (``vendor-fields.md``, partial: the item-level names
were not found). The seed reads the product's "Weight" in its "Weight Unit", which is exactly a
:class:`~fe_compliance.greencheck.steps.Weight` step with a unit field: the unit goes through the one spelling
table, and a weight whose unit is missing, a count or a volume is skipped, never assumed to be grams.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_REF = "vendor-fields.md (Canix, partial): the package field, assumed on the product record"

VENDOR = VendorSpec(
    slug="canix",
    name="Canix",
    rule=seed_rule(
        "canix", "Canix",
        "Canix grams are the product's weight converted to grams through its weight unit, times the units sold",
    ),
    summary=(
        "The product's weight is read together with the unit Canix records beside it (grams, milligrams, ounces, "
        "pounds ...) and converted to grams; that is the weight of one unit, multiplied by the units on the line. "
        "A weight with no unit, or with a unit that is not a mass, gives no grams rather than a guess."
    ),
    records={
        Record.PRODUCT: "the Canix product (item) record, carrying `weight` and `weight_unit` as Canix packages do",
        Record.SALE_LINE: "one line of a Canix sale",
    },
    fields=(
        FieldDoc("weight", Record.PRODUCT, Confidence.PARTIAL, _REF, "the weight of one unit, in `weight_unit`"),
        FieldDoc("weight_unit", Record.PRODUCT, Confidence.PARTIAL, _REF,
                 "the unit of `weight` (\"Grams\", \"g\", \"Ounces\", \"lbs\" ...): a mass unit only"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a sale line's count (Canix's snake case)", "units sold on the line"),
    ),
    steps=(
        Weight("product weight", Record.PRODUCT, "weight", Basis.PRODUCT_WEIGHT, unit_field="weight_unit"),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "`weight` and `weight_unit` are the names Canix gives them on packages; the product record is taken to "
        "carry them the same way. The weight is of one unit of the product as sold and is multiplied by the "
        "line's `quantity`: pass the product (item) record, not a package whose `weight` is the whole lot.",
        "The seed converts \"the relevant Weight\" by the product's \"Weight Unit\": the weight read is the one "
        "beside `weight_unit` on the same record. A weight without a unit is skipped (the seed's conversion "
        "cannot be done), not taken as grams.",
        "A `weight_unit` that is a count (\"Each\"), a volume (\"ml\") or a percentage, or a spelling the one "
        "table does not know, gives no grams, with the unit named in the trace. Missing spellings belong in "
        "`fe_compliance.units.VENDOR_UNIT_SPELLINGS`.",
        "A missing, null or 0 weight gives no grams (NoGramsError); there is no fallback in the seed.",
    ),
)
