"""IndicaOnline: weight-based products by the grams in the sale's item quantity, unit-based products by their net
weight times the quantity (seed 003, "IndicaOnline").

The product's ``measurement`` (``unit``, ``unit_range``, ``weight``, ``weight_range``) is IndicaOnline's own
weight-based flag (``vendor-fields.md``, partial). The net weight and the order item's quantity were not found;
they are read under the seed's labels in IndicaOnline's snake case, ``net_weight`` and ``quantity``.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import FieldIs, LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["UNIT_BASED", "VENDOR", "WEIGHT_BASED"]

_REF = "vendor-fields.md (IndicaOnline, partial)"
_NONE = "none found: the seed's label (003, \"IndicaOnline\") in snake case"

WEIGHT_BASED = FieldIs(Record.PRODUCT, "measurement", equals=("weight", "weight_range"))
"""Sold by weight: the order item's quantity is the grams sold."""

UNIT_BASED = FieldIs(Record.PRODUCT, "measurement", equals=("unit", "unit_range"))
"""Sold by the unit: the product's net weight times the quantity."""

VENDOR = VendorSpec(
    slug="indicaonline",
    name="IndicaOnline",
    rule=seed_rule(
        "indicaonline", "IndicaOnline",
        ("IndicaOnline grams: for a weight-based product the sale's item quantity, which is grams; for a "
         "unit-based product its net weight times the quantity"),
    ),
    summary=(
        "The product's measurement says how it is sold. Sold by weight (a fixed weight or a weight range), the "
        "quantity on the sale's item already is the number of grams sold. Sold by the unit (a fixed count or a "
        "unit range), each unit weighs the product's net weight, multiplied by the quantity. A product whose "
        "measurement is missing or unknown has no grams."
    ),
    records={
        Record.PRODUCT: "the IndicaOnline product",
        Record.SALE_LINE: "one item of an IndicaOnline order (sale)",
    },
    fields=(
        FieldDoc("measurement", Record.PRODUCT, Confidence.PARTIAL, _REF,
                 "\"weight\" / \"weight_range\": weight-based; \"unit\" / \"unit_range\": unit-based"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND, _NONE,
                 "the seed's \"Item Quantity\": grams sold (weight-based) or units sold (unit-based)"),
        FieldDoc("net_weight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE, "net weight of one unit, in grams"),
    ),
    steps=(
        Weight("item quantity in grams (weight-based)", Record.SALE_LINE, "quantity", Basis.WEIGHT_SOLD, unit="g",
               per_unit=False, when=WEIGHT_BASED),
        Weight("net weight (unit-based)", Record.PRODUCT, "net_weight", Basis.NET_WEIGHT, unit="g",
               when=UNIT_BASED),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "`measurement` \"weight\" and \"weight_range\" are weight-based, \"unit\" and \"unit_range\" unit-based "
        "(case-folded). A range product is sold the same way as its base kind; the range is only its pricing. "
        "A missing or other `measurement` matches neither branch: no grams, rather than a guess between grams "
        "and units.",
        "The seed's \"Item Quantity\" is the order item's `quantity`; for a weight-based product it is read as "
        "grams (the seed: \"the number of grams sold\") and is the whole line. A quantity of 0 is not set on either "
        "branch (the shared zero-quantity rule): a weight-based line gives NoGramsError, a unit-based one "
        "NoQuantityError, never 0 g.",
        "`net_weight` is the net weight of one unit in grams (no unit field beside it is known) and is multiplied "
        "by the same `quantity`, which for a unit-based product counts units (the seed's \"times the quantity\").",
        "Each branch reads only its own field: a unit-based product without a net weight does not fall back to "
        "the quantity as grams.",
    ),
)
