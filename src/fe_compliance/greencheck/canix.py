"""Canix: the sales-order line's weight in its weight unit; a line counted in "Each" is that count times the item's
unit weight (seed 003, "Canix").

Canix's public OpenAPI (v1.3.10: items, sales-orders, packages; ``vendor-fields.md``, partial) puts the amount
sold on the sales-order line (``contents[]``): ``weight`` and ``weight_unit``, and no ``quantity``. A line in
grams (``448``, ``"Grams"``) is that many grams of bulk; a line in ``"Each"`` (``20``, ``"Each"``) is twenty units,
each weighing the item's ``unit_weight`` in ``unit_weight_unit`` (``10``, ``"Grams"``). An item has no ``weight``.

Until issue 9 this module read ``weight``/``weight_unit`` on the item and a ``quantity`` on the line, names Canix
does not use there: every real Canix line gave no grams (or, with a package passed as the item, the whole lot's
weight per unit).
"""

from __future__ import annotations

from ..units import UnitKind
from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import LineQuantity, UnitKindIs, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["COUNTED_EACH", "VENDOR"]

_REF = "vendor-fields.md (Canix public OpenAPI v1.3.10, partial): {where}"

COUNTED_EACH = UnitKindIs(Record.SALE_LINE, "weight_unit", UnitKind.COUNT)
"""The line's ``weight_unit`` is a count ("Each"): its ``weight`` is a number of units."""

VENDOR = VendorSpec(
    slug="canix",
    name="Canix",
    rule=seed_rule(
        "canix", "Canix",
        ("Canix grams are the weight sold converted to grams through its weight unit; a weight counted in Each "
         "is that many units of the item's unit weight"),
    ),
    summary=(
        "A Canix sales-order line says how much it sold in `weight` and `weight_unit`. When the unit is a mass "
        "(\"Grams\", \"Ounces\" ...) the line's weight, converted to grams, is the grams sold. When the unit is a "
        "count (\"Each\"), the weight is a number of units, and each unit weighs the item's unit weight in its "
        "own unit. A weight in a unit that is neither, or a count of an item with no unit weight, gives no grams "
        "rather than a guess."
    ),
    records={
        Record.PRODUCT: "the Canix item (`GET /items` element: `unit_weight`, `unit_weight_unit`, `weight_unit`)",
        Record.SALE_LINE: "one element of a Canix sales order's `contents` (`weight`, `weight_unit`; no `quantity`)",
    },
    fields=(
        FieldDoc("weight", Record.SALE_LINE, Confidence.PARTIAL, _REF.format(where="sales-order line"),
                 "the amount sold, in `weight_unit`: grams sold, or a number of units when counted in Each"),
        FieldDoc("weight_unit", Record.SALE_LINE, Confidence.PARTIAL, _REF.format(where="sales-order line"),
                 "the seed's \"Weight Unit\": a mass unit (\"Grams\") or a count (\"Each\")"),
        FieldDoc("unit_weight", Record.PRODUCT, Confidence.PARTIAL, _REF.format(where="item"),
                 "the weight of one unit of the item, in `unit_weight_unit`"),
        FieldDoc("unit_weight_unit", Record.PRODUCT, Confidence.PARTIAL, _REF.format(where="item"),
                 "the unit of `unit_weight` (\"Grams\", \"Milligrams\" ...): a mass unit only"),
    ),
    steps=(
        Weight("line weight", Record.SALE_LINE, "weight", Basis.WEIGHT_SOLD, unit_field="weight_unit",
               per_unit=False),
        Weight("item unit weight times the count", Record.PRODUCT, "unit_weight", Basis.UNIT_WEIGHT,
               unit_field="unit_weight_unit", when=COUNTED_EACH),
    ),
    quantity=LineQuantity("weight", unit_field="weight_unit"),
    decisions=(
        "The seed converts \"the relevant Weight\" by the \"Weight Unit\". In Canix's API both sit on the "
        "sales-order line (`weight`, `weight_unit`), which is where the amount sold is; the item's own "
        "`weight_unit` only says how the item is counted. So a line in a mass unit is its weight, converted, for "
        "the whole line (basis `weight_sold`, not multiplied).",
        "A line whose `weight_unit` is a count (\"Each\") sold `weight` units: the item's `unit_weight` in "
        "`unit_weight_unit`, times that count (basis `unit_weight`). The count must be a count of the one unit "
        "table; a line weight in a mass unit never multiplies a unit weight.",
        "A weight without a unit, in a volume or a spelling the one table does not know, gives no grams, with the "
        "unit named in the trace. An Each line of an item without a unit weight (or with a unit weight that is "
        "not a mass) gives NoGramsError; an Each line whose count is missing or 0 gives NoQuantityError.",
        "A sales-order line has no `quantity` in Canix's API and none is read. Until issue 9 the product's "
        "`weight`/`weight_unit` and the line's `quantity` were read: names an item and a sales-order line do not "
        "carry.",
    ),
    changes=(
        "Issue 9 (a review against Canix's public OpenAPI v1.3.10): the chain read `weight`/`weight_unit` "
        "on the item and a line `quantity`, names those records do not carry, so real lines gave no grams. "
        "It now reads the sales-order line's `weight` in its `weight_unit` (\"Grams\": the grams sold; "
        "\"Each\": a count times the item's `unit_weight` in `unit_weight_unit`). Field names: "
        "vendor-fields.md (Canix, partial).",
    ),
)
