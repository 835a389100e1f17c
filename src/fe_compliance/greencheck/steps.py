"""The building blocks of a vendor's chain: steps, the conditions that gate them, and the line quantity.

A vendor module declares its chain as a tuple of steps. Each step is a frozen description (what to read, on which
record, in what unit, under what condition) that is *compiled once* into a small closure::

    attempt(product, sale_line, options, trace) -> float | None

The closure returns grams (per unit when the step says ``per_unit``) or ``None`` when the step does not apply or
its field is not set. When ``trace`` is a list it appends one :class:`~fe_compliance.greencheck.result.TraceStep`
saying what it did and why; when ``trace`` is ``None`` (the bulk path) it builds no strings at all. The traced
and the bulk path therefore run the same code: there is one chain, not two copies that could drift.

Step kinds:

- :class:`Weight`: a number times a unit (read from a sibling field, or fixed). The unit must be a mass: a
  percentage, a count or a volume is skipped with its reason, never converted.
- :class:`Tier`: a named retail size ("EIGHTH") looked up in a table and turned into grams under the caller's
  :class:`~fe_compliance.greencheck.tiers.TierConvention`.
- :class:`Compute`: an escape hatch for a rule that is neither (a range to take the upper end of): a vendor
  function that reads through :mod:`~fe_compliance.greencheck.fields` and reports through ``note``.

Conditions (``when=``): :class:`FieldIs`, :class:`AnyOf`, :class:`AllOf`, :class:`Not`.
A list element can be selected with ``within=`` :class:`ItemWhere` (Flowhub's ``cannabinoidInformation``).
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from ..units import UnitKind
from .fields import (
    UNKNOWN_UNIT,
    FieldProblem,
    Record,
    as_number,
    as_text,
    as_unit,
    lookup,
    split_path,
)
from .result import Basis, ExtractOptions, Outcome, TraceStep
from .tiers import TierConvention, TierSize, tier_grams

__all__ = [
    "AllOf",
    "AnyOf",
    "Attempt",
    "Compute",
    "Condition",
    "FieldIs",
    "ItemWhere",
    "LineQuantity",
    "Not",
    "QuantityMissing",
    "Step",
    "Tier",
    "Weight",
]

Trace = list[TraceStep] | None
Attempt = Callable[[Mapping[str, Any], Mapping[str, Any], ExtractOptions, Trace], "float | None"]
Note = Callable[[str], None] | None
ComputeFn = Callable[[Mapping[str, Any], Mapping[str, Any], ExtractOptions, Note], "float | None"]

_TAKEN: Final = Outcome.TAKEN
_SKIPPED: Final = Outcome.SKIPPED
_KIND_REASON: Final = {
    UnitKind.PERCENT: "a percentage, not a weight",
    UnitKind.COUNT: "a count, not a weight",
    UnitKind.VOLUME: "a volume, not a weight",
}


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _reader(record: Record, path: str) -> tuple[bool, str, tuple[str, ...], str]:
    """(on_sale_line, first_key, all_keys, printable path)."""
    keys = split_path(path)
    return record is Record.SALE_LINE, keys[0], keys, f"{record.value}.{path}"


def _get(rec: Mapping[str, Any], first: str, keys: tuple[str, ...], where: str) -> Any:
    return rec.get(first) if len(keys) == 1 else lookup(rec, keys, where)


# --------------------------------------------------------------------------------------------------- conditions


class Condition(abc.ABC):
    """A yes/no question about the records that gates a step (``when=``)."""

    @abc.abstractmethod
    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        """A fast test; may raise :class:`~fe_compliance.greencheck.fields.FieldProblem` on a garbage value."""

    @abc.abstractmethod
    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        """Why the condition is false for these records (traced mode only)."""

    @abc.abstractmethod
    def describe(self) -> str:
        """The condition in words, for the docs."""

    @abc.abstractmethod
    def fields(self) -> tuple[tuple[Record, str], ...]:
        """Every field the condition reads."""


def _fold_all(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(value.strip().lower() for value in values)


@attrs.frozen(slots=True)
class FieldIs(Condition):
    """True when a text field, case-folded, equals one of ``equals`` or contains one of ``contains``.

    A missing field makes the condition false (the step is skipped, the trace says the field is missing).
    """

    record: Record
    path: str
    equals: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        on_sale, first, keys, where = _reader(self.record, self.path)
        equals = _fold_all(self.equals)
        contains = tuple(sorted(_fold_all(self.contains)))

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            text = as_text(_get(sale_line if on_sale else product, first, keys, where), where)
            if text is None:
                return False
            folded = text.lower()
            if folded in equals:
                return True
            return any(part in folded for part in contains)

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        on_sale, first, keys, where = _reader(self.record, self.path)
        text = as_text(_get(sale_line if on_sale else product, first, keys, where), where)
        if text is None:
            return f"{where} is missing"
        return f"{where} is {text!r}, not {self._wanted()}"

    def _wanted(self) -> str:
        parts = []
        if self.equals:
            parts.append(" or ".join(repr(value) for value in self.equals))
        if self.contains:
            parts.append("containing " + " or ".join(repr(value) for value in self.contains))
        return " or ".join(parts)

    def describe(self) -> str:
        return f"`{self.record.value}.{self.path}` is {self._wanted()} (any case)"

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return ((self.record, self.path),)


@attrs.frozen(slots=True, init=False)
class AnyOf(Condition):
    """True when any of the conditions is true (tested in order; the first true one wins)."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        self.__attrs_init__(tuple(conditions))

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        tests = tuple(condition.compile() for condition in self.conditions)

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            return any(one(product, sale_line) for one in tests)

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        return "; ".join(condition.explain(product, sale_line) for condition in self.conditions)

    def describe(self) -> str:
        return " or ".join(condition.describe() for condition in self.conditions)

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return tuple(field for condition in self.conditions for field in condition.fields())


