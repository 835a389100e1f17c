"""Dutchie (formerly LeafLogix): THC content in a weight unit, product grams, the sale's item weight, then the
flower equivalent (seed 003, "Dutchie (FKA Leaflogix)")."""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .plausibility import Plausibility
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_REF = "vendor-fields.md (Dutchie POS reporting API, confirmed)"

VENDOR = VendorSpec(
    slug="dutchie",
    name="Dutchie (formerly LeafLogix)",
    rule=seed_rule(
        "dutchie", "Dutchie (FKA Leaflogix)",
        ("Dutchie grams: THC content when its unit is a weight, else product grams, else the sale's item "
         "weight in its unit, else the sale's flower equivalent"),
    ),
    summary=(
        "Four fields are tried in order. The product's THC content counts only when its unit is a weight "
        "(milligrams, grams): a percentage says nothing about grams, so the chain moves on. Next comes the "
        "product's own grams field, then the weight of one unit as written on the sale with its unit, and last "
        "the flower equivalent on the sale, which the seed trusts least because not every store or state fills "
        "it in. Each is the value of one unit, multiplied by the line's quantity."
    ),
    records={
        Record.PRODUCT: "the Dutchie product (POS reporting API product record)",
        Record.SALE_LINE: "one item of a Dutchie transaction (`items[]` of the transaction)",
    },
    fields=(
        FieldDoc("thcContent", Record.PRODUCT, Confidence.CONFIRMED, _REF, "THC content of one unit"),
        FieldDoc("thcContentUnit", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "unit of thcContent: used only when a weight (\"mg\", \"g\"); \"%\" is skipped"),
        FieldDoc("productGrams", Record.PRODUCT, Confidence.CONFIRMED, _REF, "grams of one unit of the product"),
        FieldDoc("unitWeight", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the seed's \"Item Weight\": weight of one unit sold"),
        FieldDoc("unitWeightUnit", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the seed's \"Item's Unit Weight\": the unit of unitWeight"),
        FieldDoc("flowerEquivalent", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "Dutchie's flower equivalent of one unit sold"),
        FieldDoc("flowerEquivalentUnit", Record.SALE_LINE, Confidence.CONFIRMED, _REF, "unit of flowerEquivalent"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.CONFIRMED, _REF, "units sold on the line"),
        FieldDoc("netWeight", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "net weight of one unit: plausibility cross-check only"),
        FieldDoc("netWeightUnit", Record.PRODUCT, Confidence.CONFIRMED, _REF, "unit of netWeight"),
    ),
    steps=(
        Weight("THC content", Record.PRODUCT, "thcContent", Basis.THC, unit_field="thcContentUnit"),
        Weight("product grams", Record.PRODUCT, "productGrams", Basis.PRODUCT_WEIGHT, unit="g"),
        Weight("item weight on the sale", Record.SALE_LINE, "unitWeight", Basis.UNIT_WEIGHT,
               unit_field="unitWeightUnit"),
        Weight("flower equivalent on the sale", Record.SALE_LINE, "flowerEquivalent", Basis.FLOWER_EQUIVALENT,
               unit_field="flowerEquivalentUnit"),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The THC step is taken only when `thcContentUnit` is a mass unit of the one spelling table. A percentage, "
        "a count, a missing unit or a spelling the table does not know all fail the seed's condition \"the unit "
        "is weight-based\", so the chain falls back, and the trace says which it was.",
        "`productGrams` is in grams (its name says so; Dutchie gives it no unit field).",
        "`unitWeight` and `flowerEquivalent` are read only with their unit fields: a weight without its unit is "
        "skipped, not guessed to be grams.",
        "All four values are per unit and multiplied by the line's `quantity`. For `flowerEquivalent` on a "
        "transaction item this is unconfirmed (it may be per line); reading it per unit can only over-count, "
        "which flags a sale for review rather than passing one that broke a limit.",
        "`netWeight` (not in the seed's chain) is read only to cross-check the value chosen.",
    ),
    plausibility=Plausibility(
        cross_checks=(
            Weight("net weight", Record.PRODUCT, "netWeight", Basis.NET_WEIGHT, unit_field="netWeightUnit"),
            Weight("product grams", Record.PRODUCT, "productGrams", Basis.PRODUCT_WEIGHT, unit="g"),
        ),
    ),
)
