"""Plausibility: grams that are almost certainly mis-keyed come back with a warning, never silently.

A POS field typed in the wrong unit (milligrams keyed as grams is the classic) gives a number a thousand times too
large, which turns a legal sale into a purchase-limit exception. The library cannot know the true value, so it
returns what the chain read and warns. The checks run on the traced path only (:func:`extract_grams`); the bulk
path does not build warnings.

Thresholds (module constants, so a caller can read them; each is generous on purpose: a warning must mean
"look at this record", not "this is a big sale"):

=============================  ==========  ==============================================================
constant                       value       why
=============================  ==========  ==============================================================
MAX_UNIT_GRAMS                 453.59237   one pound: no retail unit of cannabis weighs more
MAX_LINE_GRAMS                 1000.0      a kilogram on one sale line is beyond any state's retail limit
PRE_ROLL_MAX_UNIT_GRAMS        5.0         pre-rolls are sold at 0.5 to 2.5 g; 5 g leaves room for blunts
EDIBLE_MAX_UNIT_THC_GRAMS      1.0         1,000 mg of THC per unit is ten times the usual 100 mg package
                                           cap for edibles
CROSS_CHECK_FACTOR             10.0        two weight fields of one product that differ tenfold or more
                                           disagree by a unit slip (g/mg is 1000x, oz/g is 28x), not by
                                           rounding
=============================  ==========  ==============================================================

And one check needs no threshold: THC grams larger than the product's own weight are physically impossible.

Categories are recognised by substring of the vendor's category text, case-folded: "pre-roll", "preroll",
"pre roll", "joint" mean a pre-roll; "edible" means an edible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from .fields import FieldProblem, Record, as_text, lookup, split_path
from .result import Basis, ExtractOptions, PlausibilityWarning
from .steps import Attempt, Weight

__all__ = [
    "CROSS_CHECK_FACTOR",
    "EDIBLE_MAX_UNIT_THC_GRAMS",
    "MAX_LINE_GRAMS",
    "MAX_UNIT_GRAMS",
    "PRE_ROLL_MAX_UNIT_GRAMS",
    "Plausibility",
    "PlausibilityChecker",
]

MAX_UNIT_GRAMS: Final = 453.59237
MAX_LINE_GRAMS: Final = 1000.0
PRE_ROLL_MAX_UNIT_GRAMS: Final = 5.0
EDIBLE_MAX_UNIT_THC_GRAMS: Final = 1.0
CROSS_CHECK_FACTOR: Final = 10.0

_PRE_ROLL_WORDS: Final = ("pre-roll", "preroll", "pre roll", "joint")
_EDIBLE_WORDS: Final = ("edible",)
_OPTIONS: Final = ExtractOptions()


@attrs.frozen(slots=True)
class Plausibility:
    """What a vendor offers the plausibility checks: where its category text is, and other weight readings of the
    same product to cross-check the chosen value against (each a :class:`~fe_compliance.greencheck.steps.Weight`
    that is not necessarily in the chain, e.g. Dutchie's ``netWeight``)."""

    category: tuple[tuple[Record, str], ...] = ()
    cross_checks: tuple[Weight, ...] = ()

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return self.category + tuple(field for check in self.cross_checks for field in check.fields())

    def describe(self) -> list[str]:
        lines = []
        if self.category:
            where = ", ".join(f"`{record.value}.{path}`" for record, path in self.category)
            lines.append(f"category text (pre-roll and edible thresholds) from {where}")
        for check in self.cross_checks:
            lines.append(f"cross-check against {check.label}: `{check.source}` ({check.basis.value})")
        return lines


def _category_kind(text: str | None) -> str | None:
    if text is None:
        return None
    folded = text.lower()
    if any(word in folded for word in _PRE_ROLL_WORDS):
        return "pre-roll"
    if any(word in folded for word in _EDIBLE_WORDS):
        return "edible"
    return None


class PlausibilityChecker:
    """A compiled :class:`Plausibility` for one vendor. :meth:`check` never raises: a garbage value in a field
    read only for plausibility is ignored (it is not the value the grams came from)."""

    __slots__ = ("_category", "_checks")

    def __init__(self, spec: Plausibility | None) -> None:
        spec = spec if spec is not None else Plausibility()
        self._category = tuple(
            (record is Record.SALE_LINE, split_path(path), f"{record.value}.{path}") for record, path in spec.category
        )
        self._checks: tuple[tuple[Weight, Attempt], ...] = tuple(
            (check, check.compile_gated()) for check in spec.cross_checks
        )

    def category(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str | None:
        for on_sale, keys, where in self._category:
            try:
                text = as_text(lookup(sale_line if on_sale else product, keys, where), where)
            except FieldProblem:
                continue
            if text is not None:
                return text
        return None

    def check(
        self,
        *,
        basis: Basis,
        source: str,
        per_unit: float | None,
        total: float,
        quantity: float | None,
        product: Mapping[str, Any],
        sale_line: Mapping[str, Any],
    ) -> tuple[PlausibilityWarning, ...]:
        warnings: list[PlausibilityWarning] = []
        unit = per_unit if per_unit is not None else total
        category_text = self.category(product, sale_line)
        kind = _category_kind(category_text)
        if basis is not Basis.THC and unit > MAX_UNIT_GRAMS:
            warnings.append(
                PlausibilityWarning(
                    "unit_over_pound", f"{unit:.6g} g from {source} is more than a pound ({MAX_UNIT_GRAMS} g) per unit"
                )
            )
        if total > MAX_LINE_GRAMS:
            warnings.append(
                PlausibilityWarning(
                    "line_over_kilogram", f"{total:.6g} g on one line is more than {MAX_LINE_GRAMS:g} g"
                )
            )
        if kind == "pre-roll" and basis is not Basis.THC and unit > PRE_ROLL_MAX_UNIT_GRAMS:
            warnings.append(
                PlausibilityWarning(
                    "pre_roll_heavy",
                    f"{unit:.6g} g per unit for a pre-roll ({category_text!r}) is more than "
                    f"{PRE_ROLL_MAX_UNIT_GRAMS:g} g",
                )
            )
        if kind == "edible" and basis is Basis.THC and unit > EDIBLE_MAX_UNIT_THC_GRAMS:
            warnings.append(
                PlausibilityWarning(
                    "edible_thc_high",
                    f"{unit * 1000:.6g} mg of THC per unit for an edible ({category_text!r}) is more than "
                    f"{EDIBLE_MAX_UNIT_THC_GRAMS * 1000:g} mg: milligrams keyed as grams?",
                )
            )
        for check, attempt in self._checks:
            if check.source == source:
                continue
            try:
                other = attempt(product, sale_line, _OPTIONS, None)
            except FieldProblem:
                continue
            if other is None:
                continue
            warnings.extend(self._compare(basis, source, unit, check, other))
        return tuple(warnings)

    @staticmethod
    def _compare(basis: Basis, source: str, unit: float, check: Weight, other: float) -> list[PlausibilityWarning]:
        chosen_thc = basis is Basis.THC
        other_thc = check.basis is Basis.THC
        if chosen_thc and not other_thc and unit > other:
            return [
                PlausibilityWarning(
                    "thc_exceeds_weight",
                    f"{unit:.6g} g of THC from {source} is more than the product's weight, {other:.6g} g from "
                    f"{check.source}",
                )
            ]
        if not chosen_thc and other_thc and other > unit:
            return [
                PlausibilityWarning(
                    "thc_exceeds_weight",
                    f"{check.source} says {other:.6g} g of THC, more than the {unit:.6g} g weight from {source}",
                )
            ]
        if not chosen_thc and not other_thc:
            ratio = max(unit, other) / min(unit, other)
            if ratio >= CROSS_CHECK_FACTOR:
                return [
                    PlausibilityWarning(
                        "weights_disagree",
                        f"{unit:.6g} g from {source} and {other:.6g} g from {check.source} differ {ratio:.3g}-fold: "
                        "a unit keyed wrongly?",
                    )
                ]
        return []
