"""Alleaves: the item's usable weight (seed 003, "Alleaves").

The seed names one field, the "Usable Weight" on the Item record. No public Alleaves API documentation or client
code was found (``vendor-fields.md``: none found), so the field is read under the seed's label in snake case,
``usable_weight``, and the item's weight is taken to be in grams: usable weight is the track-and-trace measure of
the cannabis in a unit (BioTrack keeps it in grams), and state systems report weights in grams. Both choices are
written on the vendor's page; a caller whose records spell the field differently renames it before calling.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_SEED = "none found: the seed's label (003, \"Alleaves\") in snake case"

VENDOR = VendorSpec(
    slug="alleaves",
    name="Alleaves",
    rule=seed_rule(
        "alleaves", "Alleaves",
        "Alleaves grams are the usable weight on the item record, in grams, times the units sold",
    ),
    summary=(
        "One field decides: the usable weight recorded on the Alleaves item, the amount of cannabis in one unit. "
        "It is read in grams and multiplied by the number of units on the sale line. An item without a usable "
        "weight has no grams; nothing else is consulted, because the seed names nothing else."
    ),
    records={
        Record.PRODUCT: "the Alleaves item record (the product as sold)",
        Record.SALE_LINE: "one line of an Alleaves sale",
    },
    fields=(
        FieldDoc("usable_weight", Record.PRODUCT, Confidence.NONE_FOUND, _SEED,
                 "usable cannabis weight of one unit of the item, in grams"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a sale line's count", "units of the item sold on the line"),
    ),
    steps=(
        Weight("item usable weight", Record.PRODUCT, "usable_weight", Basis.USABLE_WEIGHT, unit="g"),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "No Alleaves field names are public: the item's \"Usable Weight\" is read as `usable_weight` and the line's "
        "count as `quantity` (snake case, the seed's labels). Rename other spellings before calling.",
        "The usable weight is in grams. No unit field beside it is known, and usable weight is the "
        "track-and-trace measure of the cannabis in a unit, which BioTrack keeps in grams. A number carrying its "
        "own unit, such as \"3.5 g\", is refused by name rather than parsed, so a unit the library cannot see is "
        "never assumed.",
        "The usable weight is per unit of the item and multiplied by the line's `quantity`; a line without a "
        "quantity raises NoQuantityError rather than counting one unit.",
        "An item whose usable weight is missing, null or 0 has no grams (NoGramsError): the seed gives no fallback, "
        "and none is invented.",
    ),
)
