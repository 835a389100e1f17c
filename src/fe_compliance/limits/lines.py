"""Cart lines and purchase-history lines: the plain data the limit engine counts.

A line carries what the rules may need, as plain values a POS has: the purchase-limit category, the number of
units, and per unit the package-level flower equivalent, grams/concentration, net weight, THC, volume, and the
Metrc item category (Massachusetts medical). The engine depends on no catalog or inventory object.

Amounts may be given as floats (grams; millilitres for ``volume_ml``) or as Quantities or strings (``"3.5 g"``,
``"12 floz"``), converted once here. Every value is checked at construction and errors name the line, so a bad
line never reaches a decision. A field left ``None`` is unknown, never zero: when a rule needs it, the engine
raises :class:`~fe_compliance.limits.errors.LineDataError` instead of deciding.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from ..categories import fold_name
from ..errors import InvalidQuantityError, InvalidValueError
from ..units import mass_to_grams
from .errors import InvalidLineError, NaiveDatetimeError, line_field
from .volume import volume_to_ml

__all__ = ["AMOUNT_FIELDS", "LINE_FIELD_FOR_BASED_ON", "LINE_FIELD_FOR_MEASURE", "CartLine", "LineKind", "PastLine"]

_MASS_FIELDS = ("fe_grams", "grams_concentration", "net_weight_grams", "thc_grams")
_AMOUNT_FIELDS = (*_MASS_FIELDS, "volume_ml")
AMOUNT_FIELDS: Final[tuple[str, ...]] = _AMOUNT_FIELDS
"""Every per-unit amount a :class:`CartLine` may carry, in the order errors list them."""

LINE_FIELD_FOR_BASED_ON: Final[Mapping[str, str]] = MappingProxyType(
    {
        "grams_concentration": "grams_concentration",
        "net_weight": "net_weight_grams",
        "potency": "thc_grams",
    }
)
"""Which :class:`CartLine` field an FE definition reads, by its ``based_on``: a definition based on potency reads
``thc_grams`` (grams of THC per unit), on net weight ``net_weight_grams``, on grams/concentration
``grams_concentration``. A line's own ``fe_grams`` (the package-level FE) always wins over any definition."""

LINE_FIELD_FOR_MEASURE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "counted": "fe_grams",
        "grams_concentration": "grams_concentration",
        "thc": "thc_grams",
        "volume": "volume_ml",
    }
)
"""Which :class:`CartLine` field a limit's measure reads (by :class:`~fe_compliance.limits.Measure` value). The
``counted`` measure reads ``fe_grams``, or what the pack's equivalencies compute when a line has none, or, for a
MassCIP-counted customer, ``grams_concentration`` and ``metrc_category``."""


