"""IndicaOnline: weight-based products by the grams in the sale's item quantity, unit-based products by their net
weight times the quantity (seed 003, "IndicaOnline").

The product's ``measurement`` (``unit``, ``unit_range``, ``weight``, ``weight_range``) is IndicaOnline's own
weight-based flag (``vendor-fields.md``, partial). The net weight and the order item's quantity were not found;
they are read under the seed's labels in IndicaOnline's snake case, ``net_weight`` and ``quantity``.

An order item also carries ``charge_as``, "the selected charge measurement unit" (IndicaOnline's delivery-order
guide, https://apidocs.indicaonline.com/docs/uc10): what the item's ``quantity`` is counted in. The seed reads a
weight-based item's quantity as grams; this module checks ``charge_as`` first (issue 9): a mass unit converts the
quantity, a count means the quantity is not grams, and a unit-based item's quantity must count units.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .fields import UNKNOWN_UNIT, Confidence, FieldDoc, Record, as_unit, checked_weight, not_a_mass
from .result import Basis, ExtractOptions
from .steps import Compute, FieldIs, LineQuantity, Note, Weight, weight_value
from .vendor import VendorSpec, seed_rule

__all__ = ["UNIT_BASED", "VENDOR", "WEIGHT_BASED"]

_REF = "vendor-fields.md (IndicaOnline, partial)"
_NONE = "none found: the seed's label (003, \"IndicaOnline\") in snake case"

WEIGHT_BASED = FieldIs(Record.PRODUCT, "measurement", equals=("weight", "weight_range"))
"""Sold by weight: the order item's quantity is the grams sold."""

UNIT_BASED = FieldIs(Record.PRODUCT, "measurement", equals=("unit", "unit_range"))
"""Sold by the unit: the product's net weight times the quantity."""

_CHARGE_DOC = ("IndicaOnline delivery-order guide (order item `charge_as`: \"the selected charge measurement unit\"), "
               "https://apidocs.indicaonline.com/docs/uc10; vendor-fields.md (IndicaOnline, partial)")
_QUANTITY: Final = "sale_line.quantity"
_CHARGE_AS: Final = "sale_line.charge_as"


def _quantity_in_grams(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
                       note: Note) -> float | None:
    """A weight-based item's quantity in grams, after ``charge_as`` says what it counts: not given, the seed's
    reading (grams); a mass unit, converted; anything else (a count, a volume, a spelling the one unit table does
    not know), no grams, since the quantity is then not a weight the library can read."""
    quantity = weight_value(sale_line.get("quantity"), _QUANTITY, note)
    if quantity is None:
        return None
    raw_unit = sale_line.get("charge_as")
    unit = as_unit(raw_unit, _CHARGE_AS)
    if unit is None:
        if note is not None:
            note(f"{_QUANTITY} = {quantity:.6g}, in grams as the seed reads it ({_CHARGE_AS} is not given)")
        return quantity
    if unit.grams_per_unit is None:
        if note is not None:
            what = not_a_mass(unit) if unit is not UNKNOWN_UNIT else "not a unit spelling the library reads"
            note(f"{_CHARGE_AS} is {raw_unit!r}, {what}: the quantity is not counted in a weight, so it is not grams")
        return None
    grams = checked_weight(quantity * unit.grams_per_unit, _QUANTITY, sale_line.get("quantity"))
    if note is not None:
        note(f"{_QUANTITY} = {quantity:.6g} charged as {raw_unit!r} -> {grams:.6g} g")
    return grams

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
        FieldDoc("charge_as", Record.SALE_LINE, Confidence.PARTIAL, _CHARGE_DOC,
                 "what the item's quantity is counted in: a mass unit converts it, a count means units"),
    ),
    steps=(
        Compute("item quantity in grams (weight-based)", "quantity", Record.SALE_LINE, Basis.WEIGHT_SOLD,
                _quantity_in_grams, reads=((Record.SALE_LINE, "quantity"), (Record.SALE_LINE, "charge_as")),
                explains=("`sale_line.quantity`, the seed's grams sold, after `sale_line.charge_as` says what it "
                          "counts: not given, grams (the seed's reading); a mass unit (\"gram\", \"oz\"), "
                          "converted; a count, a volume or an unknown spelling, no grams"),
                per_unit=False, when=WEIGHT_BASED),
        Weight("net weight (unit-based)", Record.PRODUCT, "net_weight", Basis.NET_WEIGHT, unit="g",
               when=UNIT_BASED),
    ),
    quantity=LineQuantity("quantity", unit_field="charge_as"),
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
        "`charge_as` on the order item is checked before the quantity is read as grams (issue 9). Weight-based: "
        "not given, the quantity is grams as the seed says; a mass unit of the one unit table converts it (2 "
        "charged as \"oz\" is 56.7 g); a count (\"unit\"), a volume or a spelling the table does not know gives "
        "no grams (NoGramsError), because the quantity is then not a weight the library can read. Unit-based: "
        "the quantity must count units: `charge_as` in a mass unit, or a spelling the table does not know, is a "
        "VendorFieldError rather than a weight multiplied by a weight. IndicaOnline does not publish the list of "
        "`charge_as` values; missing spellings belong in `fe_compliance.units.VENDOR_UNIT_SPELLINGS`.",
    ),
    changes=(
        "Issue 9 (a review against IndicaOnline's order API): an order item's `charge_as` says what its "
        "quantity is counted in, and the quantity was read as grams whatever it said. A weight-based item's "
        "quantity is now grams only when `charge_as` is absent or a mass unit (converted); a unit-based "
        "item's quantity must count units. Source: IndicaOnline delivery-order guide "
        "(https://apidocs.indicaonline.com/docs/uc10); vendor-fields.md (IndicaOnline, partial).",
    ),
)
