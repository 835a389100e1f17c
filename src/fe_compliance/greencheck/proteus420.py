"""Proteus420: the product's MMJ weight, in grams, times the units sold (seed 003, "Proteus420").

The seed names one field, the product's "MMJ Weight" (the weight of the medical marijuana in one unit), and says
Green Check uses it "to determine the number of grams sold". Proteus420 publishes no JSON API, so no real field
name is known: this module reads the seed's label in camelCase, ``mmjWeight``, the usual casing of a JSON export.
No unit field is known either; the seed's wording makes the value a number of grams, and it is read as grams.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_SEED = ("seed label \"MMJ Weight\" in camelCase; Proteus420 has no public JSON API, so no real name is known "
         "(vendor-fields.md)")

VENDOR = VendorSpec(
    slug="proteus420",
    name="Proteus420",
    rule=seed_rule(
        "proteus420", "Proteus420",
        "Proteus420 grams are the product's MMJ weight, in grams, times the units sold",
    ),
    summary=(
        "One field decides: the product's MMJ weight, the weight of the medical marijuana in one unit of the "
        "product. It is a number of grams, per unit, so it is multiplied by the number of units on the line. The "
        "seed gives no fallback: a product without an MMJ weight has no grams."
    ),
    records={
        Record.PRODUCT: "the Proteus420 product (inventory item) sold, as exported",
        Record.SALE_LINE: "one line of a Proteus420 sale, as exported",
    },
    fields=(
        FieldDoc("mmjWeight", Record.PRODUCT, Confidence.NONE_FOUND, _SEED, "grams of marijuana in one unit"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "not found (no public API); the plain name", "units sold on the line"),
    ),
    steps=(
        Weight("MMJ weight", Record.PRODUCT, "mmjWeight", Basis.PRODUCT_WEIGHT, unit="g"),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "Proteus420 has no public JSON API, so the field is read under the seed's label in camelCase, `mmjWeight`, "
        "and the line's count under `quantity`; a caller whose export uses other keys maps them before calling. "
        "Both are marked \"none found\" above.",
        "`mmjWeight` is read as grams: the seed says the MMJ weight determines \"the number of grams sold\", and no "
        "unit field is known. A milligram figure keyed into it would read a thousand times too large; the shared "
        "plausibility thresholds (more than a pound per unit, a kilogram per line) flag the worst of those.",
        "The MMJ weight is a property of the product, so it is per unit and multiplied by the line's `quantity`; "
        "a line without a quantity raises NoQuantityError rather than being counted as one unit.",
        "There is no fallback in the seed: a missing or zero MMJ weight raises NoGramsError (never zero grams).",
    ),
)
