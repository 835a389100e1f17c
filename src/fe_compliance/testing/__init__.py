"""Tools for testing code that uses fe-compliance: hypothesis strategies for its types.

Install with the ``testing`` extra (``pip install 'fe-compliance[testing]'``), which brings hypothesis. Nothing in
the library imports this package. With the extra installed, hypothesis also knows how to build the library's
value types by itself (``st.from_type(FlowerEquivalencyDefinition)``), through the ``hypothesis`` entry point.
"""

from __future__ import annotations

from .strategies import (
    based_on,
    catalog_products,
    customer_types,
    definitions,
    inventory_packages,
    masses,
    thc_amounts,
)

__all__ = [
    "based_on",
    "catalog_products",
    "customer_types",
    "definitions",
    "inventory_packages",
    "masses",
    "thc_amounts",
]
