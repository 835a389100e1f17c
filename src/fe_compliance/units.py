"""Units: the library's one pint registry, and the edge where caller values become floats.

pint is used only at the boundary. A caller hands in a Quantity (from this registry or their own) or a string such
as ``"16 oz"``; the boundary checks that it is a finite, non-negative mass and turns it into a float of grams.
Everything inside the library then works on floats, because a pint operation costs microseconds where a float
multiply costs nanoseconds (see ``../shared/design.md``). Conversion factors to grams are cached per unit.

Vendors write units in many ways (``"Grams"``, ``"GRAMS"``, ``"mg"``, ``"Ounces"``, ``"each"``, ``"%"``). They are
all read through one table, :data:`VENDOR_UNIT_SPELLINGS`, by :func:`normalize_unit`, so that a percentage or a
count is never mistaken for a weight.
"""

from __future__ import annotations

import enum
import math
import re
from functools import lru_cache
from typing import Any, Final

import attrs
import pint

from .errors import InvalidQuantityError, InvalidUnitError, InvalidValueError

__all__ = [
    "GRAMS_PER_OUNCE",
    "Q_",
    "VENDOR_UNIT_SPELLINGS",
    "NormalizedUnit",
    "UnitKind",
    "checked_mass",
    "grams_factor",
    "grams_quantity",
    "is_quantity",
    "mass_to_grams",
    "normalize_unit",
    "parse_quantity",
    "quantity_from",
    "ureg",
]

ureg: Final[Any] = pint.UnitRegistry()
"""The library's one unit registry. Use it (or :data:`Q_`) to build quantities for the library."""

Q_: Final[Any] = ureg.Quantity
"""Quantity class of :data:`ureg`: ``Q_(16, "oz")`` or ``Q_("16 oz")``."""

GRAMS_PER_OUNCE: Final = 28.349523125
"""The avoirdupois ounce in grams, exactly (international yard and pound agreement, 1959)."""

GRAM: Final = ureg.gram
# An amount written as text: one plain number (or a simple fraction such as "1/8"), then a unit made of unit names
# joined by "*" or "/", each with at most a small integer power. Nothing else: pint would evaluate any arithmetic
# in the text ("9**9**9 g" never returns, "10 g / 0" divides by zero) and reads "1,5 g" as 15 g.
_NUMBER: Final = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf(?:inity)?)"
_UNIT_FACTOR: Final = r"(?:[^\W\d]\w*|%)(?:\s*(?:\*\*|\^)\s*[+-]?\d{1,2})?"
_AMOUNT_TEXT: Final = re.compile(
    rf"(?P<number>{_NUMBER})(?:\s*/\s*(?P<denominator>\d+(?:\.\d+)?))?"
    rf"\s*(?P<unit>{_UNIT_FACTOR}(?:\s*[*/]\s*{_UNIT_FACTOR})*)",
    re.IGNORECASE,
)
_INTEGER_TEXT: Final = re.compile(r"[+-]?\d+")
# A number and a spelling of VENDOR_UNIT_SPELLINGS, which is read first: pint's own names are case-sensitive and
# some mean something else than POS data does ("5 Mg" would be 5 megagrams, "1 gr" a grain, "5 pct" picocarats,
# "500 ML" megalitres), and pint has no name for "36 fl oz" at all.
_SPELLED_AMOUNT_TEXT: Final = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<spelling>[^\d\s].*)", re.IGNORECASE)
_MASS: Final = ureg.gram.dimensionality
_PERCENT: Final = ureg.percent

# Exact factors for the mass units that POS data actually uses; pint's own chain of definitions leaves float
# noise (1 oz -> 28.349523125000005 g) that an auditor comparing numbers would trip over.
_EXACT_GRAMS: Final[dict[str, float]] = {
    "gram": 1.0,
    "milligram": 0.001,
    "microgram": 0.000001,
    "kilogram": 1000.0,
    "ounce": GRAMS_PER_OUNCE,
    "pound": 16 * GRAMS_PER_OUNCE,
}


def is_quantity(value: object) -> bool:
    """True for a pint Quantity from any registry (the caller's own included)."""
    return isinstance(value, pint.Quantity)


def _describe_unit(unit: Any) -> str:
    return str(unit) or "no unit"


@lru_cache(maxsize=256)
def grams_factor(unit: Any) -> float:
    """How many grams one ``unit`` is. Raises :class:`InvalidQuantityError` for a unit that is not a mass.

    Cached per unit, so converting many values of one unit costs one pint call in all.
    """
    name = str(unit)
    if name in _EXACT_GRAMS:
        return _EXACT_GRAMS[name]
    try:
        dimensionality = ureg.Unit(name).dimensionality
    except (pint.PintError, ValueError, AttributeError, TypeError) as exc:
        raise InvalidUnitError("unit", name, "not a unit this library knows") from exc
    if dimensionality != _MASS:
        raise InvalidQuantityError("unit", name, f"{_describe_unit(name)} is not a unit of mass")
    return float(ureg.Quantity(1.0, name).to(GRAM).magnitude)