@attrs.frozen(slots=True, init=False)
class AllOf(Condition):
    """True when every condition is true."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        self.__attrs_init__(tuple(conditions))

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        tests = tuple(condition.compile() for condition in self.conditions)

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            return all(one(product, sale_line) for one in tests)

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        for condition in self.conditions:
            if not condition.compile()(product, sale_line):
                return condition.explain(product, sale_line)
        return "all conditions hold"  # pragma: no cover - explain is only called when the test is false

    def describe(self) -> str:
        return " and ".join(condition.describe() for condition in self.conditions)

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return tuple(field for condition in self.conditions for field in condition.fields())


@attrs.frozen(slots=True)
class Not(Condition):
    """True when the wrapped condition is false (a missing field therefore makes ``Not`` true)."""

    condition: Condition

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        inner = self.condition.compile()

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            return not inner(product, sale_line)

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        return f"it is the case that {self.condition.describe()}"

    def describe(self) -> str:
        return f"not ({self.condition.describe()})"

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return self.condition.fields()


# ------------------------------------------------------------------------------------------------ list elements


@attrs.frozen(slots=True)
class ItemWhere:
    """Select the first object in the list at ``path`` whose ``key`` (case-folded text) is one of ``equals``.

    Flowhub keeps THC in ``cannabinoidInformation: [{"name": "thc", ...}, ...]``: ``ItemWhere("cannabinoidInformation",
    "name", ("thc",))``. A missing list or no matching element makes the step skip; a list holding something other
    than objects, or ``path`` holding something other than a list, is a field problem.
    """

    path: str
    key: str
    equals: tuple[str, ...]

    @property
    def label(self) -> str:
        wanted = "|".join(self.equals)
        return f"{self.path}[{self.key}={wanted}]"

    def compile(self, record: Record) -> Callable[[Mapping[str, Any]], Mapping[str, Any] | None]:
        _, first, keys, where = _reader(record, self.path)
        key = self.key
        wanted = _fold_all(self.equals)

        def select(rec: Mapping[str, Any]) -> Mapping[str, Any] | None:
            items = _get(rec, first, keys, where)
            if items is None:
                return None
            if not isinstance(items, (list, tuple)):
                raise FieldProblem(where, items, "expected a list of objects")
            for item in items:
                if not isinstance(item, Mapping):
                    raise FieldProblem(where, item, "expected each element to be an object")
                name = as_text(item.get(key), f"{where}[].{key}")
                if name is not None and name.lower() in wanted:
                    return item
            return None

        return select


# --------------------------------------------------------------------------------------------------------- steps


class Step(abc.ABC):
    """One rung of a vendor's chain. Subclasses are frozen attrs classes with at least these attributes."""

    label: str
    basis: Basis
    per_unit: bool
    when: Condition | None

    @property
    @abc.abstractmethod
    def source(self) -> str:
        """The field the step reads, as ``record.path`` (what a result's ``source`` says)."""

    @abc.abstractmethod
    def compile(self) -> Attempt:
        """The closure that runs the step (see the module docstring)."""

    @abc.abstractmethod
    def describe(self) -> str:
        """The step in words, for the vendor's docs page."""

    @abc.abstractmethod
    def own_fields(self) -> tuple[tuple[Record, str], ...]:
        """The fields the step itself reads (its condition's fields are added by :meth:`fields`)."""

    def fields(self) -> tuple[tuple[Record, str], ...]:
        """Every field the step reads, condition included: each must be declared in the vendor's field table."""
        extra = self.when.fields() if self.when is not None else ()
        return self.own_fields() + extra

    def _gate(self) -> tuple[Callable[[Mapping[str, Any], Mapping[str, Any]], bool] | None, Condition | None]:
        return (self.when.compile() if self.when is not None else None), self.when

    def _describe_tail(self) -> str:
        parts = ["per unit, times the line's quantity" if self.per_unit else "for the whole line"]
        parts.append(f"basis `{self.basis.value}`")
        text = "; ".join(parts)
        if self.when is not None:
            return f"only when {self.when.describe()}; {text}"
        return text


