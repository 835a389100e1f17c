"""Exact running sums over a sliding window: what an audit keeps per customer and limit instead of re-adding.

:class:`~fe_compliance.limits.LimitEngine` adds a window's amounts with :func:`math.fsum`, which returns the exactly
rounded sum. A running sum that adds and subtracts floats drifts from that by a few ulps, and a decision at the cap
could then differ from the engine's. So amounts are kept here as exact integers: every finite float is an integer
multiple of 2**-1074, and integer addition is exact, so a running total converts back (``int / int`` is correctly
rounded in Python) to the very float ``math.fsum`` gives for the same amounts, whatever order they came and went in.

:class:`RunningWindow` holds the entries of one limit's window in time order, each with its exact amount (which a
return or a void may later change), and drops the entries whose time falls before the window's start.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Final

__all__ = ["RunningWindow", "WindowEntry", "exact_units", "units_value"]

_SCALE_BITS: Final = 1074
_SCALE: Final = 1 << _SCALE_BITS


def exact_units(value: float) -> int:
    """``value`` (finite) as an exact integer number of 2**-1074."""
    numerator, denominator = value.as_integer_ratio()
    return numerator << (_SCALE_BITS + 1 - denominator.bit_length())


def units_value(units: int) -> float:
    """The float nearest to ``units`` * 2**-1074 (what ``math.fsum`` of the amounts gives); infinite past the float
    range, as the engine's sum of amounts too large to add up."""
    try:
        return units / _SCALE
    except OverflowError:
        return math.inf if units > 0 else -math.inf


class WindowEntry:
    """One sale line's contribution to one window: its time and its exact amount net of returns (0 once void)."""

    __slots__ = ("live", "timestamp", "units")

    def __init__(self, timestamp: float, units: int) -> None:
        self.timestamp = timestamp
        self.units = units
        self.live = True


class RunningWindow:
    """The exact total of the entries whose time is at or after a moving start (entries come in time order)."""

    __slots__ = ("entries", "total")

    def __init__(self) -> None:
        self.entries: deque[WindowEntry] = deque()
        self.total = 0

    def add(self, timestamp: float, units: int) -> WindowEntry:
        entry = WindowEntry(timestamp, units)
        self.entries.append(entry)
        self.total += units
        return entry

    def change(self, entry: WindowEntry, units: int) -> None:
        """Set ``entry``'s amount (a return gave some back, a void all); no effect once it has left the window."""
        if entry.live and entry.units != units:
            self.total += units - entry.units
            entry.units = units

    def advance(self, start: float) -> None:
        """Drop the entries before ``start``."""
        entries = self.entries
        while entries and entries[0].timestamp < start:
            entry = entries.popleft()
            self.total -= entry.units
            entry.units = 0
            entry.live = False

    @property
    def value(self) -> float:
        return units_value(self.total)
