"""POSaBIT: bulk (deli) items by the weight on the sale, other items by the product's THC measure (seed 003,
"POSaBIT").

POSaBIT's inventory record says whether an item is sold in bulk (``bulk_item``, a boolean) and carries its THC as
free text (``thc_measure``). A sales-history item carries ``quantity``, ``weight``, ``unit_weight``,
``unit_of_weight`` and ``weight_in_grams`` (names from a typed API v2 client, see ``vendor-fields.md``).

``bulk_item`` is a JSON boolean, tested with :class:`~fe_compliance.greencheck.steps.FlagIs` (the library's one
rule for true/false fields). ``thc_measure``, whose format POSaBIT does not document, is read by the library's one
reader of amounts written with their unit, :func:`~fe_compliance.greencheck.fields.parse_measure`: a number followed
by a unit spelling of the one unit table (``"100mg"``, ``"100 mg"``, ``"3.5g"``, ``"0.1 G"``, ``"1,000 mg"``); a
percentage (``"22.5%"``) is never a weight; a bare number (``"100"``) has no unit and is not guessed; any other text
is refused by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .fields import UNKNOWN_UNIT, Confidence, FieldDoc, Record, as_unit, measure_grams, parse_measure
from .plausibility import Plausibility
from .result import Basis, ExtractOptions
from .steps import Compute, FlagIs, LineQuantity, Not, Note, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["BULK", "NOT_BULK", "VENDOR"]

_REF = "vendor-fields.md (POSaBIT API v2, from third-party client code)"
_CLIENT = "POSaBIT API v2 typed client (the one vendor-fields.md cites); not listed in vendor-fields.md"


BULK = FlagIs(Record.PRODUCT, "bulk_item", True)
"""The seed's "a bulk/deli-style item"."""

NOT_BULK = Not(BULK)
"""Not a bulk item: ``bulk_item`` false or not given."""


_THC: Final = "thc_measure"
_THC_SOURCE: Final = f"product.{_THC}"
_PACK: Final = "unit"
_PACK_SOURCE: Final = f"product.{_PACK}"
_PARSED_MAX: Final = 4096


def _measure_reader(field: str) -> Callable[[Mapping[str, Any], Mapping[str, Any], ExtractOptions, Note],
                                             float | None]:
    """A :class:`Compute` function reading ``product.<field>`` as an amount written with its unit (``"100mg"``,
    ``"3.5g"``): grams per unit when the unit is a mass, else ``None`` with the reason. Text already read is looked
    up in a bounded cache (many lines share one product's text)."""
    source = f"product.{field}"
    parsed: dict[str, float | str] = {}  # raw text -> grams per unit, or the reason it gives none

    def grams_of(raw: Any) -> float | str:
        if type(raw) is str and raw.strip() and as_unit(raw, source) is not UNKNOWN_UNIT:
            return f"{source} is {raw!r}, a unit without an amount, not a weight"  # "each": a count per unit
        measure = parse_measure(raw, source)
        if measure is None:
            return f"{source} is missing"
        if measure.value == 0:
            return f"{source} is {raw!r}, 0, treated as not set"
        return measure_grams(measure, source, raw)  # no default unit: a bare number is not guessed

    def read(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
             note: Note) -> float | None:
        raw = product.get(field)
        outcome = parsed.get(raw) if type(raw) is str else None
        if outcome is None:
            outcome = grams_of(raw)
            if type(raw) is str:
                if len(parsed) >= _PARSED_MAX:  # garbage text must not grow the cache without bound
                    parsed.clear()
                parsed[raw] = outcome
        if isinstance(outcome, str):
            if note is not None:
                note(outcome)
            return None
        if note is not None:
            note(f"{source} = {raw!r} -> {outcome:.6g} g per unit")
        return outcome

    return read


