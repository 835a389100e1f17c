"""GrowFlow: "Each" products by their unit weight, weight-based products by the line's weight in grams (seed 003,
"GrowFlow").

No GrowFlow field names are public (``vendor-fields.md``: none found); the seed's labels are read in camel case:
the product's ``unitOfMeasure`` and ``unitWeight``, the sale line item's ``weightGrams`` and ``quantity``. Which
branch applies is decided by what the unit of measure *is*, read through the one spelling table
(:data:`fe_compliance.units.VENDOR_UNIT_SPELLINGS`): a count ("Each", "ea", "unit") or a mass ("Grams", "g",
"oz"). The framework's text condition would need a private list of spellings for that, so this module defines
:class:`UnitKindIs`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from ..explain import Rule
from ..units import UnitKind
from .fields import UNKNOWN_UNIT, Confidence, FieldDoc, Record, as_unit, lookup, split_path
from .result import Basis
from .steps import Condition, LineQuantity, Weight
from .vendor import VendorSpec

__all__ = ["EACH", "VENDOR", "WEIGHT_BASED", "UnitKindIs"]

_KIND_WORDS: Final = {UnitKind.MASS: "a mass unit", UnitKind.COUNT: "a count (\"Each\")",
                      UnitKind.PERCENT: "a percentage", UnitKind.VOLUME: "a volume"}


@attrs.frozen(slots=True)
class UnitKindIs(Condition):
    """True when a unit-spelling field is a unit of ``kind`` in the one spelling table. A missing field or a
    spelling the table does not know makes it false (the trace says which); a non-text value is a field problem."""

    record: Record
    path: str
    kind: UnitKind

    @property
    def _where(self) -> str:
        return f"{self.record.value}.{self.path}"

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        keys, where, kind = split_path(self.path), self._where, self.kind
        on_sale = self.record is Record.SALE_LINE

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            unit = as_unit(lookup(sale_line if on_sale else product, keys, where), where)
            return unit is not None and unit is not UNKNOWN_UNIT and unit.kind is kind

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        rec = sale_line if self.record is Record.SALE_LINE else product
        raw = lookup(rec, split_path(self.path), self._where)
        unit = as_unit(raw, self._where)
        if unit is None:
            return f"{self._where} is missing"
        if unit is UNKNOWN_UNIT:
            return f"{self._where} is {raw!r}, not a unit spelling the library reads"
        return f"{self._where} is {raw!r}, {_KIND_WORDS[unit.kind]}, not {_KIND_WORDS[self.kind]}"

    def describe(self) -> str:
        return f"`{self._where}` is {_KIND_WORDS[self.kind]} in the one unit-spelling table"

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return ((self.record, self.path),)


EACH = UnitKindIs(Record.PRODUCT, "unitOfMeasure", UnitKind.COUNT)
"""The seed's unit of measure "Each" (any count spelling of the table: "Each", "ea", "unit" ...)."""

WEIGHT_BASED = UnitKindIs(Record.PRODUCT, "unitOfMeasure", UnitKind.MASS)
"""The seed's "weight-based": the product's unit of measure is a mass ("Grams", "g", "Ounces" ...)."""

_NONE = "none found: the seed's label (003, \"GrowFlow\") in camel case"

VENDOR = VendorSpec(
    slug="growflow",
    name="GrowFlow",
    rule=Rule(
        code="greencheck.growflow",
        summary=("GrowFlow grams: for a product whose unit of measure is Each, its unit weight times the units "
                 "sold; for a weight-based product, the weight in grams on the sale line item"),
        source="003_52e340b70ce4c404.txt",
        section="GrowFlow",
    ),
    summary=(
        "The product's unit of measure decides. A product counted in \"Each\" weighs its unit weight per unit, "
        "multiplied by the units on the line; a product measured by weight is counted by the grams written on "
        "the sale line item, already the whole line. A unit of measure that is neither (a volume, a spelling "
        "the library does not know, or none) gives no grams."
    ),
    records={
        Record.PRODUCT: "the GrowFlow product",
        Record.SALE_LINE: "one line item of a GrowFlow sale",
    },
    fields=(
        FieldDoc("unitOfMeasure", Record.PRODUCT, Confidence.NONE_FOUND, _NONE,
                 "\"Each\" (a count): read `unitWeight`; a mass unit (\"Grams\"): read the line's `weightGrams`"),
        FieldDoc("unitWeight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE, "weight of one unit, in grams"),
        FieldDoc("weightGrams", Record.SALE_LINE, Confidence.NONE_FOUND, _NONE,
                 "grams sold on the line item (weight-based products)"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a line's count", "units sold on an Each line"),
    ),
    steps=(
        Weight("unit weight (Each)", Record.PRODUCT, "unitWeight", Basis.UNIT_WEIGHT, unit="g", when=EACH),
        Weight("weight grams on the line (weight-based)", Record.SALE_LINE, "weightGrams", Basis.WEIGHT_SOLD,
               unit="g", per_unit=False, when=WEIGHT_BASED),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The names are the seed's labels in camel case, none confirmed: `unitOfMeasure` and `unitWeight` on the "
        "product, `weightGrams` and `quantity` on the sale line item.",
        "\"Each\" is any count spelling of the one unit table (\"Each\", \"EA\", \"unit\", \"piece\" ...); "
        "\"weight-based\" is any mass spelling (\"Grams\", \"g\", \"Ounces\", \"lb\" ...). Other units (\"ml\", "
        "\"%\"), unknown spellings and a missing unit of measure match neither branch: no grams, with the unit "
        "named in the trace, rather than a guess between a per-unit and a per-line number.",
        "`unitWeight` is in grams (no unit field beside it is known) and is per unit, multiplied by the line's "
        "`quantity`. `weightGrams` is grams by its name and is the line's total, not multiplied.",
        "Each branch reads only its own field: an Each product without a unit weight does not fall back to "
        "`weightGrams`, nor the reverse.",
    ),
)