def _number(line_id: str, field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidLineError(line_id, field, value, "expected a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidLineError(line_id, field, value, "must be a finite number")
    if number < 0:
        raise InvalidLineError(line_id, field, value, "must not be negative")
    return number


def _amount(line_id: str, field: str, value: object, *, volume: bool) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(line_id, field, value)
    try:
        if volume:
            return volume_to_ml(value, field=line_field(line_id, field))
        return mass_to_grams(value, field=line_field(line_id, field))
    except InvalidQuantityError as exc:
        raise InvalidLineError(line_id, field, value, exc.reason) from exc


def _is(field: str, kind: type) -> Any:
    """Like ``attrs.validators.instance_of``, but a wrong value is an :class:`InvalidValueError` naming the field."""

    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidValueError(field, value, f"expected a {kind.__name__}")

    return check


@attrs.frozen(slots=True, kw_only=True)
class CartLine:
    """One line of a cart: ``quantity`` units of a product of purchase-limit ``category``.

    Per-unit amounts: ``fe_grams`` (package-level FE), ``grams_concentration``, ``net_weight_grams``,
    ``thc_grams``, ``volume_ml``. ``exempt`` is the POS's own exemption flag; a pack honours it only where the
    state exempts products by property rather than by category.
    """

    line_id: str = attrs.field()
    category: str = attrs.field()
    quantity: float = attrs.field(default=1.0)
    fe_grams: Any = attrs.field(default=None)
    grams_concentration: Any = attrs.field(default=None)
    net_weight_grams: Any = attrs.field(default=None)
    thc_grams: Any = attrs.field(default=None)
    volume_ml: Any = attrs.field(default=None)
    metrc_category: str | None = attrs.field(default=None)
    exempt: bool = attrs.field(default=False)
    _key: str = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.line_id, str) or not self.line_id.strip():
            raise InvalidValueError("line_id", self.line_id, "every line needs a non-empty id")
        lid = self.line_id
        if not isinstance(self.category, str) or not self.category.strip():
            raise InvalidLineError(lid, "category", self.category, "expected a purchase-limit category name")
        object.__setattr__(self, "quantity", _number(lid, "quantity", self.quantity))
        for name in _MASS_FIELDS:
            value = getattr(self, name)
            if value is not None and type(value) is not float:
                object.__setattr__(self, name, _amount(lid, name, value, volume=False))
            elif value is not None:
                _number(lid, name, value)
        if self.volume_ml is not None:
            object.__setattr__(self, "volume_ml", _amount(lid, "volume_ml", self.volume_ml, volume=True))
        for name in _AMOUNT_FIELDS:
            value = getattr(self, name)
            if value is not None and not math.isfinite(value * self.quantity):
                raise InvalidLineError(lid, name, value, f"times the quantity {self.quantity:g} is not a finite amount")
        if self.metrc_category is not None and (
            not isinstance(self.metrc_category, str) or not self.metrc_category.strip()
        ):
            raise InvalidLineError(lid, "metrc_category", self.metrc_category, "expected a Metrc item category name")
        if not isinstance(self.exempt, bool):
            raise InvalidLineError(lid, "exempt", self.exempt, "expected True or False")
        object.__setattr__(self, "_key", fold_name(self.category))

    @property
    def category_key(self) -> str:
        """The folded category name the engine looks the line up by."""
        return self._key


class LineKind(enum.Enum):
    """A history line is a sale, or a return of (part of) an earlier sale."""

    SALE = "sale"
    RETURN = "return"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True, kw_only=True)
class PastLine:
    """A line of the customer's purchase history: what was sold (or returned), and when it was sold.

    A ``RETURN`` subtracts its line's amounts. Its ``sold_at`` is the time of the original sale, not of the
    return: a return restores the budget in exactly the windows the sale used. It names its sale by
    ``transaction_id`` (required for a return) and the line's ``line_id``; the engine gives back, in each limit, at
    most what that sale line counted there, so a return can never leave a window with more room than it would have
    had without the sale (a return whose sale is not in the history gives nothing back, with a warning).
    """

    line: CartLine = attrs.field(validator=_is("line", CartLine))
    sold_at: dt.datetime = attrs.field()
    transaction_id: str = attrs.field(default="", validator=_is("transaction_id", str))
    kind: LineKind = attrs.field(default=LineKind.SALE, validator=_is("kind", LineKind))
    _ts: float = attrs.field(init=False, repr=False, eq=False)
    _sign: float = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        field = line_field(self.line.line_id, "sold_at")
        value = self.sold_at
        if not isinstance(value, dt.datetime):
            raise InvalidValueError(field, value, "expected a datetime with a time zone")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(field, value, "a naive datetime cannot be placed on the store's calendar")
        if self.kind is LineKind.RETURN and not self.transaction_id.strip():
            raise InvalidValueError(
                line_field(self.line.line_id, "transaction_id"),
                self.transaction_id,
                "a return must name the transaction it returns (the engine settles it against that sale)",
            )
        object.__setattr__(self, "_ts", value.timestamp())
        object.__setattr__(self, "_sign", -1.0 if self.kind is LineKind.RETURN else 1.0)

    @property
    def timestamp(self) -> float:
        """POSIX seconds of ``sold_at`` (computed once)."""
        return self._ts

    @property
    def sign(self) -> float:
        """``-1.0`` for a return, ``1.0`` for a sale."""
        return self._sign

    @classmethod
    def sale(cls, sold_at: dt.datetime, *, transaction_id: str = "", **line: Any) -> PastLine:
        """Shorthand: ``PastLine.sale(at, line_id="a", category="Flower", fe_grams=3.5)``."""
        return cls(line=CartLine(**line), sold_at=sold_at, transaction_id=transaction_id)
