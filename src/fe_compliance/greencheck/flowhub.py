"""Flowhub: THC for edibles and "Each" products (never a percentage), then product weight, then the
unit-of-measure-to-grams multiplier (seed 003, "Flowhub")."""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .plausibility import Plausibility
from .result import Basis
from .steps import AnyOf, FieldIs, ItemWhere, LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["EDIBLE_OR_EACH", "NOT_EDIBLE", "VENDOR"]

_REF = "vendor-fields.md (Flowhub, confirmed)"

NOT_EDIBLE = ("nonedible", "non-edible", "non edible", "non_edible")
"""Flowhub's category enum has "NonEdible" beside "Edibles" (vendor-fields.md): it contains "edible" and is not one."""

EDIBLE_OR_EACH = AnyOf(
    FieldIs(Record.PRODUCT, "category", contains=("edible",), excludes=NOT_EDIBLE),
    FieldIs(Record.PRODUCT, "productUnitOfMeasure", equals=("each",)),
    FieldIs(Record.SALE_LINE, "unitOfWeight", equals=("each",)),
)
"""The seed's "the product is an edible or sold as 'Each'"."""

_THC = ItemWhere("cannabinoidInformation", "name", ("thc",))

VENDOR = VendorSpec(
    slug="flowhub",
    name="Flowhub",
    rule=seed_rule(
        "flowhub", "Flowhub",
        ("Flowhub grams: for edibles and Each products the THC of the cannabinoid information unless it "
         "is a percentage; then the product weight; then the unit-of-measure-to-grams multiplier"),
    ),
    summary=(
        "Edibles and products sold as \"Each\" start with the THC entry of the cannabinoid information, read only "
        "when its unit of measure is a weight: a THC percentage is ignored, as the seed says, and the product "
        "weight is used instead. Every other product starts at the product weight. Both branches end with the "
        "multiplier that turns one unit of the product's unit of measure into grams. All values are per unit and "
        "multiplied by the line's quantity."
    ),
    records={
        Record.PRODUCT: "the Flowhub inventory item",
        Record.SALE_LINE: "one line (item) of a Flowhub order",
    },
    fields=(
        FieldDoc("category", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "\"Edibles\" (any text containing \"edible\", not \"NonEdible\") selects the edible branch; "
                 "plausibility category"),
        FieldDoc("productUnitOfMeasure", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "\"each\" selects the Each branch"),
        FieldDoc("unitOfWeight", Record.SALE_LINE, Confidence.CONFIRMED, _REF, "\"Each\" selects the Each branch"),
        FieldDoc("cannabinoidInformation", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "list of cannabinoids; the element named \"thc\" is read"),
        FieldDoc("cannabinoidInformation.name", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "cannabinoid name of each element (\"thc\", \"thc-a\" ...)"),
        FieldDoc("cannabinoidInformation.upperRange", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "THC amount of one unit (upper end of the range)"),
        FieldDoc("cannabinoidInformation.lowerRange", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "THC amount when no upper end is given"),
        FieldDoc("cannabinoidInformation.unitOfMeasure", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "\"mg\" is read; \"%\" is ignored (the percentage rule)"),
        FieldDoc("productWeight", Record.PRODUCT, Confidence.CONFIRMED, _REF, "weight of one unit, in grams"),
        FieldDoc("productUnitOfMeasureToGramsMultiplier", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "grams in one unit of productUnitOfMeasure (a number or a numeric string)"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "units (or, for products sold by the gram, grams) on the line"),
    ),
    steps=(
        Weight("THC content (upper range)", Record.PRODUCT, "upperRange", Basis.THC, unit_field="unitOfMeasure",
               within=_THC, when=EDIBLE_OR_EACH),
        Weight("THC content (lower range)", Record.PRODUCT, "lowerRange", Basis.THC, unit_field="unitOfMeasure",
               within=_THC, when=EDIBLE_OR_EACH),
        Weight("product weight", Record.PRODUCT, "productWeight", Basis.PRODUCT_WEIGHT, unit="g"),
        Weight("unit of measure to grams multiplier", Record.PRODUCT, "productUnitOfMeasureToGramsMultiplier",
               Basis.UNIT_MULTIPLIER, unit="g"),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "\"Edible\" is any `category` containing \"edible\" (case-folded: \"Edibles\", \"Infused Edible\") but "
        "not \"nonedible\" (or \"non-edible\", \"non edible\"): Flowhub's category enum has \"NonEdible\" beside "
        "\"Edibles\" (vendor-fields.md), and a NonEdible product (a topical, a vape) takes the non-edible "
        "chain, product weight first. Until this was fixed, \"NonEdible\" selected the edible branch. \"Each\" "
        "is `productUnitOfMeasure` \"each\" on the product or `unitOfWeight` \"Each\" on the order line.",
        "The THC entry is the first element of `cannabinoidInformation` whose `name` is \"thc\" (case-folded); "
        "\"thc-a\" and other cannabinoids are not THC for this rule.",
        "The THC amount is `upperRange`, falling back to `lowerRange` when the upper end is missing: for a "
        "range, the upper end is the conservative reading for a purchase limit. Its unit is the element's "
        "`unitOfMeasure` read through the one unit table (the element's own multiplier is not used).",
        "`productWeight` is in grams: Flowhub documents no unit field beside it.",
        "The multiplier is grams per unit of `productUnitOfMeasure`: for a product sold by the gram it is 1 and "
        "the line's `quantity` is the grams sold, so both cases are multiplier times quantity.",
        "A non-edible, non-Each product never reads THC: its chain is product weight, then the multiplier.",
        "Plausibility: the product weight and the multiplier both weigh one unit, so a value from either that is "
        "ten times the other or more (100 \"g\" of product weight on an edible whose multiplier says 0.1 g) comes "
        "back with a `weights_disagree` warning; THC heavier than either is `thc_exceeds_weight`.",
    ),
    plausibility=Plausibility(
        category=((Record.PRODUCT, "category"),),
        cross_checks=(
            Weight("product weight", Record.PRODUCT, "productWeight", Basis.PRODUCT_WEIGHT, unit="g"),
            Weight("unit of measure to grams multiplier", Record.PRODUCT, "productUnitOfMeasureToGramsMultiplier",
                   Basis.UNIT_MULTIPLIER, unit="g"),
        ),
    ),
    changes=(
        "Issue 9 (a review against Flowhub's category enum): \"NonEdible\" contains \"edible\" and selected the "
        "edible branch (and the edible plausibility threshold); it is now excluded, so a NonEdible product "
        "reads its product weight first. Source: vendor-fields.md (Flowhub, confirmed).",
    ),
)
