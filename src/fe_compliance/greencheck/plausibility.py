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
MAX_LINE_GRAMS                 1000.0      a kilogram (or more) on one sale line is beyond any state's retail
                                           limit; the one threshold a whole-line value (a pre-roll weighed
                                           on the line at 1,000 g) meets
PRE_ROLL_MAX_UNIT_GRAMS        5.0         pre-rolls are sold at 0.5 to 2.5 g; 5 g leaves room for blunts
EDIBLE_MAX_UNIT_THC_GRAMS      1.0         1,000 mg of THC per unit is ten times the usual 100 mg package
                                           cap for edibles
CROSS_CHECK_FACTOR             10.0        two weight fields of one product that differ tenfold or more
                                           disagree by a unit slip (g/mg is 1000x, oz/g is 28x), not by
                                           rounding
MIN_FLOWER_GRAMS               0.1         the lightest flower or pre-roll sold is a 0.35 g mini pre-roll;
                                           a weighed flower line or a flower / pre-roll unit under 0.1 g
                                           is a weight keyed in the wrong unit (1 g read as 1 mg)
MIN_CONCENTRATE_GRAMS          0.05        concentrates are sold from 0.5 g (a half-gram cartridge); under
                                           50 mg is a unit slip. It is also the floor of any other weight
                                           reading whose category is not flower or pre-roll: no cannabis
                                           product unit weighs less
MIN_NON_EDIBLE_THC_GRAMS       0.01        10 mg of THC: a 0.35 g mini pre-roll at 3 % THC holds about that;
                                           less THC in a flower, pre-roll or concentrate unit is a slip.
                                           Edibles have no THC floor (1 mg micro-doses are sold)
=============================  ==========  ==============================================================

And one check needs no threshold: THC grams larger than the product's own weight are physically impossible.

