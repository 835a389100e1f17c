"""Greenbits: the sale line says weight- or unit-based; unit-based products by their entered weight, weight-based
ones by the weight sold (seed 003, "Greenbits").

No Greenbits field names are public (``vendor-fields.md``: none found). Greenbits' API is snake case, so the
seed's labels are read as ``weight_based`` (the line's flag), ``weight`` (the product's entered weight) and
``weight_sold`` (the line's weight). The flag is a true/false value, which the framework's text condition
(:class:`~fe_compliance.greencheck.steps.FieldIs`) cannot test, so this module defines :class:`FlagIs`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..explain import Rule
from .fields import Confidence, FieldDoc, Record, as_flag, lookup, split_path
from .result import Basis
from .steps import Condition, LineQuantity, Weight
from .vendor import VendorSpec

__all__ = ["UNIT_BASED", "VENDOR", "WEIGHT_BASED", "FlagIs"]


@attrs.frozen(slots=True)
class FlagIs(Condition):
    """True when a true/false field (JSON ``true``/``false``, ``0``/``1``, ``"true"``/``"no"`` ...) equals
    ``value``. A missing field makes the condition false; any other value is a field problem."""

    record: Record
    path: str
    value: bool

    @property
    def _where(self) -> str:
        return f"{self.record.value}.{self.path}"

    def _read(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool | None:
        rec = sale_line if self.record is Record.SALE_LINE else product
        return as_flag(lookup(rec, split_path(self.path), self._where), self._where)

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        keys, where, wanted = split_path(self.path), self._where, self.value
        on_sale = self.record is Record.SALE_LINE

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            return as_flag(lookup(sale_line if on_sale else product, keys, where), where) is wanted

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        flag = self._read(product, sale_line)
        if flag is None:
            return f"{self._where} is missing"
        return f"{self._where} is {str(flag).lower()}, not {str(self.value).lower()}"

    def describe(self) -> str:
        return f"`{self._where}` is {str(self.value).lower()}"

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return ((self.record, self.path),)


WEIGHT_BASED = FlagIs(Record.SALE_LINE, "weight_based", True)
UNIT_BASED = FlagIs(Record.SALE_LINE, "weight_based", False)

_NONE = "none found: the seed's label (003, \"Greenbits\") in snake case"

VENDOR = VendorSpec(
    slug="greenbits",
    name="Greenbits",
    rule=Rule(
        code="greencheck.greenbits",
        summary=("Greenbits grams: by the sale line's flag, a unit-based product's entered weight times the units "
                 "sold, or a weight-based line's weight sold"),
        source="003_52e340b70ce4c404.txt",
        section="Greenbits",
    ),
    summary=(
        "The line of the sale says whether the product is sold by weight or by the unit. A unit-based product is "
        "counted by the weight entered for it, which is the weight of one unit and is multiplied by the units "
        "sold; a weight-based line is counted by the weight it sold, already the whole line. A line that does "
        "not say which it is has no grams: the seed's first question cannot be answered."
    ),
    records={
        Record.PRODUCT: "the Greenbits product",
        Record.SALE_LINE: "one line item of a Greenbits sale",
    },
    fields=(
        FieldDoc("weight_based", Record.SALE_LINE, Confidence.NONE_FOUND, _NONE,
                 "true: weight-based (read `weight_sold`); false: unit-based (read the product's `weight`)"),
        FieldDoc("weight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE,
                 "the weight entered for the product: one unit, in grams"),
        FieldDoc("weight_sold", Record.SALE_LINE, Confidence.NONE_FOUND, _NONE,
                 "the weight sold on a weight-based line, in grams, for the whole line"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a line's count", "units sold on a unit-based line"),
    ),
    steps=(
        Weight("entered product weight (unit-based)", Record.PRODUCT, "weight", Basis.PRODUCT_WEIGHT, unit="g",
               when=UNIT_BASED),
        Weight("weight sold (weight-based)", Record.SALE_LINE, "weight_sold", Basis.WEIGHT_SOLD, unit="g",
               per_unit=False, when=WEIGHT_BASED),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The names are the seed's labels in snake case, none confirmed: the line's `weight_based` flag, the "
        "product's `weight`, the line's `weight_sold`, the line's `quantity`.",
        "`weight_based` is a true/false value (JSON true/false, 0/1, or the text true/false/yes/no). Missing, the "
        "line is neither weight- nor unit-based and has no grams (NoGramsError): guessing the branch would pick "
        "between a per-unit and a per-line number. Anything else (\"maybe\", 2, an object) is a VendorFieldError.",
        "Both weights are in grams; no unit field is known beside either.",
        "The product's entered weight is of one unit and is multiplied by `quantity`; the weight sold is the "
        "line's total and is not multiplied.",
        "Each branch reads only its own field: a unit-based line with no entered weight does not fall back to "
        "`weight_sold`, nor the reverse, because the seed gives each branch one field.",
    ),
)
