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
  function that reads through :mod:`~fe_compliance.greencheck.fields`, reports through ``note`` and may return
  its value as :class:`Computed` with plausibility warnings of its own.

Conditions (``when=``): :class:`FieldIs` (a text field), :class:`FlagIs` (a true/false field), :class:`UnitKindIs`
(a unit-spelling field is a mass, a count ...), :class:`AnyOf`, :class:`AllOf`, :class:`Not`.
A list element can be selected with ``within=`` :class:`ItemWhere` (Flowhub's ``cannabinoidInformation``).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from ..units import UnitKind
from .fields import (
    MASS_FACTORS,
    TOO_LARGE,
    UNKNOWN_UNIT,
    FieldProblem,
    Record,
    as_flag,
    as_number,
    as_text,
    as_unit,
    as_weight,
    checked_weight,
    lookup,
    not_a_mass,
    parse_measure,
    split_path,
    unit_skip_reason,
)
from .result import Basis, ExtractOptions, Outcome, PlausibilityWarning, TraceLog, TraceStep
from .tiers import TierConvention, TierSize, tier_grams

__all__ = [
    "AllOf",
    "AnyOf",
    "Attempt",
    "Compute",
    "Computed",
    "Condition",
    "FieldIs",
    "FlagIs",
    "ItemWhere",
    "LineQuantity",
    "Not",
    "OneField",
    "QuantityMissing",
    "Step",
    "Tier",
    "UnitKindIs",
    "Weight",
    "not_set_reason",
    "skipped_by_condition",
    "weight_value",
]

Trace = list[TraceStep] | None
Attempt = Callable[[Mapping[str, Any], Mapping[str, Any], ExtractOptions, Trace], "float | None"]
Note = Callable[[str], None] | None
ComputeFn = Callable[[Mapping[str, Any], Mapping[str, Any], ExtractOptions, Note], "float | Computed | None"]

_TAKEN: Final = Outcome.TAKEN
_SKIPPED: Final = Outcome.SKIPPED


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _reader(record: Record, path: str) -> tuple[bool, str, tuple[str, ...], str]:
    """(on_sale_line, first_key, all_keys, printable path)."""
    keys = split_path(path)
    return record is Record.SALE_LINE, keys[0], keys, f"{record.value}.{path}"


def _get(rec: Mapping[str, Any], first: str, keys: tuple[str, ...], where: str) -> Any:
    return rec.get(first) if len(keys) == 1 else lookup(rec, keys, where)


Getter = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]


