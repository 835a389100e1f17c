"""The reference the test kit compares a POS with: the library's own limit engine, one per state.

No hypothesis needed here, so the pytest plugin's ``fe_engine`` fixture works without the ``testing`` extra.
"""

from __future__ import annotations

import threading

from ..limits import LimitEngine

__all__ = ["reference_engine"]

_ENGINES: dict[str, LimitEngine] = {}
_LOCK = threading.Lock()


def reference_engine(state: str) -> LimitEngine:
    """The library's :class:`~fe_compliance.limits.LimitEngine` for ``state`` with its default options (rolling
    windows, advisory caps not enforced), built once per state and reused."""
    from .. import states

    code = states.pack_for(state).state
    with _LOCK:
        engine = _ENGINES.get(code)
        if engine is None:
            engine = _ENGINES[code] = states.engine(code)
    return engine
