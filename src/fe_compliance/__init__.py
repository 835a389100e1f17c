"""fe-compliance: flower equivalency, purchase limits and track-and-trace reporting for cannabis retail.

Import what you need from here; the submodules are the layers described in ``docs/architecture.md``.
"""

from __future__ import annotations

from .bulk import BulkApplication, apply_definition_bulk
from .catalog import CatalogProduct, FESource, FlowerEquivalent, InventoryPackage, LabResults
from .categories import BasedOn, CategoryAliases, CustomerType, ProductCategoryMap
from .changes import Change, ManualFERequired, Problem, Recalculation
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
from .limits import (
    CartDecision,
    CartLine,
    Customer,
    Ledger,
    LimitEngine,
    LineDataError,
    NoRulesInForceError,
    PastLine,
    RulePack,
    RuleSet,
    UnknownStateError,
)
from .permissions import Permission, User
from .recalc import FeatureDisabledError, FlowerEquivalencyEngine
from .settings import LocationSettings
from .units import Q_, ureg

__version__ = "0.1.0.dev0"

__all__ = [
    "Q_",
    "BasedOn",
    "BulkApplication",
    "CartDecision",
    "CartLine",
    "CatalogProduct",
    "CategoryAliases",
    "Change",
    "Customer",
    "CustomerType",
    "DefinitionKey",
    "DefinitionNotFoundError",
    "DefinitionSet",
    "DuplicateDefinitionError",
    "FEComplianceError",
    "FESource",
    "FeatureDisabledError",
    "FlowerEquivalencyCalculation",
    "FlowerEquivalencyDefinition",
    "FlowerEquivalencyEngine",
    "FlowerEquivalent",
    "InvalidQuantityError",
    "InvalidUnitError",
    "InvalidValueError",
    "InventoryPackage",
    "LabResults",
    "Ledger",
    "LimitEngine",
    "LineDataError",
    "LocationSettings",
    "ManualFERequired",
    "MissingDataError",
    "NoRulesInForceError",
    "PastLine",
    "Permission",
    "PermissionDeniedError",
    "Problem",
    "ProductCategoryMap",
    "ReadOnlyFieldError",
    "Recalculation",
    "RequiredFieldError",
    "Rule",
    "RulePack",
    "RuleSet",
    "UnknownCategoryError",
    "UnknownStateError",
    "User",
    "__version__",
    "apply_definition_bulk",
    "ureg",
]
