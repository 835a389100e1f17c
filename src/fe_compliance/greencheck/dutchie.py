"""Dutchie (formerly LeafLogix): THC content in a weight unit, product grams, the sale's item weight, then the
flower equivalent (seed 003, "Dutchie (FKA Leaflogix)").

Dutchie sends two shapes (``vendor-fields.md``, Dutchie): the POS reporting API in camelCase with numbers and the
unit in a sibling field (``"productGrams": 28.35``, ``"thcContent": 100, "thcContentUnit": "mg"``), and the
register / price-check API in PascalCase with the unit inside the value (``"ProductGrams": "28.35 g"``). Each rung
of the seed's chain reads the camelCase field, then its PascalCase twin (which may carry its unit in its value), so
a record of either shape walks the same chain. Until issue 9 only the camelCase shape was read: a register-API
record gave no grams.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .plausibility import Plausibility
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_REF = "vendor-fields.md (Dutchie POS reporting API, confirmed)"
_REGISTER = "vendor-fields.md (Dutchie register / price-check API: PascalCase, unit inside the value; confirmed)"
_TWIN = ("partial: the PascalCase twin of the confirmed `{camel}`, as the register API spells its fields "
         "(vendor-fields.md names ProductGrams)")


def _twin(camel: str) -> str:
    return _TWIN.format(camel=camel)

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
        FieldDoc("ThcContent", Record.PRODUCT, Confidence.PARTIAL, _twin("thcContent"),
                 "register API: THC content of one unit, a number or text with its unit (\"100 mg\")"),
        FieldDoc("ThcContentUnit", Record.PRODUCT, Confidence.PARTIAL, _twin("thcContentUnit"),
                 "register API: unit of ThcContent when the value carries none"),
        FieldDoc("ProductGrams", Record.PRODUCT, Confidence.CONFIRMED, _REGISTER,
                 "register API: grams of one unit, often text with its unit (\"28.35 g\")"),
        FieldDoc("UnitWeight", Record.SALE_LINE, Confidence.PARTIAL, _twin("unitWeight"),
                 "register API: weight of one unit sold, a number or text with its unit"),
        FieldDoc("UnitWeightUnit", Record.SALE_LINE, Confidence.PARTIAL, _twin("unitWeightUnit"),
                 "register API: unit of UnitWeight when the value carries none"),
        FieldDoc("FlowerEquivalent", Record.SALE_LINE, Confidence.PARTIAL, _twin("flowerEquivalent"),
                 "register API: flower equivalent of one unit sold, a number or text with its unit"),
        FieldDoc("FlowerEquivalentUnit", Record.SALE_LINE, Confidence.PARTIAL, _twin("flowerEquivalentUnit"),
                 "register API: unit of FlowerEquivalent when the value carries none"),
        FieldDoc("Quantity", Record.SALE_LINE, Confidence.PARTIAL, _twin("quantity"),
                 "register API: units sold on the line, when `quantity` is not set"),
        FieldDoc("netWeight", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "net weight of one unit: plausibility cross-check only"),
        FieldDoc("netWeightUnit", Record.PRODUCT, Confidence.CONFIRMED, _REF, "unit of netWeight"),
    ),
    steps=(
        Weight("THC content", Record.PRODUCT, "thcContent", Basis.THC, unit_field="thcContentUnit"),
        Weight("THC content (register API)", Record.PRODUCT, "ThcContent", Basis.THC, unit_field="ThcContentUnit",
               unit_in_value=True),
        Weight("product grams", Record.PRODUCT, "productGrams", Basis.PRODUCT_WEIGHT, unit="g"),
        Weight("product grams (register API)", Record.PRODUCT, "ProductGrams", Basis.PRODUCT_WEIGHT, unit="g",
               unit_in_value=True),
        Weight("item weight on the sale", Record.SALE_LINE, "unitWeight", Basis.UNIT_WEIGHT,
               unit_field="unitWeightUnit"),
        Weight("item weight on the sale (register API)", Record.SALE_LINE, "UnitWeight", Basis.UNIT_WEIGHT,
               unit_field="UnitWeightUnit", unit_in_value=True),
        Weight("flower equivalent on the sale", Record.SALE_LINE, "flowerEquivalent", Basis.FLOWER_EQUIVALENT,
               unit_field="flowerEquivalentUnit"),
        Weight("flower equivalent on the sale (register API)", Record.SALE_LINE, "FlowerEquivalent",
               Basis.FLOWER_EQUIVALENT, unit_field="FlowerEquivalentUnit", unit_in_value=True),
    ),
    quantity=LineQuantity("quantity", alternatives=("Quantity",)),
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
        "Two shapes, one chain: each rung reads the reporting API's camelCase field (a number, its unit in a "
        "sibling), then the register API's PascalCase twin (`ThcContent`, `ProductGrams`, `UnitWeight`, "
        "`FlowerEquivalent`), whose value may carry its unit (\"28.35 g\", \"100 mg\") and is read by the "
        "library's one reader of amounts with their unit. A unit in the value wins; one that disagrees with a set "
        "unit field (\"100 mg\" beside \"g\") is a VendorFieldError; a percentage in the value (\"22.5%\") is "
        "skipped like a percentage unit. The quantity is `quantity`, else `Quantity`. Only `ProductGrams` is named "
        "in vendor-fields.md; the other PascalCase names are the camelCase names in the register API's casing "
        "(partial), and a record of the reporting shape never reaches them.",
    ),
    plausibility=Plausibility(
        cross_checks=(
            Weight("net weight", Record.PRODUCT, "netWeight", Basis.NET_WEIGHT, unit_field="netWeightUnit"),
            Weight("product grams", Record.PRODUCT, "productGrams", Basis.PRODUCT_WEIGHT, unit="g"),
        ),
    ),
    changes=(
        "Issue 9 (a review against Dutchie's register / price-check API): that API sends PascalCase fields "
        "with the unit inside the value (`\"ProductGrams\": \"28.35 g\"`), which gave no grams. Each rung now "
        "reads the camelCase field, then its PascalCase twin (`Weight(unit_in_value=True)`), and the "
        "quantity `quantity`, else `Quantity`. Field names: vendor-fields.md (Dutchie, confirmed; "
        "ProductGrams is named there, the other PascalCase names are the camelCase ones in the register "
        "API's casing).",
    ),
)
