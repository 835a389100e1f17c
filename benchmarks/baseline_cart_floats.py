"""The baseline for ``cart_check_floats``: the Massachusetts medical cart check hand-written over plain floats.

What the check costs with nothing but the arithmetic it needs: one pass over the history, and per line a
dictionary look-up of the MassCIP multiplier of its Metrc category, a multiply, a comparison with each window's
start; the window sums and the cart's request are added with :func:`math.fsum` (as the engine does, so the two give
the same figures to the last bit). Window starts follow the library's convention (store-local calendar days: a
purchase on day 1 is restored on day N+1). No validation, no explanation, no rule lookup: a lower bound on what a
correct check can cost, written once and never tuned to the library.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["check_cart_floats"]

GRAMS_PER_OUNCE = 28.349523125
CAP_60 = 10 * GRAMS_PER_OUNCE
CAP_14 = 2.5 * GRAMS_PER_OUNCE
TOLERANCE = 1e-6


def _window_start_ts(at: dt.datetime, zone: dt.tzinfo, days: int) -> float:
    day = at.astimezone(zone).date() - dt.timedelta(days=days - 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()


def check_cart_floats(
    cart: Sequence[tuple[str, float, float]],
    history: Sequence[tuple[str, float, float, float]],
    at: dt.datetime,
    zone: dt.tzinfo,
    multipliers: Mapping[str, float],
) -> dict[str, Any]:
    """Allowed or not, and the used and requested grams of both MA medical windows.

    ``cart`` holds (Metrc category, grams/concentration, quantity); ``history`` the same plus the sale's POSIX
    timestamp.
    """
    start_60 = _window_start_ts(at, zone, 60)
    start_14 = _window_start_ts(at, zone, 14)
    in_60: list[float] = []
    in_14: list[float] = []
    for metrc, grams, quantity, ts in history:
        if ts >= start_60:
            amount = grams * multipliers[metrc] * quantity
            in_60.append(amount)
            if ts >= start_14:
                in_14.append(amount)
    wanted = [grams * multipliers[metrc] * quantity for metrc, grams, quantity in cart]
    used_60 = math.fsum(in_60)
    requested = math.fsum(wanted)
    total_60 = math.fsum(in_60 + wanted)
    allowed = not (requested > 0.0 and total_60 > CAP_60 + TOLERANCE)
    return {
        "allowed": allowed,
        "used_60": used_60,
        "requested": requested,
        "remaining_60": CAP_60 - total_60,
        "used_14": math.fsum(in_14),
    }