@attrs.frozen(slots=True)
class Weight(Step):
    """A number times a mass unit.

    ``unit_field`` names a sibling field holding the unit spelling (on the same record, and inside the same
    ``within`` element); ``unit`` fixes the unit when the vendor's field is documented in one unit (Dutchie's
    ``productGrams`` is grams). Exactly one of the two must be given. A zero is treated as not set.
    """

    label: str
    record: Record
    path: str
    basis: Basis
    unit_field: str | None = None
    unit: str | None = None
    per_unit: bool = True
    when: Condition | None = None
    within: ItemWhere | None = None

    def __attrs_post_init__(self) -> None:
        if (self.unit_field is None) == (self.unit is None):
            raise ValueError(f"{self.label}: give exactly one of unit_field and unit")
        if self.unit is not None:
            fixed = as_unit(self.unit, "unit")
            if fixed is None or fixed is UNKNOWN_UNIT or fixed.grams_per_unit is None:
                raise ValueError(f"{self.label}: fixed unit {self.unit!r} is not a mass unit")

    @property
    def _prefix(self) -> str:
        return f"{self.within.label}." if self.within is not None else ""

    @property
    def source(self) -> str:
        return f"{self.record.value}.{self._prefix}{self.path}"

    @property
    def unit_source(self) -> str:
        if self.unit_field is None:
            return f"fixed unit {self.unit}"
        return f"{self.record.value}.{self._prefix}{self.unit_field}"

    def own_fields(self) -> tuple[tuple[Record, str], ...]:
        prefix = self.within.path + "." if self.within is not None else ""
        found = [(self.record, prefix + self.path)]
        if self.unit_field is not None:
            found.append((self.record, prefix + self.unit_field))
        if self.within is not None:
            found.append((self.record, self.within.path))
            found.append((self.record, f"{self.within.path}.{self.within.key}"))
        return tuple(found)

    def describe(self) -> str:
        unit = f"in the unit of `{self.unit_source}`" if self.unit_field is not None else f"in {self.unit}"
        return (f"**{self.label}**: `{self.source}` {unit} (a mass unit only: a percentage, count or volume is "
                f"skipped); {self._describe_tail()}")

    def compile(self) -> Attempt:
        on_sale = self.record is Record.SALE_LINE
        keys = split_path(self.path)
        first = keys[0]
        single = len(keys) == 1
        source = self.source
        label = self.label
        unit_source = self.unit_source
        unit_keys = split_path(self.unit_field) if self.unit_field is not None else None
        fixed = as_unit(self.unit, "unit") if self.unit is not None else None
        fixed_factor = fixed.grams_per_unit if fixed is not None else None
        select = self.within.compile(self.record) if self.within is not None else None
        within_label = self.within.label if self.within is not None else ""
        per = " per unit" if self.per_unit else ""
        test, condition = self._gate()

        def attempt(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
                    trace: Trace) -> float | None:
            if test is not None and not test(product, sale_line):
                if trace is not None:
                    assert condition is not None
                    trace.append(TraceStep(label, source, _SKIPPED,
                                           f"does not apply: {condition.explain(product, sale_line)}"))
                return None
            rec: Mapping[str, Any] | None = sale_line if on_sale else product
            if select is not None:
                assert rec is not None
                rec = select(rec)
                if rec is None:
                    if trace is not None:
                        trace.append(TraceStep(label, source, _SKIPPED, f"no element {within_label} found"))
                    return None
            assert rec is not None
            value = as_number(rec.get(first) if single else lookup(rec, keys, source), source)
            if value is None or value == 0:
                if trace is not None:
                    why = "is missing" if value is None else "is 0, treated as not set"
                    trace.append(TraceStep(label, source, _SKIPPED, f"{source} {why}"))
                return None
            if fixed_factor is not None:
                grams = value * fixed_factor
            else:
                assert unit_keys is not None
                raw_unit = rec.get(unit_keys[0]) if len(unit_keys) == 1 else lookup(rec, unit_keys, unit_source)
                unit = as_unit(raw_unit, unit_source)
                factor = unit.grams_per_unit if unit is not None else None
                if factor is None:
                    if trace is not None:
                        if unit is None:
                            why = f"{unit_source} is missing, so the value's unit is unknown"
                        elif unit is UNKNOWN_UNIT:
                            why = f"{unit_source} is {raw_unit!r}, not a unit spelling the library reads"
                        else:
                            why = f"{unit_source} is {raw_unit!r}, {_KIND_REASON[unit.kind]}"
                        trace.append(TraceStep(label, source, _SKIPPED, why))
                    return None
                grams = value * factor
            if grams > 1e300:
                raise FieldProblem(source, value, "too large to be a weight")
            if trace is not None:
                shown = f"{_fmt(value)} {fixed.spelling if fixed is not None else raw_unit}"
                trace.append(TraceStep(label, source, _TAKEN, f"{source} = {shown} -> {_fmt(grams)} g{per}"))
            return grams

        return attempt


