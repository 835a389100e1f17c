"""Metrc: the item's unit weight (seed 003, "Metrc").

Metrc is a track-and-trace system, not a POS, but Green Check reads sales from it too. The seed names one field:
the item's Unit Weight. The item record (``GET /items/v2/active``) carries it as ``UnitWeight`` with its unit in
``UnitWeightUnitOfMeasureName``; sales-transaction and package records carry a copy as ``ItemUnitWeight`` /
``ItemUnitWeightUnitOfMeasureName`` with the number sold in ``QuantitySold``. This module reads the item first and
the copy on the sale line second (the same fact, from the record a caller may have instead).

A weight-based item (bulk flower sold by the gram) has no unit weight: the seed's chain gives it nothing, and a
compliance platform would be blind to every bulk flower sale. After the seed's chain, one step the library adds
reads the transaction's ``QuantitySold`` when its ``UnitOfMeasureName`` is a mass ("Grams", "Ounces"): that is the
weight sold. The step is marked as beyond the seed on the docs page and in the trace of every result it gives.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .plausibility import Plausibility
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_REF = "vendor-fields.md (Metrc, confirmed); metrc-api.md (items, sales receipts)"

VENDOR = VendorSpec(
    slug="metrc",
    name="Metrc",
    rule=seed_rule(
        "metrc", "Metrc",
        "Metrc grams are the item's unit weight, converted to grams, times the units sold",
    ),
    summary=(
        "The grams of a Metrc sale come from the item's unit weight alone. The weight is in the unit Metrc names "
        "beside it (Grams, Ounces, Milligrams ...) and is per unit, so it is multiplied by the number of units "
        "sold."
    ),
    records={
        Record.PRODUCT: "the Metrc item (`GET /items/v2/active` element)",
        Record.SALE_LINE: "one element of a sales receipt's `Transactions` (read side)",
    },
    fields=(
        FieldDoc("UnitWeight", Record.PRODUCT, Confidence.CONFIRMED, _REF, "the weight of one unit of the item"),
        FieldDoc("UnitWeightUnitOfMeasureName", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the unit of UnitWeight (\"Grams\", \"Ounces\" ...)"),
        FieldDoc("ItemUnitWeight", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the item's unit weight as copied onto the transaction"),
        FieldDoc("ItemUnitWeightUnitOfMeasureName", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the unit of ItemUnitWeight"),
        FieldDoc("QuantitySold", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "how many units the line sold; in a mass unit, the weight sold (the step beyond the seed)"),
        FieldDoc("UnitOfMeasureName", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "what QuantitySold counts: a count (\"Each\") for a unit weight to multiply it, or a mass "
                 "(\"Grams\") for the weight sold"),
        FieldDoc("ProductCategoryName", Record.PRODUCT, Confidence.CONFIRMED, "metrc-api.md (items)",
                 "category text, for the plausibility thresholds only"),
        FieldDoc("UnitThcContent", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "THC per unit, for the plausibility cross-check only"),
        FieldDoc("UnitThcContentUnitOfMeasureName", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the unit of UnitThcContent"),
    ),
    steps=(
        Weight("item unit weight", Record.PRODUCT, "UnitWeight", Basis.UNIT_WEIGHT,
               unit_field="UnitWeightUnitOfMeasureName"),
        Weight("item unit weight on the sale", Record.SALE_LINE, "ItemUnitWeight", Basis.UNIT_WEIGHT,
               unit_field="ItemUnitWeightUnitOfMeasureName"),
        Weight("quantity sold in a mass unit", Record.SALE_LINE, "QuantitySold", Basis.WEIGHT_SOLD,
               unit_field="UnitOfMeasureName", per_unit=False,
               beyond_seed=("the seed reads only the item's unit weight, which a weight-based item (bulk flower) "
                            "does not have; a quantity sold in a mass unit is the weight sold on the line")),
    ),
    quantity=LineQuantity("QuantitySold", unit_field="UnitOfMeasureName"),
    decisions=(
        "The item record is `product`; the sales transaction is `sale_line`. The item's `UnitWeight` is read first, "
        "then the copy on the transaction (`ItemUnitWeight`): both are the item's unit weight, the field the seed "
        "names, and a caller may hold only one of the two records.",
        "Weight-based items (bulk flower sold by the gram) have no unit weight in Metrc, and the seed's chain has "
        "no step for them. Rather than leave a compliance platform blind to bulk flower, a step after the seed's "
        "chain reads `QuantitySold` when `UnitOfMeasureName` is a mass unit (\"Grams\", \"Ounces\"): the weight "
        "sold, for the whole line (basis `weight_sold`). It is beyond the seed, and every result it gives says so "
        "in its trace (\"beyond seed 003: ...\"). A quantity in a count, a volume or an unknown unit is not read "
        "by it; a line with neither a unit weight nor a mass quantity still raises NoGramsError.",
        "When an item has a unit weight and the transaction's `UnitOfMeasureName` is a weight (\"Grams\"), "
        "`QuantitySold` is a weight, not a number of units, and multiplying the unit weight by it would be wrong: "
        "that is a VendorFieldError (the line contradicts itself), never a fallback to the mass step.",
        "A unit weight of 0 counts as not set (Metrc items created without a weight carry 0 or null).",
    ),
    plausibility=Plausibility(
        category=((Record.PRODUCT, "ProductCategoryName"),),
        cross_checks=(
            Weight("item THC content", Record.PRODUCT, "UnitThcContent", Basis.THC,
                   unit_field="UnitThcContentUnitOfMeasureName"),
        ),
    ),
    changes=(
        "Issue 9: a weight-based line (bulk flower: `QuantitySold` in grams, no unit weight) got no grams, "
        "faithful to the seed. A step after the seed's chain now reads a quantity sold in a mass unit as "
        "the weight sold; it is marked beyond the seed on this page and in the trace. Field names: "
        "metrc-api.md (sales transactions, read side), vendor-fields.md (Metrc, confirmed).",
    ),
)
