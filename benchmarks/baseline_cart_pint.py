"""The baseline for ``cart_check``: a Massachusetts medical cart check written the straightforward way with pint.

What a careful developer without fe-compliance would write: every amount is a pint Quantity (so units can never be
mixed up), each line's MassCIP amount is its grams/concentration Quantity times the category multiplier times the
quantity, and the window sums are Quantity additions compared with Quantity caps. Windows are computed the same way
as the library's (store-local calendar days: a purchase on day 1 restored on day N+1), so both give the same
figures; the benchmark checks that they do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from fe_compliance.units import Q_

__all__ = ["PintHistoryLine", "PintLine", "check_cart_pint"]

CAP_60: Any = Q_(10, "oz")
CAP_14: Any = Q_(2.5, "oz")
TOLERANCE: Any = Q_(1e-6, "g")


class PintLine:
    """A cart line as the baseline stores it: grams/concentration as a Quantity."""

    __slots__ = ("grams_concentration", "line_id", "metrc_category", "quantity")

    def __init__(self, line_id: str, metrc_category: str, grams_concentration: Any, quantity: float) -> None:
        self.line_id = line_id
        self.metrc_category = metrc_category
        self.grams_concentration = grams_concentration
        self.quantity = quantity


class PintHistoryLine(PintLine):
    __slots__ = ("sold_at",)

    def __init__(
        self, line_id: str, metrc_category: str, grams_concentration: Any, quantity: float, sold_at: dt.datetime
    ) -> None:
        super().__init__(line_id, metrc_category, grams_concentration, quantity)
        self.sold_at = sold_at


def _window_start(at: dt.datetime, zone: dt.tzinfo, days: int) -> dt.datetime:
    day = at.astimezone(zone).date() - dt.timedelta(days=days - 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone)


def check_cart_pint(
    cart: Sequence[PintLine],
    history: Sequence[PintHistoryLine],
    at: dt.datetime,
    zone: dt.tzinfo,
    multipliers: Mapping[str, float],
) -> dict[str, Any]:
    """Allowed or not, and the used and requested amounts of both MA medical windows, in grams."""
    start_60 = _window_start(at, zone, 60)
    start_14 = _window_start(at, zone, 14)
    used_60 = Q_(0.0, "g")
    used_14 = Q_(0.0, "g")
    for line in history:
        if line.sold_at >= start_60:
            amount = line.grams_concentration * multipliers[line.metrc_category] * line.quantity
            used_60 = used_60 + amount
            if line.sold_at >= start_14:
                used_14 = used_14 + amount
    requested = Q_(0.0, "g")
    for line in cart:
        requested = requested + line.grams_concentration * multipliers[line.metrc_category] * line.quantity
    total_60 = used_60 + requested
    allowed = not (requested > Q_(0, "g") and total_60 > CAP_60 + TOLERANCE)
    return {
        "allowed": allowed,
        "used_60": used_60.to("g").magnitude,
        "requested": requested.to("g").magnitude,
        "remaining_60": (CAP_60 - total_60).to("g").magnitude,
        "used_14": used_14.to("g").magnitude,
    }
