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

from .errors import InvalidQuantityError, InvalidUnitError

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

MAX_AMOUNT_TEXT_CHARS: Final = 64
"""The longest amount (``"3.5 g"``) or unit spelling (``"Grams"``) read as text, surrounding spaces included.

Longer text is refused before it is looked at, so no input can make reading slow; the longest real amount
(``"453.59237 milligrams"``) is a third of it."""

# An amount written as text: one plain ASCII number (optionally a simple fraction such as "1/8"), then a unit
# spelling looked up in the closed table VENDOR_UNIT_SPELLINGS. The text never reaches pint's expression parser,
# which evaluates arithmetic ("9**9**9 g" never returns, "10 g / 0" divides by zero), reads "1,5 g" as 15 g and
# knows units no POS means ("10 ct" would be ten carats, "2 u" two atomic mass units, "1 gr" a grain).
_AMOUNT_TEXT: Final = re.compile(
    r"(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?)"
    r"(?:[ \t]*/[ \t]*(?P<denominator>[0-9]+(?:\.[0-9]+)?))?"
    r"[ \t]*(?P<unit>.*)",
    re.ASCII | re.DOTALL,
)
_INTEGER_TEXT: Final = re.compile(r"[+-]?[0-9]+", re.ASCII)

# Exact factors for the mass units that POS data actually uses; pint's own chain of definitions leaves float
# noise (1 oz -> 28.349523125000005 g) that an auditor comparing numbers would trip over. These are also the only
# masses the library accepts: a Quantity in carats or grains is refused like the text "10 ct".
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


def _unit_name(unit: object, *, field: str) -> str:
    """The name of a pint unit (or a unit written as text), refusing objects that cannot even be printed."""
    if isinstance(unit, str):
        return unit
    if not isinstance(unit, pint.Unit):
        raise InvalidUnitError(field, unit, "expected a unit name or a pint Unit")
    try:
        return str(unit)
    except Exception as exc:  # a unit of another registry with a broken definition
        raise InvalidUnitError(field, unit, "not a unit this library knows") from exc


def grams_factor(unit: object) -> float:
    """How many grams one ``unit`` is (a pint Unit, a pint unit name such as ``"ounce"`` or a spelling of
    :data:`VENDOR_UNIT_SPELLINGS`). Raises :class:`InvalidQuantityError` for a unit that is not a mass and
    :class:`InvalidUnitError` for a unit outside the closed table (carats, grains, atomic mass units ...).

    Cached per unit, so converting many values of one unit costs one lookup in all.
    """
    return _grams_factor(_unit_name(unit, field="unit"))


@lru_cache(maxsize=256)
def _grams_factor(name: str) -> float:
    exact = _EXACT_GRAMS.get(name)
    if exact is not None:
        return exact
    if len(name) > MAX_AMOUNT_TEXT_CHARS:
        raise InvalidUnitError("unit", name, f"longer than {MAX_AMOUNT_TEXT_CHARS} characters")
    entry = VENDOR_UNIT_SPELLINGS.get(_fold(name))
    if entry is None:
        raise InvalidUnitError("unit", name, "not a unit this library knows")
    kind, unit = entry
    if kind is not UnitKind.MASS or unit is None:
        raise InvalidQuantityError("unit", name, f"{_describe_unit(name)} is not a unit of mass")
    return _EXACT_GRAMS[unit]


@lru_cache(maxsize=256)
def _table_unit_name(units: Any) -> str | None:
    """The pint name of a Quantity's units (its ``UnitsContainer``, the same for every registry) when it is one of
    the closed table's units, else ``None``. Cached per units, so checking a Quantity costs a dictionary look-up."""
    name = str(units)
    return name if name in _TABLE_UNITS else None


def _finite_magnitude(magnitude: object, *, field: str, original: object) -> float | int:
    """A Quantity's magnitude as a plain int or float, refusing NaN, infinities and anything that is no number.

    Whole numbers stay ints (so "10 g" still prints as 10 g); Decimals, Fractions and NumPy scalars become floats,
    so nothing downstream meets a number type that raises its own exceptions."""
    if isinstance(magnitude, bool):
        raise InvalidQuantityError(field, original, "its magnitude is not a number")
    try:
        as_float = float(magnitude)  # type: ignore[arg-type]
    except OverflowError as exc:  # an int too large for a float
        raise InvalidQuantityError(field, original, "must be a finite amount") from exc
    except Exception as exc:  # TypeError, ValueError, decimal.InvalidOperation ...
        raise InvalidQuantityError(field, original, "its magnitude is not a number") from exc
    if not math.isfinite(as_float):
        raise InvalidQuantityError(field, original, "must be a finite amount")
    if as_float == 0:
        return 0.0 if isinstance(magnitude, float) else 0  # never a "-0 g"
    if type(magnitude) is int or type(magnitude) is float:
        return magnitude  # the same object: a Quantity of this registry is then used as it is
    return as_float