Per unit or per line: the three per-unit thresholds (``MAX_UNIT_GRAMS``, ``PRE_ROLL_MAX_UNIT_GRAMS``,
``EDIBLE_MAX_UNIT_THC_GRAMS``) apply only when the field read is per unit (the result's ``per_unit``); a whole-line
value (a weight sold, grams on the line) is checked against ``MAX_LINE_GRAMS`` only, so a 500 g bulk line is not
"a unit over a pound". The pound and the pre-roll thresholds apply to THC grams as well: a unit holds no more THC
than it weighs, so 1,000 g of THC in one pre-roll is as mis-keyed as a 1,000 g pre-roll. Cross-checks compare
like with like: per unit with per unit, the line with the line, and a per-unit value times the quantity with a
whole-line reading; a whole-line value is not compared with a per-unit reading (no count puts them on one footing).

Too small as well as too large: a weight read in the wrong unit is as likely to come out a thousand times too
small (a 1 g pre-roll read as 1 mg) as too large, and a value too small lets a sale over a limit pass, the worse
miss. The floors (``MIN_*``) apply to the value of one unit when the field read is per unit, else to the line;
weight floors to every weight basis except ``flower_equivalent`` (an equivalent is a ratio's result, legitimately
small for a low-dose product), the THC floor to ``thc`` values of a flower, pre-roll or concentrate. A weighed
line (basis ``weight_sold``) of a category that is not named is held to the flower floor: deli-style sales are
flower.

Categories are recognised by substring of the vendor's category text, case-folded: "pre-roll", "preroll",
"pre roll", "joint" mean a pre-roll; "edible" an edible; "concentrate", "extract", "vape", "cartridge", "wax",
"shatter", "rosin", "resin", "distillate", "dab", "hash", "kief" a concentrate; "flower", "bud", "shake" flower.
A word right after "non" ("NonEdible", "Non-Edible", "non-concentrated") does not count: Flowhub's category enum
has "NonEdible" beside "Edibles", and Meadow's cannabis types include "non-concentrated".
"""

from __future__ import annotations

import re
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
    "MIN_CONCENTRATE_GRAMS",
    "MIN_FLOWER_GRAMS",
    "MIN_NON_EDIBLE_THC_GRAMS",
    "PRE_ROLL_MAX_UNIT_GRAMS",
    "Plausibility",
    "PlausibilityChecker",
    "category_kind",
    "compare_weights",
]

MAX_UNIT_GRAMS: Final = 453.59237
MAX_LINE_GRAMS: Final = 1000.0
PRE_ROLL_MAX_UNIT_GRAMS: Final = 5.0
EDIBLE_MAX_UNIT_THC_GRAMS: Final = 1.0
CROSS_CHECK_FACTOR: Final = 10.0
MIN_FLOWER_GRAMS: Final = 0.1
MIN_CONCENTRATE_GRAMS: Final = 0.05
MIN_NON_EDIBLE_THC_GRAMS: Final = 0.01


def _words(*words: str) -> re.Pattern[str]:
    """A pattern finding any of ``words`` not right after "non" ("non", "non-", "non " or "non_")."""
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!non)(?<!non-)(?<!non )(?<!non_)(?:{alternatives})")


_KINDS: Final = (
    ("pre-roll", _words("pre-roll", "preroll", "pre roll", "joint")),
    ("edible", _words("edible")),
    ("concentrate", _words("concentrate", "extract", "vape", "cartridge", "wax", "shatter", "rosin", "resin",
                           "distillate", "dab", "hash", "kief", "budder", "badder")),
    ("flower", _words("flower", "bud", "shake")),
)
_OPTIONS: Final = ExtractOptions()
_NOT_A_WEIGHT_FLOOR: Final = frozenset({Basis.THC, Basis.FLOWER_EQUIVALENT})


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
            lines.append(f"category text (pre-roll, edible, concentrate and flower thresholds) from {where}")
        for check in self.cross_checks:
            lines.append(f"cross-check against {check.label}: `{check.source}` ({check.basis.value})")
        return lines


def category_kind(text: str | None) -> str | None:
    """``"pre-roll"``, ``"edible"``, ``"concentrate"``, ``"flower"`` or ``None`` for a vendor's category text (the
    first kind whose words it holds, in that order; see the module docstring). ``"NonEdible"`` is not an edible."""
    if text is None:
        return None
    folded = text.lower()
    for kind, pattern in _KINDS:
        if pattern.search(folded):
            return kind
    return None


def _too_small(basis: Basis, kind: str | None, value: float, grams: str, source: str, per: str,
               category_text: str | None) -> PlausibilityWarning | None:
    """The floor check of one value (see the module docstring): ``None`` when it is plausible."""
    named = f" ({category_text!r})" if category_text is not None else ""
    if basis is Basis.THC:
        if kind in ("flower", "pre-roll", "concentrate") and value < MIN_NON_EDIBLE_THC_GRAMS:
            return PlausibilityWarning(
                "thc_too_small",
                f"{value * 1000:.6g} mg of THC {per} from {source} for a {kind}{named} is less than "
                f"{MIN_NON_EDIBLE_THC_GRAMS * 1000:g} mg: grams keyed as milligrams, or a unit read wrongly?")
        return None
    if basis in _NOT_A_WEIGHT_FLOOR:
        return None
    if kind in ("flower", "pre-roll") or (kind is None and basis is Basis.WEIGHT_SOLD):
        if value < MIN_FLOWER_GRAMS:
            what = kind if kind is not None else "weighed line"
            return PlausibilityWarning(
                "weight_too_small",
                f"{value:.6g} {grams} {per} from {source} for a {what}{named} is less than {MIN_FLOWER_GRAMS:g} g: "
                "a weight keyed in the wrong unit?")
        return None
    if value < MIN_CONCENTRATE_GRAMS:
        what = "concentrate" if kind == "concentrate" else "cannabis product"
        return PlausibilityWarning(
            "weight_too_small",
            f"{value:.6g} {grams} {per} from {source} for a {what}{named} is less than "
            f"{MIN_CONCENTRATE_GRAMS * 1000:g} mg: a weight keyed in the wrong unit?")
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
        """The warnings for grams read from ``source``: ``per_unit`` is the grams of one unit when the field read is
        per unit (``None`` when it covers the whole line), ``total`` the line's grams.

        Per-unit thresholds (a pound per unit, a pre-roll, an edible's THC) apply to per-unit values only: a 500 g
        weight sold on a bulk line is one line, not a 500 g unit. The per-line threshold applies to ``total``
        whatever was read. Cross-checks compare like with like (see :func:`_compare`)."""
        warnings: list[PlausibilityWarning] = []
        category_text = self.category(product, sale_line)
        kind = category_kind(category_text)
        thc = basis is Basis.THC
        grams = "g of THC" if thc else "g"
        if per_unit is not None:
            # THC grams are bounded by the unit's weight, so the weight thresholds bound them too.
            if per_unit > MAX_UNIT_GRAMS:
                warnings.append(PlausibilityWarning(
                    "unit_over_pound",
                    f"{per_unit:.6g} {grams} from {source} is more than a pound ({MAX_UNIT_GRAMS} g) per unit"))
            if kind == "pre-roll" and per_unit > PRE_ROLL_MAX_UNIT_GRAMS:
                warnings.append(PlausibilityWarning(
                    "pre_roll_heavy",
                    f"{per_unit:.6g} {grams} per unit for a pre-roll ({category_text!r}) is more than "
                    f"{PRE_ROLL_MAX_UNIT_GRAMS:g} g"))
            if kind == "edible" and thc and per_unit > EDIBLE_MAX_UNIT_THC_GRAMS:
                warnings.append(PlausibilityWarning(
                    "edible_thc_high",
                    f"{per_unit * 1000:.6g} mg of THC per unit for an edible ({category_text!r}) is more than "
                    f"{EDIBLE_MAX_UNIT_THC_GRAMS * 1000:g} mg: milligrams keyed as grams?"))
        small = _too_small(basis, kind, per_unit if per_unit is not None else total, grams, source,
                           "per unit" if per_unit is not None else "on the line", category_text)
        if small is not None:
            warnings.append(small)
        if total >= MAX_LINE_GRAMS:
            warnings.append(PlausibilityWarning(
                "line_over_kilogram", f"{total:.6g} {grams} on one line is a kilogram or more ({MAX_LINE_GRAMS:g} g)"))
        for check, attempt in self._checks:
            if check.source == source:
                continue
            try:
                other = attempt(product, sale_line, _OPTIONS, None)
            except FieldProblem:
                continue
            if other is None:
                continue
            warning = _compare(basis, source, per_unit, total, check, other)
            if warning is not None:
                warnings.append(warning)
        return tuple(warnings)


def _compare(basis: Basis, source: str, per_unit: float | None, total: float, check: Weight,
             other: float) -> PlausibilityWarning | None:
    """Compare the chosen grams with another reading of the same product, on one footing: per unit when both are
    per unit, on the line when both cover the line, and on the line when the chosen value is per unit and the other
    covers the line (the chosen value times the quantity). A per-line value is not compared with a per-unit
    reading: without a count of units the two cannot be put on one footing."""
    if check.per_unit:
        if per_unit is None:
            return None
        chosen, footing = per_unit, "per unit"
    else:
        chosen, footing = total, "on the line"
    return compare_weights(chosen, basis, source, other, check.basis, check.source, footing)


def compare_weights(chosen: float, basis: Basis, source: str, other: float, other_basis: Basis, other_source: str,
                    footing: str = "per unit") -> PlausibilityWarning | None:
    """The cross-check of two readings of one product on one ``footing`` ("per unit", "on the line"): THC heavier
    than the product's weight (``thc_exceeds_weight``), or two weights :data:`CROSS_CHECK_FACTOR`-fold or more apart
    (``weights_disagree``); ``None`` when they agree. A vendor's :class:`~fe_compliance.greencheck.steps.Compute`
    step can use it for a cross-check of its own (it returns the warning with its value)."""
    chosen_thc = basis is Basis.THC
    other_thc = other_basis is Basis.THC
    if chosen_thc and not other_thc:
        if chosen > other:
            return PlausibilityWarning(
                "thc_exceeds_weight",
                f"{chosen:.6g} g of THC {footing} from {source} is more than the product's weight, {other:.6g} g "
                f"from {other_source}")
        return None
    if other_thc and not chosen_thc:
        if other > chosen:
            return PlausibilityWarning(
                "thc_exceeds_weight",
                f"{other_source} says {other:.6g} g of THC {footing}, more than the {chosen:.6g} g weight from "
                f"{source}")
        return None
    if chosen_thc and other_thc:
        return None
    if min(chosen, other) <= 0.0:  # a reading that rounds to 0 g is no reading, and no ratio
        return None
    ratio = max(chosen, other) / min(chosen, other)
    if ratio >= CROSS_CHECK_FACTOR:
        return PlausibilityWarning(
            "weights_disagree",
            f"{chosen:.6g} g {footing} from {source} and {other:.6g} g from {other_source} differ {ratio:.3g}-fold: "
            "a unit keyed wrongly?")
    return None
