"""The registry of state rule packs: a two-letter code and the module that defines its ``PACK``.

Modules are imported on first use (like the country registry of the ``holidays`` library), so importing
:mod:`fe_compliance.states` costs nothing until a state is asked for. To add a state, add one line here; see the
recipe in :mod:`fe_compliance.states`.
"""

from __future__ import annotations

import importlib
import threading
from typing import Final

from ..limits.errors import UnknownStateError
from ..limits.pack import RulePack

__all__ = ["STATES", "load_pack", "normalize_state"]

STATES: Final[dict[str, str]] = {
    "AZ": "az",
    "CO": "co",
    "CT": "ct",
    "IL": "il",
    "MA": "ma",
    "MD": "md",
    "MI": "mi",
    "MO": "mo",
    "NJ": "nj",
    "NV": "nv",
    "NY": "ny",
    "OH": "oh",
    "VT": "vt",
}
"""State code -> module name under ``fe_compliance.states``. Keep it sorted by code."""

_LOCK: Final = threading.RLock()
_LOADED: dict[str, RulePack] = {}


def normalize_state(state: object) -> str:
    """``"mi"``, ``" MI "`` -> ``"MI"``; anything not a registered code raises :class:`UnknownStateError`."""
    if isinstance(state, str):
        code = state.strip().upper()
        if code in STATES:
            return code
    raise UnknownStateError(state, tuple(sorted(STATES)))


def load_pack(state: object) -> RulePack:
    """The rule pack of ``state``, importing its module the first time."""
    code = normalize_state(state)
    pack = _LOADED.get(code)
    if pack is not None:
        return pack
    with _LOCK:
        pack = _LOADED.get(code)
        if pack is None:
            module = importlib.import_module(f"{__package__}.{STATES[code]}")
            found = getattr(module, "PACK", None)
            if not isinstance(found, RulePack) or found.state != code:
                raise UnknownStateError(code, tuple(sorted(STATES)))
            _LOADED[code] = pack = found
    return pack
