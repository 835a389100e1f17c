"""The FE that counts at the register (``package_fe_for_limits``).

Only a package's FE counts toward a customer's limits, and only the field calculated for that customer's type. A
blank value is missing data: a sale is never allowed because data was missing.
"""

from __future__ import annotations

from typing import Any

from .. import fe_rules
from ..catalog import FlowerEquivalent, InventoryPackage
from ..categories import CustomerType
from ..errors import InvalidValueError, MissingDataError
from .context import EngineContext


def limit_flower_equivalent(context: EngineContext, package: InventoryPackage, customer_type: object) -> Any:
    if not isinstance(package, InventoryPackage):
        raise InvalidValueError(
            "package", package,
            "only a package's flower equivalent counts for purchase limits "
            f"[{fe_rules.PACKAGE_FE_FOR_LIMITS.citation}]",
        )
    kind = CustomerType.parse(customer_type)
    field = context.settings.field_for(kind)  # refuses a customer type the location's one field is not for
    value: FlowerEquivalent | None = getattr(package, field)
    if value is None:
        raise MissingDataError(field, f"package {package.id} has no {field}; it cannot be sold against a limit")
    return value.amount