def parse_quantity(value: object, *, field: str) -> Any:
    """Read ``value`` (a Quantity of any registry, or a string such as ``"16 oz"``) as a Quantity of :data:`ureg`.

    Text is read by the small grammar of ``docs/units.md`` (at most :data:`MAX_AMOUNT_TEXT_CHARS` characters, an
    ASCII number, a unit from :data:`VENDOR_UNIT_SPELLINGS`); a Quantity must be finite and in one of the table's
    units. A bare number is refused: an amount without a unit is exactly the ambiguity this library exists to
    remove.
    """
    if isinstance(value, bool):
        raise InvalidQuantityError(field, value, "expected an amount with a unit, such as '10 g'")
    return _read_quantity(value, field=field)[0]


def _read_quantity(value: object, *, field: str) -> tuple[Any, str]:
    """:func:`parse_quantity`, also returning the pint name of the unit (one of the table's)."""
    if isinstance(value, bool):
        raise InvalidQuantityError(field, value, "expected an amount with a unit, such as '10 g'")
    if is_quantity(value):
        return _rebuilt_quantity(value, field=field)
    if isinstance(value, str):
        magnitude, unit = _read_amount_text(value, field=field)
        return ureg.Quantity(magnitude, unit), unit
    if isinstance(value, (int, float)):
        raise InvalidQuantityError(field, value, "a bare number has no unit; write it as e.g. '10 g'")
    raise InvalidQuantityError(field, value, f"expected a Quantity or a string, not {type(value).__name__}")


def _rebuilt_quantity(quantity: Any, *, field: str) -> tuple[Any, str]:
    """A caller's Quantity as a Quantity of :data:`ureg` with a plain finite magnitude and a table unit."""
    try:
        magnitude = quantity.magnitude
        name = _table_unit_name(quantity._units)
    except Exception as exc:  # a Quantity subclass or registry that cannot even report its unit
        raise InvalidUnitError(field, quantity, "its unit cannot be read") from exc
    if name is None:
        raise InvalidUnitError(
            field, quantity, "its unit is not one the library accepts (see fe_compliance.units.VENDOR_UNIT_SPELLINGS)"
        )
    number = _finite_magnitude(magnitude, field=field, original=quantity)
    if number is magnitude and quantity._REGISTRY is ureg:
        return quantity, name
    return ureg.Quantity(number, name), name


def _read_amount_text(value: str, *, field: str) -> tuple[float | int, str]:
    """The magnitude and the pint unit name of an amount written as text (see :data:`_AMOUNT_TEXT`)."""
    if len(value) > MAX_AMOUNT_TEXT_CHARS:
        raise InvalidQuantityError(field, value, f"an amount is at most {MAX_AMOUNT_TEXT_CHARS} characters long")
    text = value.strip()
    if not text:
        raise InvalidQuantityError(field, value, "empty amount")
    match = _AMOUNT_TEXT.fullmatch(text)
    if match is None:
        raise InvalidQuantityError(field, value, "expected an amount with a number and a unit, such as '10 g'")
    spelling = match["unit"]
    if not spelling:
        raise InvalidQuantityError(field, value, "a bare number has no unit; write it as e.g. '10 g'")
    entry = VENDOR_UNIT_SPELLINGS.get(_fold(spelling))
    if entry is None:
        raise InvalidQuantityError(field, value, f"{spelling!r} is not a unit this library knows")
    unit = entry[1]
    if unit is None:
        raise InvalidQuantityError(field, value, f"{spelling!r} is a count, not an amount")
    magnitude = _text_magnitude(match["number"], match["denominator"], field=field, original=value)
    return magnitude, unit


def _text_magnitude(number: str, denominator: str | None, *, field: str, original: object) -> float | int:
    """The number of an amount written as text. A whole number stays an int, so "10 g" still prints as 10 g."""
    magnitude: float | int = int(number) if _INTEGER_TEXT.fullmatch(number) else float(number)
    if not math.isfinite(magnitude):
        raise InvalidQuantityError(field, original, "must be a finite amount")
    if magnitude == 0:
        magnitude = abs(magnitude)  # "-0.0 g" is 0 g, never "-0 g"
    if denominator is None:
        return magnitude
    divisor = float(denominator)
    if divisor == 0:
        raise InvalidQuantityError(field, original, "a fraction must not divide by zero")
    result = magnitude / divisor
    if not math.isfinite(result):
        raise InvalidQuantityError(field, original, "must be a finite amount")
    return result


