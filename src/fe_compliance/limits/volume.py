"""Volumes at the boundary: fluid ounces and millilitres in, float millilitres inside.

:mod:`fe_compliance.units` reads masses only, on purpose (an FE definition compares masses). Volume rules such as
Michigan's "36 fluid ounces of liquid infused product" need volumes; this module is their one edge, with the same
habits: a Quantity or a string in, checked finite and non-negative, one float out, factors cached per unit.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Final

import pint

from ..errors import InvalidQuantityError, InvalidUnitError
from ..units import parse_quantity, ureg

__all__ = ["ML_PER_US_FLUID_OUNCE", "ml_factor", "ml_quantity", "volume_to_ml"]

ML_PER_US_FLUID_OUNCE: Final = 29.5735295625
"""The US customary fluid ounce in millilitres, exactly (1/128 US gallon of 231 cubic inches)."""

_EXACT_ML: Final[dict[str, float]] = {
    "milliliter": 1.0,
    "liter": 1000.0,
    "fluid_ounce": ML_PER_US_FLUID_OUNCE,
    "cubic_centimeter": 1.0,
}
_VOLUME: Final = ureg.milliliter.dimensionality
_ML: Final = ureg.milliliter


@lru_cache(maxsize=64)
def ml_factor(unit: Any) -> float:
    """How many millilitres one ``unit`` is; a unit that is not a volume raises :class:`InvalidQuantityError`."""
    name = str(unit)
    if name in _EXACT_ML:
        return _EXACT_ML[name]
    try:
        dimensionality = ureg.Unit(name).dimensionality
    except (pint.PintError, ValueError, AttributeError, TypeError) as exc:
        raise InvalidUnitError("unit", name, "not a unit this library knows") from exc
    if dimensionality != _VOLUME:
        raise InvalidQuantityError("unit", name, f"{name or 'no unit'} is not a unit of volume")
    return float(ureg.Quantity(1.0, name).to(_ML).magnitude)


def volume_to_ml(value: object, *, field: str, allow_zero: bool = True) -> float:
    """Check that ``value`` is a finite, non-negative volume (``"36 floz"``, ``"36 fl oz"``, ``Q_(355, "ml")``) and
    return ml."""
    ml = _pint_ml(value, field=field)  # text such as "36 fl oz" is read through the vendor spellings there
    if not math.isfinite(ml):
        raise InvalidQuantityError(field, value, "must be a finite amount")
    if ml < 0:
        raise InvalidQuantityError(field, value, "must not be negative")
    if not allow_zero and ml == 0:
        raise InvalidQuantityError(field, value, "must be greater than zero")
    return ml


def _pint_ml(value: object, *, field: str) -> float:
    quantity = parse_quantity(value, field=field)
    try:
        magnitude = float(quantity.magnitude)
    except (TypeError, ValueError) as exc:
        raise InvalidQuantityError(field, value, "its magnitude is not a number") from exc
    try:
        factor = ml_factor(quantity.units)
    except (InvalidQuantityError, InvalidUnitError) as exc:
        raise InvalidQuantityError(field, value, "expected a volume, such as '12 floz' or '355 ml'") from exc
    return magnitude * factor


def ml_quantity(ml: float) -> Any:
    """A Quantity of ``ml`` millilitres in the library's registry."""
    return ureg.Quantity(ml, _ML)
