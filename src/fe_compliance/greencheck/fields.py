"""Safe readers for vendor records: every value a chain reads passes through here.

The readers are the reason no vendor module can raise a ``KeyError``, a ``TypeError`` or a pint error. Each one
turns a raw JSON value into a checked Python value, ``None`` ("not set", so the chain may fall back) or raises
:class:`FieldProblem`. The chain runner turns a :class:`FieldProblem` into a
:class:`~fe_compliance.greencheck.errors.VendorFieldError` naming the vendor, the field and the value, so the
readers stay free of vendor bookkeeping and cheap enough for the bulk path.

What counts as "not set" (the chain falls back) and what is an error (the chain stops):

- not set: the key is absent, ``null``, or a string of only spaces. Numbers equal to zero are returned as ``0.0``;
  the steps treat a zero weight as not set, because a product that weighs nothing was never weighed.
- error: a bool where a number belongs, NaN, infinity, a negative number, a number too large for a float, a
  string that is not a plain decimal number, a list or mapping where a scalar belongs, a path through a value
  that is not a mapping.

Numeric strings: ``"3.5"``, ``" 3.5 "``, ``"1e3"`` and thousands written with commas in groups of exactly three
(``"1,000"``, ``"12,345.5"``) are read. Any other comma (``"1,5"``, ``"1,00"``) is refused as ambiguous: it may
be a decimal comma, and guessing would change the number a thousandfold.

Units are read through :func:`fe_compliance.units.normalize_unit` (the one spelling table), with a small
bounded cache in front so that a million lines cost a million dict look-ups, not a million parses.

Amounts written as text with their unit (``"100mg"``, ``"3.5 g"``, ``"1,000 mg"``, ``"1-3.5 g"``) are read by
:func:`parse_measure` and :func:`parse_measure_range` and converted by :func:`measure_grams`: the number follows the
numeric rules above, the unit goes through the same table, and a percentage, a count or a volume never becomes a
weight.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from ..errors import InvalidValueError
from ..units import NormalizedUnit, UnitKind, normalize_unit

__all__ = [
    "MASS_FACTORS",
    "NOT_MASS",
    "TOO_LARGE",
    "UNKNOWN_UNIT",
    "Confidence",
    "FieldDoc",
    "FieldProblem",
    "Measure",
    "Record",
    "as_flag",
    "as_number",
    "as_text",
    "as_unit",
    "as_weight",
    "checked_weight",
    "lookup",
    "mass_factor",
    "measure_grams",
    "not_a_mass",
    "parse_measure",
    "parse_measure_range",
    "split_path",
    "unit_skip_reason",
]


class Record(enum.Enum):
    """Which of the two records a field sits on."""

    PRODUCT = "product"
    SALE_LINE = "sale_line"

    def __str__(self) -> str:
        return self.value


class Confidence(enum.Enum):
    """How sure we are of a field's real name (``../shared/reference/vendor-fields.md``)."""

    CONFIRMED = "confirmed"
    PARTIAL = "partial"
    NONE_FOUND = "none found"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True)
class FieldDoc:
    """One field a vendor module reads: its name (dotted path), the record it sits on, how sure we are of the
    name, where the name comes from, and what the chain uses it for. The docs pages are generated from these."""

    name: str
    record: Record
    confidence: Confidence
    source: str
    meaning: str

    @property
    def path(self) -> str:
        return f"{self.record.value}.{self.name}"


class FieldProblem(Exception):  # noqa: N818 - internal signal, converted to VendorFieldError by the runner
    """Internal: a field holds an unusable value. Never escapes the package (the runner converts it)."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field
        self.value = value
        self.reason = reason


def split_path(path: str) -> tuple[str, ...]:
    """``"category.unitType"`` -> ``("category", "unitType")``; done once, when a step is built."""
    keys = tuple(path.split("."))
    if not path or any(not key for key in keys):
        raise ValueError(f"bad field path {path!r}")
    return keys


def lookup(record: Mapping[str, Any], keys: tuple[str, ...], where: str) -> Any:
    """The value at ``keys`` inside ``record``, or ``None`` when any level is absent or null.

    ``where`` is the printable path used in a problem. A level that exists but is not a mapping is a problem
    (``category`` given as the string ``"Flower"`` where an object was expected), never an ``AttributeError``.
    """
    value: Any = record
    for key in keys:
        if value is None:
            return None
        if type(value) is not dict and not isinstance(value, Mapping):
            raise FieldProblem(where, value, f"expected an object holding {key!r}, not {_kind(value)}")
        value = value.get(key)
    return value


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


TOO_LARGE: Final = 1e300
"""Weights (read or computed) at or above this are refused as "too large to be a weight". No real weight is near
it, and refusing it keeps every weight far enough from a float's limit that multiplying it by a unit factor or a
line's quantity can be checked for overflow instead of silently becoming infinity."""