def parse_quantity(value: object, *, field: str) -> Any:
    """Read ``value`` (a Quantity of any registry, or a string such as ``"16 oz"``) as a Quantity of :data:`ureg`.

    A bare number is refused: an amount without a unit is exactly the ambiguity this library exists to remove.
    """
    if isinstance(value, bool):
        raise InvalidQuantityError(field, value, "expected an amount with a unit, such as '10 g'")
    if is_quantity(value):
        quantity: Any = value
        if getattr(quantity, "_REGISTRY", ureg) is not ureg:
            # Another registry's Quantity: rebuild it here from magnitude and unit name.
            try:
                return ureg.Quantity(quantity.magnitude, str(quantity.units))
            except (pint.PintError, ValueError, AttributeError, TypeError) as exc:
                raise InvalidUnitError(field, value, "its unit is unknown to fe_compliance.ureg") from exc
        return quantity
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InvalidQuantityError(field, value, "empty amount")
        magnitude, unit_text = _read_amount_text(text, field=field, original=value)
        try:
            parsed = ureg.Quantity(magnitude, unit_text)
        except (pint.PintError, ValueError, AttributeError, TypeError, SyntaxError, KeyError) as exc:
            raise InvalidQuantityError(field, value, "not an amount with a unit, such as '10 g'") from exc
        if not is_quantity(parsed) or (parsed.dimensionless and str(parsed.units) == "dimensionless"):
            raise InvalidQuantityError(field, value, "expected an amount with a unit, such as '10 g'")
        return parsed
    if isinstance(value, (int, float)):
        raise InvalidQuantityError(field, value, "a bare number has no unit; write it as e.g. '10 g'")
    raise InvalidQuantityError(field, value, f"expected a Quantity or a string, not {type(value).__name__}")


def _read_amount_text(text: str, *, field: str, original: object) -> tuple[float | int, str]:
    """The number and the pint unit expression of an amount written as text (see :data:`_AMOUNT_TEXT`)."""
    spelled = _SPELLED_AMOUNT_TEXT.fullmatch(text)
    entry = VENDOR_UNIT_SPELLINGS.get(_fold(spelled["spelling"])) if spelled is not None else None
    if spelled is not None and entry is not None:
        unit = entry[1]
        if unit is None:
            raise InvalidQuantityError(field, original, f"{spelled['spelling']!r} is a count, not an amount")
        return _text_magnitude(spelled["number"], None, field=field, original=original), unit
    match = _AMOUNT_TEXT.fullmatch(text)
    if match is None:
        # Also a bare unit ("grams"), which pint would read as one of it: an amount must say how much.
        raise InvalidQuantityError(field, original, "expected an amount with a number and a unit, such as '10 g'")
    return _text_magnitude(match["number"], match["denominator"], field=field, original=original), match["unit"]


def _text_magnitude(number: str, denominator: str | None, *, field: str, original: object) -> float | int:
    """The number of an amount written as text. A whole number stays an int, so "10 g" still prints as 10 g."""
    try:
        magnitude: float | int = int(number) if _INTEGER_TEXT.fullmatch(number) else float(number)
    except ValueError as exc:  # more digits than Python converts
        raise InvalidQuantityError(field, original, "the number has too many digits") from exc
    if denominator is None:
        return magnitude
    divisor = float(denominator)
    if divisor == 0:
        raise InvalidQuantityError(field, original, "a fraction must not divide by zero")
    try:
        return magnitude / divisor
    except OverflowError as exc:
        raise InvalidQuantityError(field, original, "must be a finite amount") from exc


def _checked_magnitude(quantity: Any, *, field: str, original: object) -> float:
    try:
        magnitude = float(quantity.magnitude)
    except (TypeError, ValueError) as exc:
        raise InvalidQuantityError(field, original, "its magnitude is not a number") from exc
    except OverflowError as exc:  # an int too large for a float
        raise InvalidQuantityError(field, original, "must be a finite amount") from exc
    if not math.isfinite(magnitude):
        raise InvalidQuantityError(field, original, "must be a finite amount")
    return magnitude


def mass_to_grams(value: object, *, field: str, allow_zero: bool = True) -> float:
    """Check that ``value`` is a finite, non-negative mass and return it as a float of grams.

    Percentages, counts, volumes (fluid ounces) and unitless numbers are refused with an error naming ``field``:
    a THC percentage must be turned into a mass through the package's net weight before it gets here.
    """
    return checked_mass(value, field=field, allow_zero=allow_zero)[1]


