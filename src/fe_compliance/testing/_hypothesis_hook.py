"""The ``hypothesis`` entry point: teaches ``st.from_type`` the library's value types.

Hypothesis runs every ``hypothesis`` entry point while it is itself being imported. When that import was started by
``fe_compliance.testing.strategies`` (which needs hypothesis at its top), the strategies module is still half built
at that moment, so this hook must not reach into it. It therefore registers *resolvers*: small functions that
hypothesis calls only when a test first asks ``st.from_type`` for one of these types, long after every import has
finished. This module imports nothing at its top but the standard library.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# type (module, class name) -> name of the strategy function in fe_compliance.testing.strategies
_REGISTRATIONS: tuple[tuple[str, str, str], ...] = (
    ("fe_compliance.equivalency", "FlowerEquivalencyDefinition", "definitions"),
    ("fe_compliance.catalog", "CatalogProduct", "catalog_products"),
    ("fe_compliance.categories", "CustomerType", "customer_types"),
    ("fe_compliance.categories", "BasedOn", "based_on"),
    ("fe_compliance.catalog", "InventoryPackage", "any_packages"),
    ("fe_compliance.catalog", "LabResults", "lab_results"),
    ("fe_compliance.limits", "Customer", "customers"),
    ("fe_compliance.limits", "CartLine", "cart_lines"),
    ("fe_compliance.limits", "RulePack", "rule_packs"),
    ("fe_compliance.testing.cases", "CheckoutCase", "checkout_cases"),
)


def _resolver(strategy_name: str) -> Callable[[type], Any]:
    def resolve(_requested: type) -> Any:
        strategies = importlib.import_module("fe_compliance.testing.strategies")
        return getattr(strategies, strategy_name)()

    resolve.__name__ = f"resolve_{strategy_name}"
    return resolve


def _hypothesis_setup_hook() -> None:
    """Register a lazy strategy for each value type (hypothesis calls this on its own import)."""
    from hypothesis import strategies as st

    for module_name, class_name, strategy_name in _REGISTRATIONS:
        value_type = getattr(importlib.import_module(module_name), class_name)
        st.register_type_strategy(value_type, _resolver(strategy_name))