def _tier_tables(table: Mapping[str, TierSize | tuple[TierSize, TierConvention]]) -> tuple[dict[str, float],
                                                                                               dict[str, float]]:
    trade: dict[str, float] = {}
    exact: dict[str, float] = {}
    for key, entry in table.items():
        if isinstance(entry, tuple):
            size, pinned = entry
            trade[key] = exact[key] = tier_grams(size, pinned)
        else:
            trade[key] = tier_grams(entry, TierConvention.TRADE)
            exact[key] = tier_grams(entry, TierConvention.AVOIRDUPOIS)
    return trade, exact


@attrs.frozen(slots=True)
class Tier(Step):
    """A named size looked up in ``table`` (keys as the vendor spells them, matched exactly, then upper-cased).

    A table value is a :class:`~fe_compliance.greencheck.tiers.TierSize` (converted under the caller's
    convention) or ``(TierSize, TierConvention)`` for a key that names its convention itself (Blaze's
    ``METRC_ONE_EIGHTH``). ``not_tiers`` are values the vendor uses for "no tier" (``"UNIT"``): skipped with that
    reason. Any other value is skipped as unknown, and the trace says so.
    """

    label: str
    record: Record
    path: str
    basis: Basis
    table: Mapping[str, TierSize | tuple[TierSize, TierConvention]]
    not_tiers: tuple[str, ...] = ()
    per_unit: bool = True
    when: Condition | None = None

    @property
    def source(self) -> str:
        return f"{self.record.value}.{self.path}"

    def own_fields(self) -> tuple[tuple[Record, str], ...]:
        return ((self.record, self.path),)

    def describe(self) -> str:
        return (f"**{self.label}**: the weight tier named in `{self.source}` (see the tier table), in grams under "
                f"the caller's tier convention; {self._describe_tail()}")

    def compile(self) -> Attempt:
        on_sale, first, keys, source = _reader(self.record, self.path)
        trade, exact = _tier_tables(self.table)
        trade_upper = {key.upper(): grams for key, grams in trade.items()}
        exact_upper = {key.upper(): grams for key, grams in exact.items()}
        not_tiers = frozenset(value.upper() for value in self.not_tiers)
        label = self.label
        per = " per unit" if self.per_unit else ""
        test, condition = self._gate()
        trade_convention = TierConvention.TRADE

        def attempt(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
                    trace: Trace) -> float | None:
            if test is not None and not test(product, sale_line):
                if trace is not None:
                    assert condition is not None
                    trace.append(TraceStep(label, source, _SKIPPED,
                                           f"does not apply: {condition.explain(product, sale_line)}"))
                return None
            raw = _get(sale_line if on_sale else product, first, keys, source)
            is_trade = options.tier_convention is trade_convention
            grams = (trade if is_trade else exact).get(raw) if type(raw) is str else None
            if grams is None:
                text = as_text(raw, source)
                if text is not None:
                    grams = (trade_upper if is_trade else exact_upper).get(text.upper())
                if grams is None:
                    if trace is not None:
                        if text is None:
                            why = f"{source} is missing"
                        elif text.upper() in not_tiers:
                            why = f"{source} is {raw!r}, not a weight tier"
                        else:
                            why = f"{source} is {raw!r}, not a weight tier the library knows"
                        trace.append(TraceStep(label, source, _SKIPPED, why))
                    return None
            if trace is not None:
                trace.append(TraceStep(label, source, _TAKEN,
                                       f"{source} = {raw!r} -> {_fmt(grams)} g{per} "
                                       f"({options.tier_convention.value} convention)"))
            return grams

        return attempt