def _getter(record: Record, path: str) -> Getter:
    """A compiled reader of ``record.path``: ``get(product, sale_line) -> raw value or None``.

    Specialised for the shapes chains use (one key; two keys), falling back to :func:`lookup` for anything else,
    so a field read is one or two ``dict.get`` calls on the hot path.
    """
    keys = split_path(path)
    where = f"{record.value}.{path}"
    if record is Record.SALE_LINE:
        if len(keys) == 1:
            (key,) = keys
            return lambda product, sale_line: sale_line.get(key)
        pick: Callable[[Mapping[str, Any], Mapping[str, Any]], Mapping[str, Any]] = lambda p, s: s  # noqa: E731
    else:
        if len(keys) == 1:
            (key,) = keys
            return lambda product, sale_line: product.get(key)
        pick = lambda p, s: p  # noqa: E731
    if len(keys) == 2:
        outer, inner = keys

        def get_two(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> Any:
            rec = pick(product, sale_line)
            middle = rec.get(outer)
            if type(middle) is dict:
                return middle.get(inner)
            return lookup(rec, keys, where)

        return get_two
    return lambda product, sale_line: lookup(pick(product, sale_line), keys, where)


_CACHE_MAX: Final = 4096
_UNREAD: Final = object()


def _remember(cache: dict[str, bool], key: str, value: bool) -> bool:
    if len(cache) >= _CACHE_MAX:  # garbage text must not grow a cache without bound
        cache.clear()
    cache[key] = value
    return value


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


class OneField(Condition):
    """What the conditions on a single field share: the field (``record`` and ``path``, declared by each
    subclass), its printable name and its raw value."""

    record: Record
    path: str

    @property
    def where(self) -> str:
        """The field as ``record.path`` (``"product.category"``)."""
        return f"{self.record.value}.{self.path}"

    def raw(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> Any:
        """The field's raw value, ``None`` when absent (for explanations; the compiled tests read inline)."""
        return _getter(self.record, self.path)(product, sale_line)

    def fields(self) -> tuple[tuple[Record, str], ...]:
        return ((self.record, self.path),)


def _fold_all(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(value.strip().lower() for value in values)


@attrs.frozen(slots=True)
class FieldIs(OneField):
    """True when a text field, case-folded, equals one of ``equals`` or contains one of ``contains`` and none of
    ``excludes`` (Flowhub's category "NonEdible" contains "edible" and is not one: ``excludes=("nonedible",)``).

    A missing field makes the condition false (the step is skipped, the trace says the field is missing).
    """

    record: Record
    path: str
    equals: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        return self.compile_parts()[0]

    def compile_parts(self) -> tuple[Callable[[Mapping[str, Any], Mapping[str, Any]], bool], dict[str, bool]]:
        """The test and its cache (raw text -> answer), which the chain compiler reads inline."""
        get = _getter(self.record, self.path)
        where = f"{self.record.value}.{self.path}"
        equals = _fold_all(self.equals)
        contains = tuple(sorted(_fold_all(self.contains)))
        excludes = tuple(sorted(_fold_all(self.excludes)))
        seen: dict[str, bool] = {}  # raw text -> answer: one dict look-up per line once a spelling is known

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            raw = get(product, sale_line)
            if type(raw) is str:
                known = seen.get(raw)
                if known is not None:
                    return known
            text = as_text(raw, where)
            if text is None:
                return False
            folded = text.lower()
            found = folded in equals or any(part in folded for part in contains)
            return _remember(seen, raw, found and not any(part in folded for part in excludes))

        return test, seen

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        where = self.where
        text = as_text(self.raw(product, sale_line), where)
        if text is None:
            return f"{where} is missing"
        return f"{where} is {text!r}, not {self._wanted()}"

    def _wanted(self) -> str:
        parts = []
        if self.equals:
            parts.append(" or ".join(repr(value) for value in self.equals))
        if self.contains:
            parts.append("containing " + " or ".join(repr(value) for value in self.contains))
        text = " or ".join(parts)
        if self.excludes:
            text += " and not containing " + " or ".join(repr(value) for value in self.excludes)
        return text

    def describe(self) -> str:
        parts = []
        if self.equals:
            parts.append("is " + " or ".join(repr(value) for value in self.equals))
        if self.contains:
            parts.append("contains " + " or ".join(repr(value) for value in self.contains))
        text = " or ".join(parts)
        if self.excludes:
            text += ", but not " + " or ".join(repr(value) for value in self.excludes)
        return f"`{self.where}` {text} (any case)"


def _flag_word(flag: bool) -> str:
    return "true" if flag else "false"


@attrs.frozen(slots=True)
class FlagIs(OneField):
    """True when a true/false field holds ``value`` (Greenbits' ``weight_based``, POSaBIT's ``bulk_item``).

    The field is read by the library's one rule for true/false values,
    :func:`~fe_compliance.greencheck.fields.as_flag`: JSON ``true``/``false``, the integers ``1``/``0``, or the
    text ``"true"``/``"false"``, ``"yes"``/``"no"``, ``"y"``/``"n"``, ``"1"``/``"0"`` (any case, spaces
    stripped). Absent, ``null`` or blank text is *not set*: neither true nor false, so ``FlagIs`` is false for
    either ``value`` (a vendor for whom "missing" means "false" says ``Not(FlagIs(..., True))``). Anything else
    (``"maybe"``, ``2``, ``1.0``, a list, an object) is a field problem, never quietly one of the branches.
    """

    record: Record
    path: str
    value: bool = True

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        get = _getter(self.record, self.path)
        where = self.where
        wanted = self.value

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            raw = get(product, sale_line)
            if raw is True or raw is False:
                return raw is wanted
            return as_flag(raw, where) is wanted

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        flag = as_flag(self.raw(product, sale_line), self.where)
        if flag is None:
            return f"{self.where} is missing"
        return f"{self.where} is {_flag_word(flag)}, not {_flag_word(self.value)}"

    def describe(self) -> str:
        return f"`{self.where}` is {_flag_word(self.value)}"


_KIND_WORDS: Final = {UnitKind.MASS: "a mass unit", UnitKind.COUNT: "a count (\"Each\")",
                      UnitKind.PERCENT: "a percentage", UnitKind.VOLUME: "a volume"}


@attrs.frozen(slots=True)
class UnitKindIs(OneField):
    """True when a unit-spelling field names a unit of ``kind`` in the one spelling table
    (:data:`fe_compliance.units.VENDOR_UNIT_SPELLINGS`): GrowFlow's "unit of measure is Each" is
    ``UnitKindIs(Record.PRODUCT, "unitOfMeasure", UnitKind.COUNT)`` and matches "Each", "ea", "unit", "piece" ...
    without a private list of spellings.

    A missing field, or a spelling the table does not know, makes it false (the trace says which); a value that is
    not text is a field problem.
    """

    record: Record
    path: str
    kind: UnitKind

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        get = _getter(self.record, self.path)
        where = self.where
        kind = self.kind

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            unit = as_unit(get(product, sale_line), where)
            return unit is not None and unit is not UNKNOWN_UNIT and unit.kind is kind

        return test

    def explain(self, product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> str:
        raw = self.raw(product, sale_line)
        unit = as_unit(raw, self.where)
        if unit is None:
            return f"{self.where} is missing"
        if unit is UNKNOWN_UNIT:
            return f"{self.where} is {raw!r}, not a unit spelling the library reads"
        return f"{self.where} is {raw!r}, {_KIND_WORDS[unit.kind]}, not {_KIND_WORDS[self.kind]}"

    def describe(self) -> str:
        return f"`{self.where}` is {_KIND_WORDS[self.kind]} in the one unit-spelling table"


@attrs.frozen(slots=True, init=False)
class AnyOf(Condition):
    """True when any of the conditions is true (tested in order; the first true one wins)."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        self.__attrs_init__(tuple(conditions))

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        tests = tuple(condition.compile() for condition in self.conditions)
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            first, second = tests
            return lambda product, sale_line: first(product, sale_line) or second(product, sale_line)
        if len(tests) == 3:
            one, two, three = tests
            return lambda product, sale_line: (
                one(product, sale_line) or two(product, sale_line) or three(product, sale_line)
            )

        def test(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> bool:
            return any(each(product, sale_line) for each in tests)

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
            return all(each(product, sale_line) for each in tests)

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
    seen: dict[str, bool] = attrs.field(init=False, factory=dict, eq=False, repr=False, hash=False)
    """Raw name -> "is one of ``equals``": shared by every compiled reader of this selector (and read inline by
    the chain compiler)."""

    @property
    def label(self) -> str:
        wanted = "|".join(self.equals)
        return f"{self.path}[{self.key}={wanted}]"

    def compile(self, record: Record) -> Callable[[Mapping[str, Any]], Mapping[str, Any] | None]:
        _, first, keys, where = _reader(record, self.path)
        key = self.key
        name_field = f"{where}[].{key}"
        wanted = _fold_all(self.equals)
        seen = self.seen

        def select(rec: Mapping[str, Any]) -> Mapping[str, Any] | None:
            items = rec.get(first) if len(keys) == 1 else lookup(rec, keys, where)
            if items is None:
                return None
            if type(items) is not list and not isinstance(items, (list, tuple)):
                raise FieldProblem(where, items, "expected a list of objects")
            for item in items:
                if type(item) is not dict and not isinstance(item, Mapping):
                    raise FieldProblem(where, item, "expected each element to be an object")
                raw = item.get(key)
                if type(raw) is str:
                    known = seen.get(raw)
                    if known is None:
                        name = as_text(raw, name_field)
                        known = _remember(seen, raw, name is not None and name.lower() in wanted)
                    if known:
                        return item
                else:
                    as_text(raw, name_field)  # None passes; any other non-text name is a field problem
            return None

        return select


# --------------------------------------------------------------------------------------------------------- steps


class Step(abc.ABC):
    """One rung of a vendor's chain. Subclasses are frozen attrs classes with at least these attributes.

    :meth:`compile` returns the step *without* its condition: the vendor's compiled chain tests each distinct
    condition once per line for a run of consecutive steps that share it (Blaze's three tier steps, Flowhub's two
    THC steps), and records the skip of every step of the run in the trace. :meth:`compile_gated` returns a
    closure that tests the condition itself, for a step used on its own (a plausibility cross-check).
    """

    label: str
    basis: Basis
    per_unit: bool
    when: Condition | None
    beyond_seed: str | None
    """``None`` for a step of the seed's chain; for a step the library adds after it (Metrc's quantity sold in
    grams), why. A result taken from such a step carries a trace line saying so (``"beyond seed 003: ..."``)."""

    @property
    @abc.abstractmethod
    def source(self) -> str:
        """The field the step reads, as ``record.path`` (what a result's ``source`` says)."""

    @abc.abstractmethod
    def compile(self) -> Attempt:
        """The closure that runs the step, condition not included (see the module docstring)."""

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

    def compile_gated(self) -> Attempt:
        """The step with its condition tested first (a skip is traced with the condition's explanation)."""
        attempt = self.compile()
        if self.when is None:
            return attempt
        condition = self.when
        test = condition.compile()
        label, source = self.label, self.source

        def gated(
            product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions, trace: Trace
        ) -> float | None:
            if test(product, sale_line):
                return attempt(product, sale_line, options, trace)
            if trace is not None:
                trace.append(skipped_by_condition(label, source, condition, product, sale_line))
            return None

        return gated

    def _describe_tail(self) -> str:
        parts = ["per unit, times the line's quantity" if self.per_unit else "for the whole line"]
        parts.append(f"basis `{self.basis.value}`")
        text = "; ".join(parts)
        if self.when is not None:
            text = f"only when {self.when.describe()}; {text}"
        if self.beyond_seed is not None:
            text += f"; **beyond seed 003**: {self.beyond_seed}"
        return text


def skipped_by_condition(
    label: str, source: str, condition: Condition, product: Mapping[str, Any], sale_line: Mapping[str, Any]
) -> TraceStep:
    """The trace line of a step whose condition is false."""
    return TraceStep(label, source, _SKIPPED, f"does not apply: {condition.explain(product, sale_line)}")


def not_set_reason(field: str, value: float | None) -> str:
    """Why a weight read as ``value`` (``None`` or 0) is not set: the one wording of every step's skip."""
    return f"{field} is missing" if value is None else f"{field} is 0, treated as not set"


def weight_value(raw: Any, field: str, note: Note) -> float | None:
    """For a :class:`Compute` function: ``raw`` read as a weight (:func:`~fe_compliance.greencheck.fields.as_weight`:
    refused when NaN, negative, too large ...), or ``None`` when it is not set (absent, null, blank or 0), in which
    case ``note`` (when given) is told why, in the words a :class:`Weight` step uses."""
    value = as_weight(raw, field)
    if value:
        return value
    if note is not None:
        note(not_set_reason(field, value))
    return None


@attrs.frozen(slots=True)
class Weight(Step):
    """A number times a mass unit.

    ``unit_field`` names a sibling field holding the unit spelling (on the same record, and inside the same
    ``within`` element); ``unit`` fixes the unit when the vendor's field is documented in one unit (Dutchie's
    ``productGrams`` is grams). Exactly one of the two must be given. A zero is treated as not set.

    ``unit_in_value``: the value may be text carrying its own unit (Dutchie's register API sends
    ``"ProductGrams": "28.35 g"``), read by :func:`~fe_compliance.greencheck.fields.parse_measure`. A unit written in
    the value is the one used (a percentage, count, volume or unknown spelling there is a skip, as in a unit field);
    one that disagrees with a set unit field is a field problem; a value without one (``"28.35"``, ``28.35``) takes
    the unit field or the fixed unit as usual.
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
    beyond_seed: str | None = None
    unit_in_value: bool = False

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
        if self.unit_field is None:
            unit = f"in {self.unit}"
        else:
            unit = (f"in the unit of `{self.unit_source}` (a mass unit only: a percentage, count or volume is "
                    "skipped)")
        if self.unit_in_value:
            unit += ", or in the unit written in the value itself (\"28.35 g\")"
        return f"**{self.label}**: `{self.source}` {unit}; {self._describe_tail()}"

    def taken(self, value: float, raw_unit: Any, grams: float) -> TraceStep:
        """The trace line of this step when it gives ``grams`` from ``value`` in ``raw_unit``."""
        per = " per unit" if self.per_unit else ""
        return TraceStep(
            self.label, self.source, _TAKEN, f"{self.source} = {_fmt(value)} {raw_unit} -> {_fmt(grams)} g{per}"
        )

    def compile(self) -> Attempt:
        taken = self.taken
        on_sale = self.record is Record.SALE_LINE
        keys = split_path(self.path)
        first = keys[0]
        single = len(keys) == 1
        source = self.source
        label = self.label
        unit_source = self.unit_source
        unit_keys = split_path(self.unit_field) if self.unit_field is not None else ("",)
        unit_first = unit_keys[0]
        unit_single = len(unit_keys) == 1
        fixed = as_unit(self.unit, "unit") if self.unit is not None else None
        fixed_factor = fixed.grams_per_unit if fixed is not None else None
        fixed_text = fixed.spelling if fixed is not None else ""
        select = self.within.compile(self.record) if self.within is not None else None
        within_label = self.within.label if self.within is not None else ""
        factors = MASS_FACTORS
        too_large = TOO_LARGE
        unit_in_value = self.unit_in_value
        unit_field_set = self.unit_field is not None
        measures: dict[str, Any] = {}  # raw text -> its Measure (or None for blank text), read once

        def own_unit(rec: Mapping[str, Any], raw: Any, value: float, spelling: str, trace: Trace) -> float | None:
            """A value written with its unit: that unit converts it; a set unit field must agree with it."""
            unit = as_unit(spelling, source)
            if unit is None or unit.grams_per_unit is None:
                if trace is not None:
                    why = f"{source} is {raw!r}: {spelling!r} is {not_a_mass(UNKNOWN_UNIT if unit is None else unit)}"
                    trace.append(TraceStep(label, source, _SKIPPED, why))
                return None
            if unit_field_set:
                sibling_raw = rec.get(unit_first) if unit_single else lookup(rec, unit_keys, unit_source)
                sibling = as_unit(sibling_raw, unit_source)
                if sibling is not None and sibling.grams_per_unit != unit.grams_per_unit:
                    raise FieldProblem(source, raw, f"its unit {spelling!r} disagrees with {unit_source} "
                                                    f"({sibling_raw!r})")
            grams = checked_weight(value * unit.grams_per_unit, source, raw)
            if trace is not None:
                trace.append(taken(value, spelling, grams))
            return grams

        def attempt(
            product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions, trace: Trace
        ) -> float | None:
            rec: Mapping[str, Any] | None = sale_line if on_sale else product
            if select is not None:
                rec = select(rec)  # type: ignore[arg-type]
                if rec is None:
                    if trace is not None:
                        trace.append(TraceStep(label, source, _SKIPPED, f"no element {within_label} found"))
                    return None
            assert rec is not None
            raw: Any = rec.get(first) if single else lookup(rec, keys, source)
            kind = type(raw)
            value: float
            if (kind is float or kind is int) and 0 < raw < too_large:
                value = raw  # the fast path: a plain positive number
            elif unit_in_value and kind is str:
                measure = measures.get(raw, _UNREAD)
                if measure is _UNREAD:
                    measure = parse_measure(raw, source)  # raises for garbage, which is never cached
                    if len(measures) >= _CACHE_MAX:  # many lines share a few spellings; garbage must not grow it
                        measures.clear()
                    measures[raw] = measure
                if measure is None or not measure.value:
                    if trace is not None:
                        read_value = None if measure is None else measure.value
                        trace.append(TraceStep(label, source, _SKIPPED, not_set_reason(source, read_value)))
                    return None
                if measure.unit is not None:
                    return own_unit(rec, raw, measure.value, measure.unit, trace)
                value = checked_weight(measure.value, source, raw)
            else:
                read = as_weight(raw, source)
                if not read:
                    if trace is not None:
                        trace.append(TraceStep(label, source, _SKIPPED, not_set_reason(source, read)))
                    return None
                value = read
            if fixed_factor is not None:
                grams: float = value * fixed_factor
                raw_unit: Any = fixed_text
            else:
                raw_unit = rec.get(unit_first) if unit_single else lookup(rec, unit_keys, unit_source)
                factor = factors.get(raw_unit) if type(raw_unit) is str else None
                if factor is None:
                    unit = as_unit(raw_unit, unit_source)
                    factor = unit.grams_per_unit if unit is not None else None
                    if factor is None:
                        if trace is not None:
                            trace.append(
                                TraceStep(label, source, _SKIPPED, unit_skip_reason(unit_source, raw_unit, unit))
                            )
                        return None
                grams = value * factor
            if trace is not None:
                trace.append(taken(value, raw_unit, grams))
            return grams

        return attempt


def _tier_tables(
    table: Mapping[str, TierSize | tuple[TierSize, TierConvention]],
) -> tuple[dict[str, float], dict[str, float]]:
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
    beyond_seed: str | None = None

    @property
    def source(self) -> str:
        return f"{self.record.value}.{self.path}"

    def own_fields(self) -> tuple[tuple[Record, str], ...]:
        return ((self.record, self.path),)

    def describe(self) -> str:
        return (
            f"**{self.label}**: the weight tier named in `{self.source}` (see the tier table), in grams under "
            f"the caller's tier convention; {self._describe_tail()}"
        )

    def taken(self, raw: Any, grams: float, options: ExtractOptions) -> TraceStep:
        """The trace line of this step when the tier ``raw`` gives ``grams``."""
        per = " per unit" if self.per_unit else ""
        return TraceStep(
            self.label,
            self.source,
            _TAKEN,
            f"{self.source} = {raw!r} -> {_fmt(grams)} g{per} ({options.tier_convention.value} convention)",
        )

    def tables(self) -> tuple[dict[str, float], dict[str, float]]:
        """Exact spelling -> grams, under the trade and the avoirdupois convention."""
        return _tier_tables(self.table)

    def compile(self) -> Attempt:
        taken = self.taken
        get = _getter(self.record, self.path)
        source = self.source
        trade, exact = _tier_tables(self.table)
        trade_upper = {key.upper(): grams for key, grams in trade.items()}
        exact_upper = {key.upper(): grams for key, grams in exact.items()}
        not_tiers = frozenset(value.upper() for value in self.not_tiers)
        label = self.label
        trade_convention = TierConvention.TRADE

        def attempt(
            product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions, trace: Trace
        ) -> float | None:
            raw = get(product, sale_line)
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
                trace.append(taken(raw, grams, options))
            return grams

        return attempt


def _warnings(value: Any) -> tuple[PlausibilityWarning, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, PlausibilityWarning):
            raise TypeError(f"Computed warnings must be PlausibilityWarning objects, not {item!r}")
    return items


@attrs.frozen(slots=True)
class Computed:
    """What a :class:`Compute` function returns when its value comes with plausibility warnings of its own (a
    cross-check only it can make, such as Meadow's option ``amount`` against its ``content``). The warnings are
    added to the result's ``warnings`` when the step's value is the one the chain takes; build them only when the
    function's ``note`` is not ``None`` (the traced path), since the bulk path drops them."""

    grams: float
    warnings: tuple[PlausibilityWarning, ...] = attrs.field(default=(), converter=_warnings)


@attrs.frozen(slots=True)
class Compute(Step):
    """A rule the other kinds cannot say. ``fn(product, sale_line, options, note)`` returns grams, a
    :class:`Computed` (grams with warnings) or ``None``.

    ``fn`` reads only through :mod:`fe_compliance.greencheck.fields` (which raise the right problems;
    :func:`weight_value` reads a weight and notes why it is not set) and, when ``note`` is not ``None``, calls it
    with the reason for what it did; ``note`` is ``None`` in bulk, so build no strings (and no warnings) then.
    ``reads`` lists every field ``fn`` reads, for the field-table check; ``explains`` says in words what it does,
    for the docs. A zero from ``fn`` counts as not set.
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
    beyond_seed: str | None = None

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

        def attempt(
            product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions, trace: Trace
        ) -> float | None:
            if trace is None:
                grams: Any = fn(product, sale_line, options, None)
                notes: list[str] = []
            else:
                notes = []
                grams = fn(product, sale_line, options, notes.append)
            warnings: tuple[PlausibilityWarning, ...] = ()
            if type(grams) is Computed:
                grams, warnings = grams.grams, grams.warnings
            if grams is not None and (
                isinstance(grams, bool) or not isinstance(grams, (int, float)) or not (0 <= grams < TOO_LARGE)
            ):
                raise FieldProblem(source, grams, "the vendor rule computed an impossible weight")
            if grams == 0:
                grams = None
                notes.append("the value is 0, treated as not set")
            if trace is not None:
                reason = "; ".join(notes) if notes else ("no value" if grams is None else f"{_fmt(grams)} g")
                trace.append(TraceStep(label, source, _SKIPPED if grams is None else _TAKEN, reason))
                if warnings and grams is not None and isinstance(trace, TraceLog):
                    trace.warnings.extend(warnings)
            return grams  # type: ignore[no-any-return]

        return attempt


# ------------------------------------------------------------------------------------------------------ quantity


class QuantityMissing(Exception):  # noqa: N818 - internal signal, converted to NoQuantityError by the runner
    """Internal: the line does not say how many units were sold (``zero``: it says 0, which is not set).
    ``field`` and ``value`` are the quantity's first path and what it held; ``also`` the other paths tried."""

    def __init__(self, field: str, value: Any, zero: bool = False, also: tuple[str, ...] = ()) -> None:
        super().__init__(field)
        self.field = field
        self.value = value
        self.zero = zero
        self.also = also


def _paths(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen(slots=True)
class LineQuantity:
    """How many units the line sold: the multiplier of every per-unit step.

    ``path`` names the field; ``alternatives`` other names of the same field, tried in order when it is not set
    (BioTrack's two APIs write ``quantity`` and ``Quantity``): the first path that is set is the quantity, and the
    trace names it. A path holding a value that can never be a quantity stops there with a field problem, as any
    corrupt field does, rather than falling through to the next name.

    ``unit_field``, when given, names the sibling that says what the quantity counts (Metrc's
    ``UnitOfMeasureName``): it must be a count ("Each") of the one spelling table; a spelling the table does not
    know ("Gallons") cannot be known to count units and is a field problem. A quantity measured in grams or ounces
    is not a number of
    units, and multiplying a weight per unit by it would be wrong, so that is a field problem. A missing quantity
    is :class:`~fe_compliance.greencheck.errors.NoQuantityError`, never "one unit".

    A quantity of 0 is *not set*, like a weight of 0, and so is a missing quantity: a line that says it sold zero
    units cannot be told apart from one whose count was never filled in (POS systems write 0 for both), and a
    voided line is not a sale to count. Reading it as zero grams would let a line that really sold product pass a
    purchase limit unnoticed, in bulk where no warning is built, so it is ``NoQuantityError`` in both paths.
    """

    path: str = "quantity"
    record: Record = Record.SALE_LINE
    unit_field: str | None = None
    alternatives: tuple[str, ...] = attrs.field(default=(), converter=_paths)

    def __attrs_post_init__(self) -> None:
        for path in self.paths:
            split_path(path)
        if len(set(self.paths)) != len(self.paths):
            raise ValueError(f"quantity paths repeat: {self.paths}")

    @property
    def source(self) -> str:
        """The first path, as ``record.path``."""
        return f"{self.record.value}.{self.path}"

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path the quantity may be read from, in order."""
        return (self.path, *self.alternatives)

    @property
    def sources(self) -> tuple[str, ...]:
        """:attr:`paths` as ``record.path``."""
        return tuple(f"{self.record.value}.{path}" for path in self.paths)

    def fields(self) -> tuple[tuple[Record, str], ...]:
        found = [(self.record, path) for path in self.paths]
        if self.unit_field is not None:
            found.append((self.record, self.unit_field))
        return tuple(found)

    def simple_key(self) -> str | None:
        """The first key, when the quantity is a plain field of the sale line with no unit beside it (the runner
        reads that key inline when it holds a plain positive number, and calls the compiled reader for anything
        else, alternatives included)."""
        keys = split_path(self.path)
        if self.record is Record.SALE_LINE and self.unit_field is None and len(keys) == 1:
            return keys[0]
        return None

    def describe(self) -> str:
        text = ", else ".join(f"`{source}`" for source in self.sources)
        if self.alternatives:
            text += " (the first that is set)"
        if self.unit_field is not None:
            text += f", which must count units when `{self.record.value}.{self.unit_field}` is given"
        return text

    def compile(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[float, str]]:
        """``quantity(product, sale_line) -> (units, source read)``; raises ``QuantityMissing`` or a field
        problem. Both paths of the runner call it (the bulk path first tries the plain shape inline)."""
        readers = tuple((_getter(self.record, path), source) for path, source in zip(self.paths, self.sources,
                                                                                    strict=True))
        first_get, first_source = readers[0]
        also = self.sources[1:]
        too_large = TOO_LARGE

        def count(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> tuple[float, str]:
            for get, source in readers:
                raw = get(product, sale_line)
                kind = type(raw)
                if (kind is float or kind is int) and 0 < raw < too_large:
                    return raw, source
                value = as_number(raw, source)
                if value:
                    return value, source
            raw = first_get(product, sale_line)
            raise QuantityMissing(first_source, raw, zero=as_number(raw, first_source) == 0, also=also)

        if self.unit_field is None:
            return count

        get_unit = _getter(self.record, self.unit_field)
        unit_source = f"{self.record.value}.{self.unit_field}"
        units = UnitKind.COUNT

        def count_checked(product: Mapping[str, Any], sale_line: Mapping[str, Any]) -> tuple[float, str]:
            found = count(product, sale_line)
            raw_unit = get_unit(product, sale_line)
            if raw_unit is not None:
                unit = as_unit(raw_unit, unit_source)
                if unit is UNKNOWN_UNIT:  # its kind is a placeholder: the spelling may be a weight or a volume
                    raise FieldProblem(
                        unit_source,
                        raw_unit,
                        f"not a unit spelling the library reads, so the quantity {found[1]} cannot be known to "
                        "count units",
                    )
                if unit is not None and unit.kind is not units:
                    raise FieldProblem(
                        unit_source,
                        raw_unit,
                        f"the quantity {found[1]} is measured in {raw_unit!r}, not in units, so a "
                        "weight per unit cannot multiply it",
                    )
            return found

        return count_checked
