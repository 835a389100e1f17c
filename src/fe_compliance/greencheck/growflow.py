"""GrowFlow: "Each" products by their unit weight, weight-based products by the line's weight in grams (seed 003,
"GrowFlow").

No GrowFlow field names are public (``vendor-fields.md``: none found); the seed's labels are read in camel case:
the product's ``unitOfMeasure`` and ``unitWeight``, the sale line item's ``weightGrams`` and ``quantity``. Which
branch applies is decided by what the unit of measure *is*, read through the one spelling table
(:data:`fe_compliance.units.VENDOR_UNIT_SPELLINGS`): a count ("Each", "ea", "unit") or a mass ("Grams", "g",
"oz"), tested with :class:`~fe_compliance.greencheck.steps.UnitKindIs` rather than a private list of spellings.
"""

from __future__ import annotations

from ..units import UnitKind
from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import LineQuantity, UnitKindIs, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["EACH", "VENDOR", "WEIGHT_BASED"]


EACH = UnitKindIs(Record.PRODUCT, "unitOfMeasure", UnitKind.COUNT)
"""The seed's unit of measure "Each" (any count spelling of the table: "Each", "ea", "unit" ...)."""

WEIGHT_BASED = UnitKindIs(Record.PRODUCT, "unitOfMeasure", UnitKind.MASS)
"""The seed's "weight-based": the product's unit of measure is a mass ("Grams", "g", "Ounces" ...)."""

_NONE = "none found: the seed's label (003, \"GrowFlow\") in camel case"

VENDOR = VendorSpec(
    slug="growflow",
    name="GrowFlow",
    rule=seed_rule(
        "growflow", "GrowFlow",
        ("GrowFlow grams: for a product whose unit of measure is Each, its unit weight times the units "
         "sold; for a weight-based product, the weight in grams on the sale line item"),
    ),
    summary=(
        "The product's unit of measure decides. A product counted in \"Each\" weighs its unit weight per unit, "
        "multiplied by the units on the line; a product measured by weight is counted by the grams written on "
        "the sale line item, already the whole line. A unit of measure that is neither (a volume, a spelling "
        "the library does not know, or none) gives no grams."
    ),
    records={
        Record.PRODUCT: "the GrowFlow product",
        Record.SALE_LINE: "one line item of a GrowFlow sale",
    },
    fields=(
        FieldDoc("unitOfMeasure", Record.PRODUCT, Confidence.NONE_FOUND, _NONE,
                 "\"Each\" (a count): read `unitWeight`; a mass unit (\"Grams\"): read the line's `weightGrams`"),
        FieldDoc("unitWeight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE, "weight of one unit, in grams"),
        FieldDoc("weightGrams", Record.SALE_LINE, Confidence.NONE_FOUND, _NONE,
                 "grams sold on the line item (weight-based products)"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a line's count", "units sold on an Each line"),
    ),
    steps=(
        Weight("unit weight (Each)", Record.PRODUCT, "unitWeight", Basis.UNIT_WEIGHT, unit="g", when=EACH),
        Weight("weight grams on the line (weight-based)", Record.SALE_LINE, "weightGrams", Basis.WEIGHT_SOLD,
               unit="g", per_unit=False, when=WEIGHT_BASED),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The names are the seed's labels in camel case, none confirmed: `unitOfMeasure` and `unitWeight` on the "
        "product, `weightGrams` and `quantity` on the sale line item.",
        "\"Each\" is any count spelling of the one unit table (\"Each\", \"EA\", \"unit\", \"piece\" ...); "
        "\"weight-based\" is any mass spelling (\"Grams\", \"g\", \"Ounces\", \"lb\" ...). Other units (\"ml\", "
        "\"%\"), unknown spellings and a missing unit of measure match neither branch: no grams, with the unit "
        "named in the trace, rather than a guess between a per-unit and a per-line number.",
        "`unitWeight` is in grams (no unit field beside it is known) and is per unit, multiplied by the line's "
        "`quantity`. `weightGrams` is grams by its name and is the line's total, not multiplied.",
        "Each branch reads only its own field: an Each product without a unit weight does not fall back to "
        "`weightGrams`, nor the reverse.",
    ),
)