@attrs.frozen(slots=True)
class Compute(Step):
    """A rule the other kinds cannot say. ``fn(product, sale_line, options, note)`` returns grams or ``None``.

    ``fn`` reads only through :mod:`fe_compliance.greencheck.fields` (which raise the right problems) and, when
    ``note`` is not ``None``, calls it with the reason for what it did; ``note`` is ``None`` in bulk, so build no
    strings then. ``reads`` lists every field ``fn`` reads, for the field-table check; ``explains`` says in words
    what it does, for the docs. A zero from ``fn`` counts as not set.
    """

    label: str
    source_path: str
    record: Record
    basis: Basis
    fn: ComputeFn
    reads: tuple[tuple[Record, str], ...]
    explains: str
    per_unit: bool = True
    when: Condition | None = None

    @property
    def source(self) -> str:
        return f"{self.record.value}.{self.source_path}"

    def own_fields(self) -> tuple[tuple[Record, str], ...]:
        return self.reads

    def describe(self) -> str:
        return f"**{self.label}**: {self.explains}; {self._describe_tail()}"

    def compile(self) -> Attempt:
        fn = self.fn
        label = self.label
        source = self.source
        test, condition = self._gate()

        def attempt(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
                    trace: Trace) -> float | None:
            if test is not None and not test(product, sale_line):
                if trace is not None:
                    assert condition is not None
                    trace.append(TraceStep(label, source, _SKIPPED,
                                           f"does not apply: {condition.explain(product, sale_line)}"))
                return None
            if trace is None:
                grams = fn(product, sale_line, options, None)
                notes: list[str] = []
            else:
                notes = []
                grams = fn(product, sale_line, options, notes.append)
            if grams is not None and not (0 <= grams < math.inf):
                raise FieldProblem(source, grams, "the vendor rule computed an impossible weight")
            if grams == 0:
                grams = None
                notes.append("the value is 0, treated as not set")
            if trace is not None:
                reason = "; ".join(notes) if notes else ("no value" if grams is None else f"{_fmt(grams)} g")
                trace.append(TraceStep(label, source, _SKIPPED if grams is None else _TAKEN, reason))
            return grams

        return attempt


# ------------------------------------------------------------------------------------------------------ quantity


class QuantityMissing(Exception):  # noqa: N818 - internal signal, converted to NoQuantityError by the runner
    """Internal: the line does not say how many units were sold."""

    def __init__(self, field: str, value: Any) -> None:
        super().__init__(field)
        self.field = field
        self.value = value


@attrs.frozen(slots=True)
class LineQuantity:
    """How many units the line sold: the multiplier of every per-unit step.

    ``unit_field``, when given, names the sibling that says what the quantity counts (Metrc's
    ``UnitOfMeasureName``): it must be a count ("Each"). A quantity measured in grams or ounces is not a number of
    units, and multiplying a weight per unit by it would be wrong, so that is a field problem. A missing quantity
    is :class:`~fe_compliance.greencheck.errors.NoQuantityError`, never "one unit". Zero is read as zero (a voided
    line), with a plausibility warning in traced mode.
    """

    path: str = "quantity"
    record: Record = Record.SALE_LINE
    unit_field: str | None = None

    @property
    def source(self) -> str:
        return f"{self.record.value}.{self.path}"

    def fields(self) -> tuple[tuple[Record, str], ...]:
        found = [(self.record, self.path)]
        if self.unit_field is not None:
            found.append((self.record, self.unit_field))
        return tuple(found)

    def describe(self) -> str:
        text = f"`{self.source}`"
        if self.unit_field is not None:
            text += f", which must count units when `{self.record.value}.{self.unit_field}` is given"
        return text

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], float]:
        on_sale, first, keys, source = _reader(self.record, self.path)
        unit_reader = _reader(self.record, self.unit_field) if self.unit_field is not None else None
        count = UnitKind.COUNT

        def quantity(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> float:
            rec = sale_line if on_sale else product
            raw = _get(rec, first, keys, source)
            value = as_number(raw, source)
            if value is None:
                raise QuantityMissing(source, raw)
            if unit_reader is not None:
                _, unit_first, unit_keys, unit_source = unit_reader
                raw_unit = _get(rec, unit_first, unit_keys, unit_source)
                unit = as_unit(raw_unit, unit_source)
                if unit is not None and unit.kind is not count:
                    raise FieldProblem(unit_source, raw_unit,
                                       f"the quantity {source} is measured in {raw_unit!r}, not in units, so a "
                                       "weight per unit cannot multiply it")
            return value

        return quantity