VENDOR = VendorSpec(
    slug="posabit",
    name="POSaBIT",
    rule=seed_rule(
        "posabit", "POSaBIT",
        ("POSaBIT grams: for a bulk/deli item the weight on the sale; for any other item the product's "
         "THC measure, times the units sold"),
    ),
    summary=(
        "A bulk (deli-style) item is weighed at the counter, so its grams are the weight written on the sale "
        "line: the weight in its unit, else the same weight already in grams, else the weight of one unit times "
        "the units sold. Any other item is a packaged unit, and its grams are the THC measure of the product "
        "(\"100mg\", \"3.5 g\"), read only when it is a weight, times the units sold: a THC percentage is never a "
        "weight."
    ),
    records={
        Record.PRODUCT: "the POSaBIT inventory item (API v2 `inventories` element)",
        Record.SALE_LINE: "one item of a POSaBIT sales history (`sales_histories[].items[]`)",
    },
    fields=(
        FieldDoc("bulk_item", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "true selects the bulk (deli) branch; false or missing the packaged branch"),
        FieldDoc("weight", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the seed's \"Weight\" on the sale: the weight sold on the line, in unit_of_weight"),
        FieldDoc("unit_of_weight", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "unit of weight and unit_weight (\"g\", \"mg\", \"oz\" ...)"),
        FieldDoc("weight_in_grams", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the weight sold on the line, already in grams"),
        FieldDoc("unit_weight", Record.SALE_LINE, Confidence.CONFIRMED, _REF,
                 "the weight of one unit sold, in unit_of_weight"),
        FieldDoc("thc_measure", Record.PRODUCT, Confidence.CONFIRMED, f"{_REF}; its format is not documented",
                 "the seed's \"THC Measure\": free text such as \"100mg\"; read only when it names a weight unit"),
        FieldDoc("unit", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the pack size as text (\"3.5g\"): the weight of one packaged unit, read when thc_measure gives "
                 "no weight (a percentage on packaged flower)"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.CONFIRMED, _REF, "units sold on the line"),
        FieldDoc("category", Record.PRODUCT, Confidence.CONFIRMED, _CLIENT,
                 "category text, for the plausibility thresholds only"),
        FieldDoc("category", Record.SALE_LINE, Confidence.CONFIRMED, _CLIENT,
                 "category text on the sale item, for the plausibility thresholds only"),
    ),
    steps=(
        Weight("weight sold", Record.SALE_LINE, "weight", Basis.WEIGHT_SOLD, unit_field="unit_of_weight",
               per_unit=False, when=BULK),
        Weight("weight sold in grams", Record.SALE_LINE, "weight_in_grams", Basis.WEIGHT_SOLD, unit="g",
               per_unit=False, when=BULK),
        Weight("unit weight times quantity", Record.SALE_LINE, "unit_weight", Basis.UNIT_WEIGHT,
               unit_field="unit_of_weight", when=BULK),
        Compute("THC measure", _THC, Record.PRODUCT, Basis.THC, _measure_reader(_THC),
                reads=((Record.PRODUCT, _THC),),
                explains=(f"`{_THC_SOURCE}` read as a number followed by a weight unit (\"100mg\", \"100 mg\", "
                          "\"3.5g\"); a percentage, a count, a volume, a bare number or an unknown unit is "
                          "skipped, other text is an error"),
                when=NOT_BULK),
        Compute("pack size", _PACK, Record.PRODUCT, Basis.PRODUCT_WEIGHT, _measure_reader(_PACK),
                reads=((Record.PRODUCT, _PACK),),
                explains=(f"`{_PACK_SOURCE}`, the pack size as text (\"3.5g\", \"1 oz\"), read the same way: a "
                          "mass only"),
                when=NOT_BULK,
                beyond_seed=("packaged flower carries a THC percentage in thc_measure, which is no weight; the "
                             "inventory unit text is the pack size, the weight of one unit")),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "\"Bulk/deli-style\" is the inventory item's `bulk_item` being true (the library's one true/false rule: "
        "JSON true, 1, or the text true/yes/y). A "
        "missing `bulk_item` counts as not bulk, the packaged branch; a value that is neither true nor false "
        "(\"maybe\", 2) is a VendorFieldError rather than a guess.",
        "The bulk branch reads the sale's `weight` in `unit_of_weight` first (the seed's \"Weight\"), then "
        "`weight_in_grams` (the same weight already converted, when the unit is missing or unknown), then "
        "`unit_weight` in `unit_of_weight` times `quantity`. `weight` and `weight_in_grams` are taken as the "
        "line's whole weight (their names carry no \"per unit\", and a weighed deli sale is one weighing), so they "
        "are not multiplied; `unit_weight` is per unit and is.",
        "`thc_measure` has no documented format. Accepted: a number (the library's numeric rules: \"1,000\" is a "
        "thousand, \"1,5\" is refused as ambiguous) followed, with or without a space, by a unit spelling of the "
        "one unit table: \"100mg\", \"100 mg\", \"100 MG\", \"3.5g\", \"0.1 grams\". A percentage (\"22.5%\") "
        "is never a weight and is skipped; so are a count, a volume and a unit the table does not know. A bare "
        "number (\"100\") is skipped too: milligrams and grams differ a thousandfold, and guessing would be "
        "worse than no grams. Any other text (\"N/A\", \"high\", or digits after the unit such as \"10mg x 10\") "
        "is a VendorFieldError naming the value. This is the library's one reader of amounts written with their "
        "unit (`fields.parse_measure`), shared with Brytemap's size map.",
        "The THC measure is the THC of one unit of the product, multiplied by the line's `quantity`; basis `thc`.",
        "Packaged flower carries a percentage in `thc_measure` (\"22.5%\"), which is no weight, and until issue 9 "
        "such a line gave no grams. Its pack size is the inventory's `unit` text (\"3.5g\"), read by the same "
        "reader (a mass only: \"1 each\", a bare number or a unit word alone such as \"each\" gives "
        "nothing; a unit word alone is skipped in `thc_measure` too) and multiplied by `quantity`, basis "
        "`product_weight`. The seed names only the THC measure, so this step is marked beyond the seed, on this "
        "page and in the trace of each result it gives; it runs only when the THC measure gave no weight.",
        "A packaged item never reads the sale's weight fields (the seed sends it to the THC measure), and a "
        "bulk item never reads the THC measure or the pack size.",
        "Where nothing can be read (no weight on a bulk line; on a packaged item a THC measure that is missing, a "
        "percentage or unitless, and no pack size in a mass unit) the line raises NoGramsError with the reason of "
        "each skip, never zero.",
    ),
    plausibility=Plausibility(
        category=((Record.PRODUCT, "category"), (Record.SALE_LINE, "category")),
        cross_checks=(
            Weight("weight sold in grams (cross-check)", Record.SALE_LINE, "weight_in_grams", Basis.WEIGHT_SOLD,
                   unit="g", per_unit=False),
            Weight("weight sold (cross-check)", Record.SALE_LINE, "weight", Basis.WEIGHT_SOLD,
                   unit_field="unit_of_weight", per_unit=False),
        ),
    ),
    changes=(
        "Issue 9 (a review against POSaBIT's API v2 payloads): packaged flower has a percentage in "
        "`thc_measure`, so it gave no grams; a step after the seed's THC measure now reads the pack size "
        "from the inventory `unit` text (\"3.5g\"), marked beyond the seed. Field names: vendor-fields.md "
        "(POSaBIT, from third-party client code).",
    ),
)