def checked_mass(value: object, *, field: str, allow_zero: bool = True) -> tuple[Any, float]:
    """:func:`mass_to_grams`, also returning the Quantity (of :data:`ureg`) as read: for a value kept as written
    and used as grams, without parsing it twice."""
    quantity = parse_quantity(value, field=field)
    magnitude = _checked_magnitude(quantity, field=field, original=value)
    units = quantity.units
    if units == _PERCENT:
        raise InvalidQuantityError(field, value, "a percentage is not a mass")
    try:
        factor = grams_factor(units)
    except InvalidValueError as exc:
        raise InvalidQuantityError(field, value, f"{_describe_unit(units)} is not a unit of mass") from exc
    grams = magnitude * factor
    if grams < 0:
        raise InvalidQuantityError(field, value, "must not be negative")
    if not allow_zero and grams == 0:
        raise InvalidQuantityError(field, value, "must be greater than zero")
    if not math.isfinite(grams):
        raise InvalidQuantityError(field, value, "must be a finite amount")
    return quantity, grams


def grams_quantity(grams: float) -> Any:
    """A Quantity of ``grams`` grams in :data:`ureg` (the one place results become pint objects)."""
    return ureg.Quantity(grams, GRAM)


class UnitKind(enum.Enum):
    """What a vendor's unit measures; only ``MASS`` can become grams."""

    MASS = "mass"
    PERCENT = "percent"
    COUNT = "count"
    VOLUME = "volume"


@attrs.frozen(slots=True)
class NormalizedUnit:
    """A vendor unit spelling, read: its kind and, for a mass, how many grams one of it is."""

    spelling: str
    kind: UnitKind
    grams_per_unit: float | None = None
    pint_unit: str | None = None

    @property
    def is_mass(self) -> bool:
        return self.kind is UnitKind.MASS


def _mass(unit: str) -> tuple[UnitKind, str]:
    return UnitKind.MASS, unit


VENDOR_UNIT_SPELLINGS: Final[dict[str, tuple[UnitKind, str | None]]] = {
    # mass
    **dict.fromkeys(("g", "gr", "gm", "gms", "gram", "grams", "full_gram", "fullgram"), _mass("gram")),
    **dict.fromkeys(("mg", "mgs", "milligram", "milligrams"), _mass("milligram")),
    **dict.fromkeys(("mcg", "ug", "microgram", "micrograms"), _mass("microgram")),
    **dict.fromkeys(("kg", "kgs", "kilogram", "kilograms"), _mass("kilogram")),
    **dict.fromkeys(("oz", "ozs", "ounce", "ounces"), _mass("ounce")),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), _mass("pound")),
    # percentages: never a weight
    **dict.fromkeys(("%", "percent", "percentage", "pct"), (UnitKind.PERCENT, "percent")),
    # counts
    **dict.fromkeys(
        ("each", "ea", "unit", "units", "item", "items", "count", "piece", "pieces", "pc", "pcs", "singleunit"),
        (UnitKind.COUNT, None),
    ),
    # volumes
    **dict.fromkeys(("ml", "milliliter", "milliliters", "millilitre", "millilitres"), (UnitKind.VOLUME, "milliliter")),
    **dict.fromkeys(("l", "liter", "liters", "litre", "litres"), (UnitKind.VOLUME, "liter")),
    **dict.fromkeys(
        ("floz", "fl oz", "fl. oz", "fl. oz.", "fluid_ounce", "fluid ounce", "fluid ounces", "fluid_oz"),
        (UnitKind.VOLUME, "fluid_ounce"),
    ),
}
"""Every unit spelling the library accepts from vendor data, folded to lower case, mapped to its kind and the pint
unit it means. Add a spelling here, never in a vendor module."""


def _fold(spelling: str) -> str:
    return " ".join(spelling.strip().lower().split())


@lru_cache(maxsize=512)
def _normalize(spelling: str) -> NormalizedUnit | None:
    entry = VENDOR_UNIT_SPELLINGS.get(_fold(spelling))
    if entry is None:
        return None
    kind, unit = entry
    grams = grams_factor(unit) if kind is UnitKind.MASS else None
    return NormalizedUnit(spelling=spelling, kind=kind, grams_per_unit=grams, pint_unit=unit)


def normalize_unit(spelling: object, *, field: str) -> NormalizedUnit:
    """Read a vendor's unit spelling (``"Grams"``, ``"mg"``, ``"Ounces"``, ``"%"``, ``"each"`` ...).

    Raises :class:`InvalidUnitError` naming ``field`` for anything not in :data:`VENDOR_UNIT_SPELLINGS`.
    """
    if not isinstance(spelling, str):
        raise InvalidUnitError(field, spelling, "a unit must be written as text, such as 'g'")
    result = _normalize(spelling)
    if result is None:
        raise InvalidUnitError(field, spelling, "not a unit spelling this library knows")
    return result


def quantity_from(magnitude: object, unit: object, *, field: str) -> Any:
    """Build a Quantity from a number and a vendor unit spelling, refusing non-numbers and unknown units."""
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        raise InvalidQuantityError(field, magnitude, "expected a number")
    normalized = normalize_unit(unit, field=f"{field} unit")
    if normalized.pint_unit is None:
        raise InvalidQuantityError(field, unit, f"{unit!r} is a count, not an amount")
    return ureg.Quantity(float(magnitude), normalized.pint_unit)
