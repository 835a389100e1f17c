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
    "Record",
    "as_flag",
    "as_number",
    "as_text",
    "as_unit",
    "as_weight",
    "checked_weight",
    "lookup",
    "split_path",
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
