"""Catalog products, inventory packages and their lab results: the records the FE engine reads and rewrites.

Records are frozen values. The engine never mutates one: it returns a new record and a list of changes
(:mod:`fe_compliance.recalc`). Amount fields hold Quantities of :data:`fe_compliance.ureg` (strings such as
``"3.5 g"`` are accepted and converted); a flower equivalent is a :class:`FlowerEquivalent`, which remembers whether
it was calculated or typed in by a person, because a typed-in value is kept until its based-on field is edited
(``001_0f6da1db91b12d45.txt``, "Category amount, equivalent flower amount, and ratio").
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from .equivalency import DefinitionKey
from .errors import InvalidQuantityError, InvalidValueError
from .units import checked_mass, grams_quantity, mass_to_grams, parse_quantity, ureg

__all__ = [
    "FE_FIELDS",
    "CatalogProduct",
    "FESource",
    "FlowerEquivalent",
    "InventoryPackage",
    "LabResults",
    "thc_is_percentage",
]

FE_FIELDS: tuple[str, ...] = ("flower_equivalent", "med_flower_equivalent", "rec_flower_equivalent")
"""The three FE fields a record has; which of them a location uses depends on its settings."""

_PERCENT = ureg.percent


class FESource(enum.Enum):
    """Where a flower-equivalent value came from."""

    CALCULATED = "calculated"
    """Computed by the engine from a definition."""
    MANUAL = "manual"
    """Typed in by a person (or imported from before calculations were enabled)."""
    CATALOG_DEFAULT = "catalog_default"
    """Copied from the catalog product when the package was received and nothing could be calculated."""

    def __str__(self) -> str:
        return self.value


_MAX_INT_ID = 10**30  # beyond any POS's ids, and far below Python's int-to-text limit


def _record_id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidValueError("id", value, "expected a string or integer id")
    if isinstance(value, int) and not -_MAX_INT_ID < value < _MAX_INT_ID:
        raise InvalidValueError("id", value, "an integer id has at most 30 digits")
    text = str(value).strip()
    if not text:
        raise InvalidValueError("id", value, "expected a non-empty id")
    return text


def _is_cannabis(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError("is_cannabis", value, "expected True or False")
    return value


def _name(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("name", value, "expected a string")
    return value


def _lab_results(value: object) -> LabResults | None:
    if value is not None and not isinstance(value, LabResults):
        raise InvalidValueError("lab_results", value, "expected LabResults or None")
    return value


def _optional_text(field: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidValueError(field, value, "expected a string or None")
    return value


def _lab_name(value: object) -> str | None:
    return _optional_text("lab_results.lab", value)


def _tested_on(value: object) -> str | None:
    return _optional_text("lab_results.tested_on", value)


def _optional_category(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("product_category", value, "expected a category name or None")
    return " ".join(value.split())


def _mass_or_none(field: str, value: object) -> Any:
    if value is None:
        return None
    return checked_mass(value, field=field)[0]


def _grams_concentration(value: object) -> Any:
    return _mass_or_none("grams_concentration", value)


def _net_weight(value: object) -> Any:
    return _mass_or_none("net_weight", value)


def thc_is_percentage(quantity: Any) -> bool:
    """True when a THC amount is written as a percentage of the product's weight."""
    return quantity is not None and quantity.units == _PERCENT


def _thc(field: str, value: object) -> Any:
    """A THC amount: a mass (``"100 mg"``) or a percentage of weight (``"21 %"``, at most 100 %)."""
    if value is None:
        return None
    quantity = parse_quantity(value, field=field)
    if thc_is_percentage(quantity):
        try:
            magnitude = float(quantity.magnitude)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidQuantityError(field, value, "a THC percentage must be a number") from exc
        if not 0 <= magnitude <= 100:
            raise InvalidQuantityError(field, value, "a THC percentage must be between 0 and 100")
        return quantity
    mass_to_grams(value, field=field)
    return quantity


def _thc_content(value: object) -> Any:
    return _thc("thc_content", value)


def _lab_thc(value: object) -> Any:
    return _thc("lab_results.thc", value)


def _fe_amount(value: object) -> Any:
    return grams_quantity(mass_to_grams(value, field="flower_equivalent"))


def _fe_source(value: object) -> FESource:
    try:
        return FESource(value)
    except (ValueError, TypeError, ArithmeticError) as exc:  # hashing a Quantity of a huge int or a Decimal NaN
        raise InvalidValueError("source", value, "expected calculated, manual or catalog_default") from exc