_TOO_LARGE_REASON: Final = "too large to be a weight"


_PLAIN_NUMBER: Final = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?")
_THOUSANDS: Final = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def _number_from_text(raw: str, field: str) -> float | None:
    text = raw.strip()
    if not text:
        return None
    negative = text.startswith("-")
    body = text[1:].strip() if negative or text.startswith("+") else text
    if _PLAIN_NUMBER.fullmatch(body):
        number = float(body)
    elif _THOUSANDS.fullmatch(body):
        number = float(body.replace(",", ""))
    elif "," in body:
        raise FieldProblem(field, raw, "a comma not grouping thousands is ambiguous (a decimal comma?)")
    else:
        raise FieldProblem(field, raw, "expected a plain decimal number")
    if not math.isfinite(number):
        raise FieldProblem(field, raw, "must be a finite number")
    if negative and number != 0:
        raise FieldProblem(field, raw, "must not be negative")
    return number


def as_number(raw: Any, field: str) -> float | None:
    """A finite, non-negative float, or ``None`` when not set. See the module docstring for what is refused."""
    kind = type(raw)
    if kind is float:
        number: float = raw
    elif kind is int:
        try:
            number = float(raw)
        except OverflowError:
            raise FieldProblem(field, raw, _TOO_LARGE_REASON) from None
    elif raw is None:
        return None
    elif kind is str:
        return _number_from_text(raw, field)
    elif isinstance(raw, bool):
        raise FieldProblem(field, raw, "expected a number, not a true/false value")
    elif isinstance(raw, (int, float)):  # int and float subclasses
        try:
            number = float(raw)
        except (OverflowError, ValueError, TypeError):
            raise FieldProblem(field, raw, "expected a number") from None
    else:
        raise FieldProblem(field, raw, f"expected a number, not {_kind(raw)}")
    if number != number or number in (math.inf, -math.inf):
        raise FieldProblem(field, raw, "must be a finite number")
    if number < 0:
        raise FieldProblem(field, raw, "must not be negative")
    return number


def as_weight(raw: Any, field: str) -> float | None:
    """:func:`as_number`, also refusing a number at or above :data:`TOO_LARGE`. The reader of every weight."""
    value = as_number(raw, field)
    if value is not None and value >= TOO_LARGE:
        raise FieldProblem(field, raw, _TOO_LARGE_REASON)
    return value


def checked_weight(grams: float, field: str, raw: Any) -> float:
    """``grams`` computed from the value ``raw`` of ``field`` (a weight times its unit's factor), refused at or
    above :data:`TOO_LARGE` with the same reason as :func:`as_weight`."""
    if grams >= TOO_LARGE:
        raise FieldProblem(field, raw, _TOO_LARGE_REASON)
    return grams


def as_text(raw: Any, field: str) -> str | None:
    """A stripped string, or ``None`` when not set. Numbers, bools, lists and objects are problems."""
    if raw is None:
        return None
    if type(raw) is str or isinstance(raw, str):
        text = raw.strip()
        return text or None
    raise FieldProblem(field, raw, f"expected text, not {_kind(raw)}")


_TRUE: Final = frozenset({"true", "yes", "y", "1"})
_FALSE: Final = frozenset({"false", "no", "n", "0"})


def as_flag(raw: Any, field: str) -> bool | None:
    """A true/false value, by the one rule every true/false field of every vendor is read with:

    - true: JSON ``true``, the integer ``1``, the text ``"true"``, ``"yes"``, ``"y"`` or ``"1"``;
    - false: JSON ``false``, the integer ``0``, the text ``"false"``, ``"no"``, ``"n"`` or ``"0"``;
    - ``None`` (not set): ``null`` (or an absent key) and text of only spaces;
    - a problem: anything else (``"maybe"``, ``2``, ``1.0``, a list, an object): a flag that is neither true nor
      false must not silently pick a branch of a chain.

    Text is compared case-folded with its spaces stripped (``" TRUE "`` is true).
    """
    if raw is None:
        return None
    if raw is True or raw is False:
        return bool(raw)
    if type(raw) is int and raw in (0, 1):
        return raw == 1
    if isinstance(raw, str):
        folded = raw.strip().lower()
        if not folded:
            return None
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise FieldProblem(field, raw, "expected true or false")


