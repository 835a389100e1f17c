"""What a MassCIP sale line carries: the package, its quantity, the unit of measure by the item's quantity type
(Each or Grams) and the amount; never a flower equivalent (seed 000: the flower equivalent "is not transmitted to
MassCIP"; :class:`~fe_compliance.tracktrace.models.Sale` has no field for one)."""

from __future__ import annotations

from decimal import Decimal

from ..errors import InvalidValueError
from ..tracktrace.models import Item, QuantityType, SaleLine

__all__ = ["UNIT_BY_QUANTITY_TYPE", "sale_line_for"]

#: Metrc unit names by quantity type (reference/metrc-api.md, "Items, categories, units": Each/ea, Grams/g).
UNIT_BY_QUANTITY_TYPE = {QuantityType.COUNT: "Each", QuantityType.WEIGHT: "Grams"}


def sale_line_for(item: Item, package_label: str, quantity: float | Decimal, amount: Decimal | str) -> SaleLine:
    """A sale line for ``quantity`` of ``item`` (a count for count-based items, grams for weight-based ones)."""
    unit = UNIT_BY_QUANTITY_TYPE.get(item.quantity_type) if item.quantity_type is not None else None
    if unit is None:
        raise InvalidValueError(
            "quantity_type", item.quantity_type,
            f"item {item.name!r} must be CountBased (Each) or WeightBased (Grams) to be posted to MassCIP",
        )
    return SaleLine(package_label, quantity, unit, amount, quantity_type=item.quantity_type)