def _definition_key(value: object) -> DefinitionKey | None:
    if value is not None and not isinstance(value, DefinitionKey):
        raise InvalidValueError("definition", value, "expected a DefinitionKey or None")
    return value


@attrs.frozen(slots=True)
class FlowerEquivalent:
    """A flower-equivalent value on a record: the amount in grams and where it came from.

    ``definition`` is the key of the definition that calculated it (``None`` for manual and catalog-default values).
    """

    amount: Any = attrs.field(converter=_fe_amount)
    source: FESource = attrs.field(default=FESource.MANUAL, converter=_fe_source)
    definition: DefinitionKey | None = attrs.field(default=None, converter=_definition_key)

    @property
    def grams(self) -> float:
        return float(self.amount.magnitude)

    @classmethod
    def calculated(cls, grams: float, definition: DefinitionKey) -> FlowerEquivalent:
        return cls(grams_quantity(grams), FESource.CALCULATED, definition)

    def __str__(self) -> str:
        via = f" via {self.definition}" if self.definition else ""
        return f"{self.grams:.6g} g ({self.source}{via})"


def _flower_equivalent(value: object) -> FlowerEquivalent | None:
    """Records accept a FlowerEquivalent, or an amount a person typed in (kept as a manual value)."""
    if value is None or isinstance(value, FlowerEquivalent):
        return value
    return FlowerEquivalent(value, FESource.MANUAL)


@attrs.frozen(slots=True)
class LabResults:
    """A package's lab results. Its THC (a mass or a percentage) is the package's potency, which nobody edits."""

    thc: Any = attrs.field(converter=_lab_thc)
    lab: str | None = attrs.field(default=None, converter=_lab_name)
    tested_on: str | None = attrs.field(default=None, converter=_tested_on)

    def __str__(self) -> str:
        """As a person reads it in a change record: ``THC 700 mg (lab: Acme, tested 2024-05-01)``."""
        about = [f"lab: {self.lab}"] if self.lab else []
        about += [f"tested {self.tested_on}"] if self.tested_on else []
        return f"THC {self.thc:~P}" + (f" ({', '.join(about)})" if about else "")


@attrs.frozen(slots=True)
class CatalogProduct:
    """A catalog product: the defaults for its packages, and the catalog-level flower equivalent.

    ``product_category`` is the POS's own category; the engine maps it to a purchase-limit category.
    ``thc_content`` may be a mass or a percentage (then the product's net weight turns it into a mass).
    """

    id: str = attrs.field(converter=_record_id)
    product_category: str | None = attrs.field(default=None, converter=_optional_category)
    name: str = attrs.field(default="", converter=_name)
    is_cannabis: bool = attrs.field(default=True, converter=_is_cannabis)
    grams_concentration: Any = attrs.field(default=None, converter=_grams_concentration)
    net_weight: Any = attrs.field(default=None, converter=_net_weight)
    thc_content: Any = attrs.field(default=None, converter=_thc_content)
    flower_equivalent: FlowerEquivalent | None = attrs.field(default=None, converter=_flower_equivalent)
    med_flower_equivalent: FlowerEquivalent | None = attrs.field(default=None, converter=_flower_equivalent)
    rec_flower_equivalent: FlowerEquivalent | None = attrs.field(default=None, converter=_flower_equivalent)

    kind = "product"


@attrs.frozen(slots=True)
class InventoryPackage:
    """An inventory package of a catalog product. Only package-level FE counts toward purchase limits.

    ``potency`` is read from ``lab_results`` and cannot be set (``001_0f6da1db91b12d45.txt``: derived from THC lab
    results, not editable).
    """

    id: str = attrs.field(converter=_record_id)
    product_id: str = attrs.field(converter=_record_id)
    grams_concentration: Any = attrs.field(default=None, converter=_grams_concentration)
    net_weight: Any = attrs.field(default=None, converter=_net_weight)
    lab_results: LabResults | None = attrs.field(default=None, converter=_lab_results)
    flower_equivalent: FlowerEquivalent | None = attrs.field(default=None, converter=_flower_equivalent)
    med_flower_equivalent: FlowerEquivalent | None = attrs.field(default=None, converter=_flower_equivalent)
    rec_flower_equivalent: FlowerEquivalent | None = attrs.field(default=None, converter=_flower_equivalent)

    kind = "package"

    @property
    def potency(self) -> Any:
        """The package's THC from its lab results, or ``None`` when it has none."""
        return None if self.lab_results is None else self.lab_results.thc