UNKNOWN_UNIT: Final = NormalizedUnit(spelling="<unknown unit>", kind=UnitKind.COUNT)
"""Returned by :func:`as_unit` for a spelling not in the table (compare with ``is``)."""

_UNIT_CACHE: dict[str, NormalizedUnit] = {}
_UNIT_CACHE_MAX: Final = 4096

MASS_FACTORS: Final[dict[str, float]] = {}
"""Raw spelling -> grams per unit, for every mass spelling :func:`as_unit` has already read. The steps' fast path
looks a unit up here first (one dict look-up) and calls :func:`as_unit` only on a miss."""

NOT_MASS: Final[set[str]] = set()
"""Raw spellings :func:`as_unit` has read as something other than a mass (a percentage, a count, a volume, or no
unit the table knows): a weight step skips them, so the fast path can skip without asking again."""


def as_unit(raw: Any, field: str) -> NormalizedUnit | None:
    """A unit spelling read through :data:`fe_compliance.units.VENDOR_UNIT_SPELLINGS`.

    ``None`` when not set; :data:`UNKNOWN_UNIT` for text that is no unit spelling the table knows (a step then
    skips, saying so, because a weight in an unknown unit cannot be converted); a problem for a non-text value.
    """
    if type(raw) is str:
        cached = _UNIT_CACHE.get(raw)
        if cached is not None:
            return cached
        if not raw.strip():
            return None
        try:
            unit = normalize_unit(raw, field=field)
        except InvalidValueError:
            unit = UNKNOWN_UNIT
        if len(_UNIT_CACHE) >= _UNIT_CACHE_MAX:  # garbage spellings must not grow the cache without bound
            _UNIT_CACHE.clear()
            MASS_FACTORS.clear()
            NOT_MASS.clear()
        _UNIT_CACHE[raw] = unit
        if unit.grams_per_unit is not None:
            MASS_FACTORS[raw] = unit.grams_per_unit
        else:
            NOT_MASS.add(raw)
        return unit
    if raw is None:
        return None
    if isinstance(raw, str):
        return as_unit(str(raw), field)
    raise FieldProblem(field, raw, f"a unit must be written as text, not {_kind(raw)}")


_NOT_MASS_WORDS: Final = {
    UnitKind.PERCENT: "a percentage, not a weight",
    UnitKind.COUNT: "a count, not a weight",
    UnitKind.VOLUME: "a volume, not a weight",
}


def not_a_mass(unit: NormalizedUnit) -> str:
    """Why ``unit`` (as :func:`as_unit` read it) cannot convert a weight: ``"a percentage, not a weight"``, ``"a
    count, not a weight"``, ``"a volume, not a weight"`` or ``"not a unit spelling the library reads"``."""
    if unit is UNKNOWN_UNIT:
        return "not a unit spelling the library reads"
    return _NOT_MASS_WORDS.get(unit.kind, "not a weight")


def unit_skip_reason(field: str, raw_unit: Any, unit: NormalizedUnit | None) -> str:
    """Why the unit field ``field`` (holding ``raw_unit``, read by :func:`as_unit` as ``unit``) converts no weight:
    ``"<field> is missing, so the value's unit is unknown"``, ``"<field> is '%', a percentage, not a weight"``,
    ``"<field> is 'bag', not a unit spelling the library reads"``."""
    if unit is None:
        return f"{field} is missing, so the value's unit is unknown"
    return f"{field} is {raw_unit!r}, {not_a_mass(unit)}"


def mass_factor(raw_unit: Any, field: str) -> float | str:
    """Grams per one ``raw_unit`` (a spelling read by :func:`as_unit`), or, when it gives none, the reason
    (:func:`unit_skip_reason`). A unit that is not text is a problem."""
    unit = as_unit(raw_unit, field)
    if unit is None or unit.grams_per_unit is None:
        return unit_skip_reason(field, raw_unit, unit)
    return unit.grams_per_unit


@attrs.frozen(slots=True)
class Measure:
    """An amount read from text: its number and the unit written after it (``None`` when none was written)."""

    value: float
    unit: str | None