def mass_to_grams(value: object, *, field: str, allow_zero: bool = True) -> float:
    """Check that ``value`` is a finite, non-negative mass and return it as a float of grams.

    Percentages, counts, volumes (fluid ounces) and unitless numbers are refused with an error naming ``field``:
    a THC percentage must be turned into a mass through the package's net weight before it gets here.
    """
    return checked_mass(value, field=field, allow_zero=allow_zero)[1]


def checked_mass(value: object, *, field: str, allow_zero: bool = True) -> tuple[Any, float]:
    """:func:`mass_to_grams`, also returning the Quantity (of :data:`ureg`) as read: for a value kept as written
    and used as grams, without parsing it twice."""
    quantity, name = _read_quantity(value, field=field)  # finite, in a table unit
    factor = _EXACT_GRAMS.get(name)
    if factor is None:
        what = "a percentage" if name == "percent" else name
        raise InvalidQuantityError(field, value, f"{what} is not a mass")
    grams = float(quantity.magnitude) * factor + 0.0  # + 0.0: a "-0.0 g" is 0 g
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
    **dict.fromkeys(("mcg", "ug", "\u00b5g", "\u03bcg", "microgram", "micrograms"), _mass("microgram")),
    **dict.fromkeys(("kg", "kgs", "kilogram", "kilograms"), _mass("kilogram")),
    **dict.fromkeys(("oz", "ozs", "ounce", "ounces"), _mass("ounce")),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), _mass("pound")),
    # percentages: never a weight
    **dict.fromkeys(("%", "percent", "percentage", "pct"), (UnitKind.PERCENT, "percent")),
    # counts
    **dict.fromkeys(
        (
            "each", "ea", "ct", "cts", "unit", "units", "item", "items", "count", "piece", "pieces", "pc", "pcs",
            "singleunit",
        ),
        (UnitKind.COUNT, None),
    ),
    # volumes
    **dict.fromkeys(("ml", "milliliter", "milliliters", "millilitre", "millilitres"), (UnitKind.VOLUME, "milliliter")),
    **dict.fromkeys(("l", "liter", "liters", "litre", "litres"), (UnitKind.VOLUME, "liter")),
    **dict.fromkeys(
        ("cc", "cubic_centimeter", "cubic centimeter", "cubic centimeters"), (UnitKind.VOLUME, "cubic_centimeter")
    ),
    **dict.fromkeys(("cup", "cups"), (UnitKind.VOLUME, "cup")),  # a beverage label's volume (US cup)
    **dict.fromkeys(
        ("floz", "fl oz", "fl. oz", "fl. oz.", "fluid_ounce", "fluid ounce", "fluid ounces", "fluid_oz"),
        (UnitKind.VOLUME, "fluid_ounce"),
    ),
}
"""Every unit spelling the library accepts, folded to lower case, mapped to its kind and the pint unit it means.

It is closed: an amount written as text is read only through it, and a Quantity must be in one of its pint units.
"ct" is a count (a POS's abbreviation), never pint's carat; "gr" is a gram, never pint's grain. Add a spelling
here, never in a vendor module."""

_TABLE_UNITS: Final[frozenset[str]] = frozenset(unit for _, unit in VENDOR_UNIT_SPELLINGS.values() if unit)
"""The pint unit names a Quantity handed to the library may be in (the masses, percent and the volumes above)."""


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
    if len(spelling) > MAX_AMOUNT_TEXT_CHARS:
        raise InvalidUnitError(field, spelling, f"a unit spelling is at most {MAX_AMOUNT_TEXT_CHARS} characters long")
    result = _normalize(spelling)
    if result is None:
        raise InvalidUnitError(field, spelling, "not a unit spelling this library knows")
    return result


def quantity_from(magnitude: object, unit: object, *, field: str) -> Any:
    """Build a Quantity from a number and a vendor unit spelling, refusing non-numbers and unknown units."""
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        raise InvalidQuantityError(field, magnitude, "expected a number")
    number = float(_finite_magnitude(magnitude, field=field, original=magnitude))
    normalized = normalize_unit(unit, field=f"{field} unit")
    if normalized.pint_unit is None:
        raise InvalidQuantityError(field, unit, f"{unit!r} is a count, not an amount")
    return ureg.Quantity(number, normalized.pint_unit)
