"""fe-compliance: flower equivalency, purchase limits and track-and-trace reporting for cannabis retail.

Import what you need from here; the submodules are the layers described in ``docs/architecture.md``.
"""

from __future__ import annotations

from .categories import BasedOn, CategoryAliases, CustomerType, ProductCategoryMap
from .equivalency import (
    DefinitionKey,
    DefinitionSet,
    DuplicateDefinitionError,
    FlowerEquivalencyCalculation,
    FlowerEquivalencyDefinition,
)
from .errors import (
    DefinitionNotFoundError,
    FEComplianceError,
    InvalidQuantityError,
    InvalidUnitError,
    InvalidValueError,
    MissingDataError,
    PermissionDeniedError,
    ReadOnlyFieldError,
    RequiredFieldError,
    UnknownCategoryError,
)
from .explain import Rule
from .permissions import Permission, User
from .units import Q_, ureg

__version__ = "0.1.0.dev0"

__all__ = [
    "Q_",
    "BasedOn",
    "CategoryAliases",
    "CustomerType",
    "DefinitionKey",
    "DefinitionNotFoundError",
    "DefinitionSet",
    "DuplicateDefinitionError",
    "FEComplianceError",
    "FlowerEquivalencyCalculation",
    "FlowerEquivalencyDefinition",
    "InvalidQuantityError",
    "InvalidUnitError",
    "InvalidValueError",
    "MissingDataError",
    "Permission",
    "PermissionDeniedError",
    "ProductCategoryMap",
    "ReadOnlyFieldError",
    "RequiredFieldError",
    "Rule",
    "UnknownCategoryError",
    "User",
    "__version__",
    "ureg",
]
