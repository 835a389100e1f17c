"""Location settings that steer the FE engine (``001_0f6da1db91b12d45.txt``).

Definitions belong to the LSP and are shared by all its locations; these settings belong to one location.
"""

from __future__ import annotations

import attrs

from .categories import CustomerType
from .errors import InvalidValueError

__all__ = ["LocationSettings"]


def _customer_type(value: object) -> CustomerType:
    return CustomerType.parse(value, field="customer_type")


def _flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    """A setting is True or False. A string such as "false" is truthy: reading it as on would switch the
    engine on (or a required field off) by accident."""
    if not isinstance(value, bool):
        raise InvalidValueError(attribute.name, value, "expected True or False")


@attrs.frozen(slots=True)
class LocationSettings:
    """One location's FE settings.

    ``use_flower_equivalency_definition``: the "Use Flower Equivalency Definition" box. Off, nothing calculates.
    It defaults to on here because calculating is what a caller of this library wants; set it to ``False`` to mirror
    a location that has not enabled it.

    ``use_both_med_and_rec``: "Use both Med and Rec Flower Equiv": records then carry ``med_flower_equivalent`` and
    ``rec_flower_equivalent``, each from the definition for its customer type (falling back to an All definition).
    Otherwise records carry one ``flower_equivalent``, calculated from the definition for ``customer_type``
    (``ALL`` by default: then only All definitions apply, and a category with only medical and recreational
    definitions needs this setting or a manual FE).

    ``require_*``: the "Required if Cannabis" configuration of the product fields, checked for cannabis products
    when they are created or received.
    """

    use_flower_equivalency_definition: bool = attrs.field(default=True, validator=_flag)
    use_both_med_and_rec: bool = attrs.field(default=False, validator=_flag)
    customer_type: CustomerType = attrs.field(default=CustomerType.ALL, converter=_customer_type)
    require_net_weight: bool = attrs.field(default=False, validator=_flag)
    require_thc_content: bool = attrs.field(default=False, validator=_flag)
    require_flower_equivalent: bool = attrs.field(default=False, validator=_flag)

    @property
    def fe_fields(self) -> tuple[tuple[str, CustomerType], ...]:
        """The FE fields this location uses, each with the customer type whose definition fills it."""
        if self.use_both_med_and_rec:
            return (
                ("med_flower_equivalent", CustomerType.MEDICAL),
                ("rec_flower_equivalent", CustomerType.RECREATIONAL),
            )
        return (("flower_equivalent", self.customer_type),)

    def field_for(self, customer_type: CustomerType) -> str:
        """The package FE field that counts toward the limits of a customer of ``customer_type``."""
        if not isinstance(customer_type, CustomerType):
            raise InvalidValueError("customer_type", customer_type, "expected a CustomerType")
        if not self.use_both_med_and_rec:
            if self.customer_type is not CustomerType.ALL and customer_type is not self.customer_type:
                # The one FE field holds the figure of this location's customer type; handing a medical FE to a
                # recreational customer would count the wrong equivalency against their limit.
                raise InvalidValueError(
                    "customer_type", customer_type,
                    f"this location's flower_equivalent is calculated for {self.customer_type} customers only; "
                    "turn on use_both_med_and_rec to sell to both",
                )
            return "flower_equivalent"
        if customer_type is CustomerType.MEDICAL:
            return "med_flower_equivalent"
        if customer_type is CustomerType.RECREATIONAL:
            return "rec_flower_equivalent"
        raise InvalidValueError("customer_type", customer_type, "a customer at the register is medical or recreational")
