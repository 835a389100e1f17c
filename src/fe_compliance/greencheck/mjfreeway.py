"""MJ Freeway (MJ Platform): the product's medicated net weight, in its unit, times the units sold (seed 003,
"MJ Freeway").

The seed names one field, the product's "Medicated Net Weight": the weight of the cannabis in one unit, as opposed
to the package or the carrier (the chocolate around the infused oil). No public API document names it, so this
module reads it under the seed's label in the casing MJ Freeway's own data keys use (snake_case, as in
``item_master`` and ``gross_weight_base`` in MJ Platform's label data keys): ``medicated_net_weight``.

MJ Platform keeps weights with a unit of measure beside them (its label data keys even report some weights in
micrograms), so a bare number is not assumed to be grams: the unit is read from ``medicated_net_weight_uom``, and
a weight without a unit is skipped with that reason, which ends the chain in a ``NoGramsError``.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_SEED = "seed label \"Medicated Net Weight\" in MJ Freeway's snake_case (no API name found; vendor-fields.md)"
_UOM = ("not found; named after the field it qualifies (MJ Platform records a unit of measure beside each weight, "
        "support article \"Data Keys Reference\")")
_QTY = "not found (vendor-fields.md lists no MJ Freeway order fields); the plain name"
_LINE_UOM = ("not found; MJ Platform's inventory page labels its unit column \"Uom\" (EA for unit-based, GR for "
             "weight-based)")

VENDOR = VendorSpec(
    slug="mjfreeway",
    name="MJ Freeway (MJ Platform)",
    rule=seed_rule(
        "mjfreeway", "MJ Freeway",
        "MJ Freeway grams are the product's medicated net weight, in its unit, times the units sold",
    ),
    summary=(
        "The grams of an MJ Freeway sale are calculated from one field: the product's medicated net weight, the "
        "weight of the cannabis in one unit. It is read in the unit of measure written beside it, converted to "
        "grams and multiplied by the number of units on the line. There is no fallback in the seed, so a product "
        "without a medicated net weight (or without its unit) has no grams."
    ),
    records={
        Record.PRODUCT: "the MJ Freeway product master (item master) of the item sold",
        Record.SALE_LINE: "one item of an MJ Freeway order",
    },
    fields=(
        FieldDoc("medicated_net_weight", Record.PRODUCT, Confidence.NONE_FOUND, _SEED,
                 "the medicated net weight of one unit"),
        FieldDoc("medicated_net_weight_uom", Record.PRODUCT, Confidence.NONE_FOUND, _UOM,
                 "the unit of medicated_net_weight (\"GR\", \"g\", \"MG\", \"Milligrams\", \"OZ\" ...); a count "
                 "(\"EA\") or a volume is skipped"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND, _QTY, "units sold on the line"),
        FieldDoc("uom", Record.SALE_LINE, Confidence.NONE_FOUND, _LINE_UOM,
                 "what quantity counts: must be a count (\"EA\") when given; a weight (\"GR\") is refused"),
    ),
    steps=(
        Weight("medicated net weight", Record.PRODUCT, "medicated_net_weight", Basis.NET_WEIGHT,
               unit_field="medicated_net_weight_uom"),
    ),
    quantity=LineQuantity("quantity", unit_field="uom"),
    decisions=(
        "No API name for \"Medicated Net Weight\" was found. The module reads `medicated_net_weight`, the seed's "
        "label in the snake_case MJ Freeway uses for its data keys; a caller whose export names it differently "
        "maps the key before calling. The docs table marks the name as not found.",
        "The weight is read only with its unit (`medicated_net_weight_uom`, through the one unit table: \"GR\", "
        "\"g\", \"Grams\", \"MG\", \"Milligrams\", \"OZ\" ...). MJ Platform stores weights with a unit of measure "
        "(some in micrograms), so a bare number is skipped with that reason instead of being taken for grams: "
        "a 100 mg medicated weight read as 100 g would turn a legal edible sale into a limit exception.",
        "The seed says the grams are calculated from the medicated net weight and gives no other field, so there "
        "is no fallback: without it the line raises NoGramsError (never zero).",
        "The value is per unit and multiplied by the line's `quantity`. When the line's `uom` says the quantity "
        "is a weight (\"GR\", a product sold by the gram), multiplying a per-unit weight by it would be wrong: "
        "that is a VendorFieldError naming `sale_line.uom`.",
        "Basis `net_weight`: the medicated net weight is the weight of the cannabis content of a unit, not of its "
        "package and not a THC figure.",
    ),
)
