"""State rule packs: one module per state, each a dated, cited :class:`~fe_compliance.limits.RulePack`.

::

    >>> from datetime import date
    >>> from fe_compliance import states
    >>> "MI" in states.available()                            # sorted upper-case codes
    True
    >>> rules = states.rules_for("NV", on=date(2024, 1, 1))   # SB 277 in force
    >>> engine = states.engine("MI")                         # a LimitEngine for Michigan

``rules_for(state, on=...)`` takes a date, a datetime (an aware datetime is read in the state's time zone) or an ISO
date text (``rules_for("MA", on="2025-06-01")``; any other text is an
:class:`~fe_compliance.limits.InvalidDateError`) and
returns the :class:`~fe_compliance.limits.RuleSet` in force that day; a day before the pack's first rule raises
:class:`~fe_compliance.limits.NoRulesInForceError` and an unknown state
:class:`~fe_compliance.limits.UnknownStateError`.

Recipe: adding a state pack
---------------------------
1. Create ``src/fe_compliance/states/<xx>.py`` (lower-case code). Its docstring names the sources and, for every
   point where sources conflict or are silent, the reading taken and why; it must mention the code of every rule
   shipped with ``confirmed=False``. It defines ``PACK = RulePack(state="XX", name=..., time_zone=<IANA zone>,
   rules=(...), readings=(...))``. Rules are :mod:`fe_compliance.limits.rules` kinds: a ``Limit`` per budget and
   sub-cap (``Window.transaction()``, ``Window.calendar_day()``, ``Window.calendar_month()``,
   ``Window.rolling(n)``; say the restore convention in the note), ``Equivalency`` for mass-for-mass FE
   definitions, ``VolumeEquivalency`` for volume rules, ``ExemptProducts``, one ``CountingRule`` per customer type
   (or one for ``ALL``), one ``ReportingRule``, and ``NotResearched`` for a customer type deliberately not covered.
   Every rule has ``code``, ``summary``, ``citation``, ``effective`` (``until`` when superseded: a new version keeps
   the code and starts on the old one's ``until``) and ``confirmed``. Use canonical category names from
   :mod:`fe_compliance.limits.vocabulary`.
2. Register it: add ``"XX": "<xx>",`` to ``STATES`` in ``src/fe_compliance/states/registry.py``.
3. Test it: ``tests/states/test_<xx>.py`` with ``class TestXX(StatePackTests): STATE = "XX"`` (the common base in
   ``tests/states/common.py`` checks every invariant all packs share) plus tests of the state's own numbers:
   each cap at the limit and just over, each window's restore day, each change date.
4. Document it: run ``.venv/bin/python scripts/gen_state_docs.py`` to write ``docs/states/<xx>.md`` and the index
   table; the common tests fail when the page differs from the pack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..limits.customer import Customer
from ..limits.engine import LimitEngine
from ..limits.lines import CartLine, PastLine
from ..limits.pack import RulePack, RuleSet
from ..limits.results import CartDecision
from .registry import STATES, load_pack

__all__ = ["available", "check_cart", "engine", "pack_for", "rules_for"]


def available() -> tuple[str, ...]:
    """The upper-case two-letter codes of every state with a rule pack, sorted."""
    return tuple(sorted(STATES))


def pack_for(state: str) -> RulePack:
    """Every dated rule of ``state`` (``"MI"``; case and surrounding spaces are ignored)."""
    return load_pack(state)


def rules_for(state: str, on: dt.date | dt.datetime | str) -> RuleSet:
    """The rules of ``state`` in force on ``on``: a date, a datetime, or an ISO date text (``"2025-06-01"``; other
    text raises :class:`~fe_compliance.limits.InvalidDateError` naming ``on``)."""
    return load_pack(state).in_force(on)


def engine(state: str, **options: Any) -> LimitEngine:
    """A :class:`~fe_compliance.limits.LimitEngine` for ``state``; ``options`` are the engine's keyword options."""
    return LimitEngine(load_pack(state), **options)


def check_cart(
    state: str,
    customer: Customer,
    cart: Iterable[CartLine],
    *,
    at: dt.datetime,
    history: Iterable[PastLine] = (),
    **options: Any,
) -> CartDecision:
    """One-call check: ``engine(state, **options).check(customer, cart, at=at, history=history)``.

    A POS checking many carts should keep one engine per store instead.
    """
    return engine(state, **options).check(customer, cart, at=at, history=history)