_AMOUNT: Final = r"[0-9][0-9.,]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"
_ONE_MEASURE: Final = re.compile(rf"([+-]?)\s*({_AMOUNT})\s*([^-\u20130-9]*)", re.DOTALL)
_TWO_MEASURES: Final = re.compile(r"([0-9.][^-\u2013]*?)\s*[-\u2013]\s*([^-\u2013]+)", re.DOTALL)
MEASURE_HINT: Final = "expected an amount with a unit, such as '100mg', '100 mg' or '3.5 g'"


def _measure_from_text(text: str, field: str, raw: Any, hint: str) -> Measure:
    match = _ONE_MEASURE.fullmatch(text)
    if match is None:
        raise FieldProblem(field, raw, hint)
    sign, number_text, unit_text = match.groups()
    try:
        number = as_number(sign + number_text, field)
    except FieldProblem as problem:
        raise FieldProblem(field, raw, problem.reason) from None
    assert number is not None  # the pattern guarantees a digit
    return Measure(number, unit_text.strip() or None)


def parse_measure(raw: Any, field: str, *, hint: str = MEASURE_HINT) -> Measure | None:
    """One amount written as text with its unit, or ``None`` when not set (``null``, blank text).

    The text is a number, optionally followed (with or without spaces) by a unit: ``"100mg"``, ``"100 mg"``,
    ``"3.5g"``, ``"1,000 mg"``, ``"0.125 oz"``, ``"22.5%"``, or ``"100"`` (no unit: ``unit`` is ``None``). The
    number follows the rules of :func:`as_number` (``"1,000"`` is a thousand, ``"1e2"`` a hundred, ``"1,5"`` is
    refused as ambiguous, negatives, NaN and infinity are refused); the unit is the rest of the text, stripped, and
    must hold no digit and no hyphen or dash (``"10mg x 10"`` and ``"1-"`` are not one amount). A JSON number is an
    amount without a unit. Anything else is a problem, with ``hint`` as the reason where the text is not an amount
    at all; the problem's value is always the whole raw value.
    """
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise FieldProblem(field, raw, hint)
    if not isinstance(raw, str):
        number = as_number(raw, field)
        return None if number is None else Measure(number, None)
    text = raw.strip()
    if not text:
        return None
    return _measure_from_text(text, field, raw, hint)


def parse_measure_range(raw: str, field: str, *, hint: str = MEASURE_HINT) -> tuple[Measure | None, Measure] | None:
    """One amount, or a range of two joined by a hyphen or an en dash, written as text: ``"3.5g"``, ``"1-3.5 g"``,
    ``"1 g - 3.5 g"``, ``"500mg\u20131g"``. Returns ``(None, amount)`` for one amount, ``(low, high)`` for a range
    (as written: the caller decides what a reversed range means), ``None`` for blank text. Each amount is read as
    :func:`parse_measure` reads one, except that the low end of a range carries no sign (``"-1-3 g"`` is refused)."""
    text = raw.strip()
    if not text:
        return None
    pair = _TWO_MEASURES.fullmatch(text)
    if pair is None:
        return None, _measure_from_text(text, field, raw, hint)
    return _measure_from_text(pair[1], field, raw, hint), _measure_from_text(pair[2], field, raw, hint)


def measure_grams(measure: Measure, field: str, raw: Any, *, default_unit: str | None = None) -> float | str:
    """Grams of ``measure`` (read from ``raw`` of ``field``), or the reason it gives none.

    The unit is the measure's own, else ``default_unit`` (a vendor's documented reading of a bare number, such as
    ``"g"``), read through :func:`as_unit` and so through :func:`fe_compliance.units.normalize_unit`: only a mass
    converts. Reasons: ``"<field> is '100', a number without a unit, so its unit is unknown (not guessed)"`` and
    ``"<field> is '22.5%': '%' is a percentage, not a weight"`` (a count, a volume, an unknown spelling alike). A
    result at or above :data:`TOO_LARGE` is a problem.
    """
    spelling = measure.unit if measure.unit is not None else default_unit
    if spelling is None:
        return f"{field} is {raw!r}, a number without a unit, so its unit is unknown (not guessed)"
    unit = as_unit(spelling, field)
    if unit is None or unit.grams_per_unit is None:
        return f"{field} is {raw!r}: {spelling!r} is {not_a_mass(UNKNOWN_UNIT if unit is None else unit)}"
    return checked_weight(measure.value * unit.grams_per_unit, field, raw)
