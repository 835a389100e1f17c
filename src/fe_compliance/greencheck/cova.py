"""Cova: THC content for edibles, then net weight (seed 003, "Cova"), and the rule chosen for non-edibles.

The seed covers edibles only: THC Content from the product's Specifications, else its Net Weight. For everything
else the seed is silent, and this module takes the reading a compliance officer can defend for flower, pre-rolls,
vapes and concentrates, whose purchase limits count product weight, not THC: the Net Weight, never the THC content.
Cova's confirmed ``MeasurementType`` refines that: a product sold by ``Mass`` (bulk flower weighed at the counter)
has its weight on the sale line, in the line's quantity, and a per-unit net weight would multiply a weight by a
weight.

Field names: ``ClassificationName`` / ``ClassificationPath`` and ``MeasurementType`` are confirmed. The keys inside
the Specifications list are not (``vendor-fields.md``, partial); this module reads it as a list of named entries,
``[{"Name": "THC Content", "Value": 10, "Unit": "mg"}, ...]``, in Cova's Pascal case.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .plausibility import Plausibility
from .result import Basis
from .steps import AllOf, AnyOf, FieldIs, ItemWhere, LineQuantity, Not, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["EDIBLE", "MASS", "VENDOR"]

_CONFIRMED = "vendor-fields.md (Cova, confirmed)"
_SPEC = "vendor-fields.md (Cova, partial): the Specifications list is known, its keys are not; Cova's Pascal case"

EDIBLE = AnyOf(
    FieldIs(Record.PRODUCT, "ClassificationName", contains=("edible", "beverage")),
    FieldIs(Record.PRODUCT, "ClassificationPath", contains=("edible", "beverage")),
)
"""The seed's "the product is an edible": the classification (name or path) says edible, or beverage."""

MASS = FieldIs(Record.PRODUCT, "MeasurementType", equals=("mass",))
"""Sold by weight: the sale line's quantity is the weight sold."""

_NET_WEIGHT_APPLIES = AnyOf(EDIBLE, Not(MASS))
_WEIGHT_SOLD_APPLIES = AllOf(MASS, Not(EDIBLE))
"""A non-edible sold by mass: an edible follows the seed's two steps only, whatever its MeasurementType."""

_THC = ItemWhere("Specifications", "Name", ("thc content",))
_NET = ItemWhere("Specifications", "Name", ("net weight",))

_NET_WEIGHT = Weight("net weight (Specifications)", Record.PRODUCT, "Value", Basis.NET_WEIGHT, unit_field="Unit",
                     within=_NET, when=_NET_WEIGHT_APPLIES)

VENDOR = VendorSpec(
    slug="cova",
    name="Cova",
    rule=seed_rule(
        "cova", "Cova",
        ("Cova grams: for edibles the THC content of the specifications, else their net weight; for other "
         "products the net weight, or the weight sold when the product is sold by mass"),
    ),
    summary=(
        "An edible (its classification says edible or beverage) is counted by the THC content listed in its "
        "specifications, and by its net weight when no THC content in a weight unit is listed, as the seed says. "
        "Other products are counted by their net weight, because purchase limits for flower, pre-rolls, vapes and "
        "concentrates are limits on product weight; a product Cova sells by mass is counted by the weight on the "
        "sale line instead. THC content and net weight describe one unit and are multiplied by the line's "
        "quantity; the weight sold is already the whole line."
    ),
    records={
        Record.PRODUCT: "the Cova catalog product (with its classification, measurement type and specifications)",
        Record.SALE_LINE: "one line item of a Cova sale",
    },
    fields=(
        FieldDoc("ClassificationName", Record.PRODUCT, Confidence.CONFIRMED, _CONFIRMED,
                 "text containing \"edible\" or \"beverage\" selects the edible branch; plausibility category"),
        FieldDoc("ClassificationPath", Record.PRODUCT, Confidence.CONFIRMED, _CONFIRMED,
                 "e.g. \"Edibles > Gummies\": the same test; plausibility category"),
        FieldDoc("MeasurementType", Record.PRODUCT, Confidence.CONFIRMED, _CONFIRMED,
                 "\"SingleUnit\" or \"Mass\": a non-edible sold by Mass is weighed by the line's quantity"),
        FieldDoc("Specifications", Record.PRODUCT, Confidence.PARTIAL, _SPEC,
                 "the list of named specification entries"),
        FieldDoc("Specifications.Name", Record.PRODUCT, Confidence.NONE_FOUND, _SPEC,
                 "entry name: \"THC Content\" and \"Net Weight\" (the seed's labels, any case) are read"),
        FieldDoc("Specifications.Value", Record.PRODUCT, Confidence.NONE_FOUND, _SPEC,
                 "the entry's amount for one unit"),
        FieldDoc("Specifications.Unit", Record.PRODUCT, Confidence.NONE_FOUND, _SPEC,
                 "the entry's unit (\"mg\", \"g\" ...); a percentage is skipped"),
        FieldDoc("Quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a line's count, in Cova's Pascal case",
                 "units sold; for a product sold by Mass, the grams sold"),
    ),
    steps=(
        Weight("THC content (Specifications)", Record.PRODUCT, "Value", Basis.THC, unit_field="Unit", within=_THC,
               when=EDIBLE),
        _NET_WEIGHT,
        Weight("weight sold (sold by mass)", Record.SALE_LINE, "Quantity", Basis.WEIGHT_SOLD, unit="g",
               per_unit=False, when=_WEIGHT_SOLD_APPLIES),
    ),
    quantity=LineQuantity("Quantity"),
    decisions=(
        "Edible: `ClassificationName` or `ClassificationPath` contains \"edible\" or \"beverage\" (any case). "
        "Infused beverages are edibles in state rules (their limits are in milligrams of THC), so a catalog that "
        "files them outside Edibles still takes the edible branch.",
        "The Specifications list is read as named entries `{\"Name\", \"Value\", \"Unit\"}`; the entry named "
        "\"THC Content\" or \"Net Weight\" (case-folded, exactly) is used, the first one if repeated. These keys "
        "are our assumption (the list's inner names are not public); other shapes are refused by name.",
        "Edibles follow the seed exactly: THC content when its unit is a weight, else net weight. A THC "
        "percentage, or a THC entry without a unit, falls back to the net weight, as a missing value does.",
        "Non-edibles (the seed is silent): the net weight, never the THC content. Limits on flower, pre-rolls, "
        "vapes and concentrates count product weight, and Cova's THC content for them is usually a percentage; "
        "counting THC grams would under-count such a sale many times over.",
        "A non-edible whose `MeasurementType` is \"Mass\" is weighed by the line's `Quantity`, read as grams (the "
        "weight sold; Cova sells mass products by the gram, an assumption the sources do not state). Its net "
        "weight is not used: multiplied by a quantity that is already a weight it would be meaningless. A "
        "missing `MeasurementType` counts as a single-unit product.",
        "Edibles are not refined by `MeasurementType`: the seed's edible chain (THC content, then net weight) is "
        "followed as written, and an edible sold by Mass with neither gives NoGramsError, not the line's quantity.",
        "THC content and net weight are per unit and multiplied by `Quantity`; the weight sold is the whole line.",
        "With nothing usable: NoGramsError, never zero.",
    ),
    plausibility=Plausibility(
        category=((Record.PRODUCT, "ClassificationPath"), (Record.PRODUCT, "ClassificationName")),
        cross_checks=(_NET_WEIGHT,),
    ),
)
