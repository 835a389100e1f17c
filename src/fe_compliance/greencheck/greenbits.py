"""Greenbits: the sale line says weight- or unit-based; unit-based products by their entered weight, weight-based
ones by the weight sold (seed 003, "Greenbits").

No Greenbits field names are public (``vendor-fields.md``: none found). Greenbits' API is snake case, so the
seed's labels are read as ``weight_based`` (the line's flag), ``weight`` (the product's entered weight) and
``weight_sold`` (the line's weight). The flag is a true/false value, tested with
:class:`~fe_compliance.greencheck.steps.FlagIs` (the library's one rule for true/false fields).
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import FlagIs, LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["UNIT_BASED", "VENDOR", "WEIGHT_BASED"]


WEIGHT_BASED = FlagIs(Record.SALE_LINE, "weight_based", True)
UNIT_BASED = FlagIs(Record.SALE_LINE, "weight_based", False)

_NONE = "none found: the seed's label (003, \"Greenbits\") in snake case"

VENDOR = VendorSpec(
    slug="greenbits",
    name="Greenbits",
    rule=seed_rule(
        "greenbits", "Greenbits",
        ("Greenbits grams: by the sale line's flag, a unit-based product's entered weight times the units "
         "sold, or a weight-based line's weight sold"),
    ),
    summary=(
        "The line of the sale says whether the product is sold by weight or by the unit. A unit-based product is "
        "counted by the weight entered for it, which is the weight of one unit and is multiplied by the units "
        "sold; a weight-based line is counted by the weight it sold, already the whole line. A line that does "
        "not say which it is has no grams: the seed's first question cannot be answered."
    ),
    records={
        Record.PRODUCT: "the Greenbits product",
        Record.SALE_LINE: "one line item of a Greenbits sale",
    },
    fields=(
        FieldDoc("weight_based", Record.SALE_LINE, Confidence.NONE_FOUND, _NONE,
                 "true: weight-based (read `weight_sold`); false: unit-based (read the product's `weight`)"),
        FieldDoc("weight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE,
                 "the weight entered for the product: one unit, in grams"),
        FieldDoc("weight_sold", Record.SALE_LINE, Confidence.NONE_FOUND, _NONE,
                 "the weight sold on a weight-based line, in grams, for the whole line"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a line's count", "units sold on a unit-based line"),
    ),
    steps=(
        Weight("entered product weight (unit-based)", Record.PRODUCT, "weight", Basis.PRODUCT_WEIGHT, unit="g",
               when=UNIT_BASED),
        Weight("weight sold (weight-based)", Record.SALE_LINE, "weight_sold", Basis.WEIGHT_SOLD, unit="g",
               per_unit=False, when=WEIGHT_BASED),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The names are the seed's labels in snake case, none confirmed: the line's `weight_based` flag, the "
        "product's `weight`, the line's `weight_sold`, the line's `quantity`.",
        "`weight_based` is a true/false value, read by the library's one rule (JSON true/false, 0/1, or the text "
        "true/false, yes/no, y/n). Missing, the "
        "line is neither weight- nor unit-based and has no grams (NoGramsError): guessing the branch would pick "
        "between a per-unit and a per-line number. Anything else (\"maybe\", 2, an object) is a VendorFieldError.",
        "Both weights are in grams; no unit field is known beside either.",
        "The product's entered weight is of one unit and is multiplied by `quantity`; the weight sold is the "
        "line's total and is not multiplied.",
        "Each branch reads only its own field: a unit-based line with no entered weight does not fall back to "
        "`weight_sold`, nor the reverse, because the seed gives each branch one field.",
    ),
)
