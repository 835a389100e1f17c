"""Tools for testing code that uses fe-compliance, and for auditing a POS against the state's rules.

* :mod:`~fe_compliance.testing.strategies`: hypothesis strategies for the library's values and for whole
  checkouts under a state's rules (``docs/testing.md``);
* :mod:`~fe_compliance.testing.properties`: ready checks an auditor runs against a POS's own functions
  (``docs/auditors.md``);
* :mod:`~fe_compliance.testing.pytest_plugin`: ``--fe-state``, ``--fe-date``, the ``fe_*`` fixtures and the
  ``fe_every_state`` marker (registered under ``pytest11``).

Install with the ``testing`` extra (``pip install 'fe-compliance[testing]'``), which brings hypothesis. Nothing in
the library imports this package. With the extra installed, hypothesis also knows how to build the library's
value types by itself (``st.from_type(FlowerEquivalencyDefinition)``), through the ``hypothesis`` entry point.

Importing this package does not import hypothesis: the strategies are looked up on first use
(``from fe_compliance.testing import definitions`` imports :mod:`fe_compliance.testing.strategies` then), so the
parts of the kit that need no hypothesis work without the extra.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._extra import INSTALL_HINT, MissingExtraError

_STRATEGY_NAMES: frozenset[str] = frozenset(
    {
        "any_packages",
        "based_on",
        "cart_lines",
        "carts",
        "catalog_products",
        "checkout_cases",
        "customer_types",
        "customers",
        "definitions",
        "inventory_packages",
        "lab_results",
        "masses",
        "purchase_histories",
        "rule_packs",
        "rule_sets",
        "sale_times",
        "thc_amounts",
    }
)

__all__ = ["INSTALL_HINT", "MissingExtraError", *sorted(_STRATEGY_NAMES)]


def __getattr__(name: str) -> Any:
    if name in _STRATEGY_NAMES:
        strategies = importlib.import_module(f"{__name__}.strategies")
        return getattr(strategies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _STRATEGY_NAMES)
