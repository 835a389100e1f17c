"""Time zones and aware datetimes: the store's calendar is what day windows are counted in.

A store in Detroit closes its "day" at local midnight, not at UTC midnight, so every datetime the engine reads
must carry its time zone. Zones are read by IANA name through :mod:`zoneinfo` (system database or the ``tzdata``
package) and, failing that, through ``dateutil``'s bundled database; results are cached.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz as dateutil_tz

from ..errors import InvalidValueError
from .errors import InvalidDateError, NaiveDatetimeError

__all__ = [
    "as_date",
    "local_midnight_ts",
    "local_time",
    "optional_date",
    "parse_iso_date",
    "require_aware",
    "resolve_zone",
]


@lru_cache(maxsize=64)
def _zone_by_name(name: str) -> dt.tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    found = dateutil_tz.gettz(name)
    return found


def resolve_zone(value: object, *, field: str = "store_tz") -> dt.tzinfo:
    """An IANA zone name (``"America/Detroit"``) or a ``tzinfo`` as a ``tzinfo``."""
    if isinstance(value, dt.tzinfo):
        return value
    if isinstance(value, str) and value.strip():
        zone = _zone_by_name(value.strip())
        if zone is not None:
            return zone
        raise InvalidValueError(field, value, "not a time zone name this system knows (IANA, e.g. 'America/Detroit')")
    raise InvalidValueError(field, value, "expected an IANA time zone name or a tzinfo")


def require_aware(value: object, *, field: str) -> dt.datetime:
    """``value`` as an aware datetime; a naive one raises :class:`NaiveDatetimeError` naming ``field``."""
    if not isinstance(value, dt.datetime):
        raise InvalidValueError(field, value, "expected a datetime with a time zone")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            field, value, "a naive datetime cannot be placed on the store's calendar; attach the store's time zone"
        )
    return value


def parse_iso_date(value: str, *, field: str) -> dt.date:
    """An ISO 8601 calendar date written as text (``"2025-06-01"``; surrounding spaces ignored).

    Anything else (``"06/01/2025"``, ``"2025-02-30"``, a time of day) raises :class:`InvalidDateError` naming
    ``field``: a date the library would have to guess at is refused, never read one way or the other.
    """
    text = value.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise InvalidDateError(field, value, f"not a calendar date ({exc})") from exc
    raise InvalidDateError(field, value, "expected an ISO date written YYYY-MM-DD, such as '2025-06-01'")


def optional_date(value: object, *, field: str) -> dt.date | None:
    """A date field of a record: ``None``, a date, or an ISO date text; anything else is an
    :class:`InvalidDateError` naming ``field`` (a datetime is refused: a record's date has no time of day)."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse_iso_date(value, field=field)
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidDateError(field, value, "expected a date (or an ISO date text such as '2025-06-01')")
    return value


def as_date(value: object, *, field: str = "on", zone: dt.tzinfo | None = None) -> dt.date:
    """A date from a date, a datetime or an ISO date text (``"2025-06-01"``). An aware datetime is first moved into
    ``zone`` (when given); a naive datetime is read as wall-clock time already in the state's zone. Text that is not
    an ISO date, and any other value, raise :class:`InvalidDateError` naming ``field``."""
    if isinstance(value, str):
        return parse_iso_date(value, field=field)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None and zone is not None:
            return local_time(value, zone, field=field).date()
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise InvalidDateError(field, value, "expected a date, a datetime or an ISO date text such as '2025-06-01'")


def local_time(moment: dt.datetime, zone: dt.tzinfo, *, field: str) -> dt.datetime:
    """An aware ``moment`` moved into ``zone``; a moment whose local time falls outside the years 1-9999 (possible
    only at the very ends of ``datetime``'s range) is an :class:`InvalidValueError` naming ``field``."""
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError) as exc:
        raise InvalidValueError(field, moment, "is outside the range of dates in the store's time zone") from exc


def local_midnight_ts(day: dt.date, zone: dt.tzinfo) -> float:
    """POSIX timestamp of the start of ``day`` in ``zone``.

    Where a zone skips local midnight (a DST change at 00:00), the first instant of the day is the moment the
    clock jumps, which is what ``zoneinfo`` gives for the non-existent wall time with ``fold=0``.
    """
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()
