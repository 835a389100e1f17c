"""What every engine operation shares: the engine's parts, which definition applies, and calculating FE fields.

:class:`EngineContext` is the engine's state (definitions, categories, settings) with the lookups every operation
needs. :meth:`EngineContext.calculate_fields` calculates an explicit list of FE fields of one record: the
operations decide which fields (the blank ones, those a definition fills, those an edit made stale), and this
module only calculates them and records the outcome.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from .. import fe_rules
from ..catalog import CatalogProduct, FlowerEquivalent, InventoryPackage
from ..categories import CustomerType, ProductCategoryMap
from ..changes import Change, ManualFERequired
from ..equivalency import DefinitionSet, FlowerEquivalencyDefinition
from ..errors import FEComplianceError, InvalidQuantityError, InvalidValueError, MissingDataError
from ..explain import Rule
from ..settings import LocationSettings
from .basis import based_on_grams

Record = TypeVar("Record", CatalogProduct, InventoryPackage)
FieldList = Sequence[tuple[str, CustomerType]]
"""FE fields of a record, each with the customer type whose definition fills it."""


class FeatureDisabledError(FEComplianceError):
    """An explicit FE operation was asked of a location whose "Use Flower Equivalency Definition" is off."""

    def __init__(self, operation: str) -> None:
        super().__init__(
            f"use_flower_equivalency_definition: is off at this location, so {operation} calculates nothing; "
            "turn the setting on first",
            field="use_flower_equivalency_definition",
            value=False,
        )


@attrs.frozen(slots=True)
class Outcome:
    """What calculating one FE field gave: a value, or why a person must enter it."""

    value: FlowerEquivalent | None
    detail: str = ""
    manual_reason: str = ""
    manual_rule: Rule | None = None


@attrs.frozen(slots=True)
class EngineContext:
    """The engine's parts and the lookups every operation needs."""

    definitions: DefinitionSet
    categories: ProductCategoryMap
    settings: LocationSettings

    @property
    def enabled(self) -> bool:
        """"Use Flower Equivalency Definition" (``feature_off`` when not)."""
        return self.settings.use_flower_equivalency_definition

    # ------------------------------------------------------------------------------------------ resolution

    def limit_category(self, product: CatalogProduct) -> str | None:
        """The purchase-limit category of ``product``, or ``None`` when its category has none."""
        if product.product_category is None:
            return None
        return self.categories.limit_category(product.product_category)

    def resolve(
        self, product: CatalogProduct, customer_type: CustomerType
    ) -> tuple[FlowerEquivalencyDefinition | None, str, Rule | None]:
        """The definition for ``product`` and ``customer_type``, or ``None`` with the reason and the rule that
        then asks for a manual FE (``unmapped_category_manual``, ``no_definition_manual``)."""
        category = self.limit_category(product)
        if category is None:
            return None, (
                f"product category {product.product_category!r} has no purchase-limit category"
            ), fe_rules.UNMAPPED_CATEGORY_MANUAL
        definition = self.definitions.find(category, customer_type)
        if definition is None:
            return None, (
                f"no definition for purchase-limit category {category!r} and customer type {customer_type}"
            ), fe_rules.NO_DEFINITION_MANUAL
        return definition, "", None

    def same_definition(
        self, found: FlowerEquivalencyDefinition | None, definition: FlowerEquivalencyDefinition
    ) -> bool:
        """Whether ``found`` is the definition stored under ``definition``'s key (by key, never by identity: an
        equal definition built again, or written with a state's alias, is the same definition)."""
        return (
            found is not None
            and found.customer_type is definition.customer_type
            and self.definitions.category_key(found.purchase_limit_category)
            == self.definitions.category_key(definition.purchase_limit_category)
        )

    def in_category(self, product: CatalogProduct, definition: FlowerEquivalencyDefinition) -> bool:
        """Whether ``product`` belongs to ``definition``'s purchase-limit category (``aliases`` resolved)."""
        category = self.limit_category(product)
        return category is not None and (
            self.definitions.category_key(category) == self.definitions.category_key(definition.purchase_limit_category)
        )

    def fields_using(self, definition: FlowerEquivalencyDefinition) -> tuple[str, ...]:
        """The FE fields of this location that ``definition`` calculates: those whose customer type resolves to it
        (a medical or recreational definition wins over an All one for its own field)."""
        return tuple(
            field for field, customer_type in self.settings.fe_fields
            if self.same_definition(self.definitions.find(definition.purchase_limit_category, customer_type),
                                    definition)
        )

    # ---------------------------------------------------------------------------------------- field choice

    def blank_fields(self, record: CatalogProduct | InventoryPackage) -> FieldList:
        """The location's FE fields that are blank on ``record``."""
        return [(field, kind) for field, kind in self.settings.fe_fields if getattr(record, field) is None]

    def fields_filled_by(self, product: CatalogProduct, definition: FlowerEquivalencyDefinition) -> FieldList:
        """The location's FE fields that ``definition`` calculates for ``product``."""
        return [(field, kind) for field, kind in self.settings.fe_fields
                if self.same_definition(self.resolve(product, kind)[0], definition)]

    # ----------------------------------------------------------------------------------------- calculation

    def calculate(
        self, product: CatalogProduct, package: InventoryPackage | None, customer_type: CustomerType
    ) -> Outcome:
        """The FE of ``product`` (or of its ``package``) for ``customer_type`` (``ratio``).

        Missing data gives an outcome without a value (a person must enter the FE); an FE that overflows raises
        :class:`InvalidQuantityError` naming the record and its input."""
        definition, reason, rule = self.resolve(product, customer_type)
        if definition is None:
            return Outcome(None, manual_reason=reason, manual_rule=rule)
        try:
            grams, how = based_on_grams(definition, product, package)
        except FEComplianceError as exc:
            return Outcome(None, manual_reason=str(exc), manual_rule=fe_rules.RATIO)
        fe_grams = definition.flower_equivalent_grams(grams)
        if not math.isfinite(fe_grams):
            record: CatalogProduct | InventoryPackage = package if package is not None else product
            raise InvalidQuantityError(
                str(definition.based_on), grams,
                f"{record.kind} {record.id}: {how} x ratio {definition.ratio:.6g} ({definition.key}) overflows; "
                "no finite flower equivalent",
            )
        detail = f"{how} x ratio {definition.ratio:.6g} ({definition.key}) = {fe_grams:.6g} g"
        return Outcome(FlowerEquivalent.calculated(fe_grams, definition.key), detail=detail)

    def calculate_fields(
        self, record: Record, product: CatalogProduct, fields: FieldList, *, rule: Rule,
        changes: list[Change], manual: list[ManualFERequired],
    ) -> Record:
        """Calculate ``fields`` of ``record`` (a product, or a package of ``product``); collect the changes, and
        the fields a person must enter."""
        package = record if isinstance(record, InventoryPackage) else None
        updates: dict[str, Any] = {}
        for field, customer_type in fields:
            old: FlowerEquivalent | None = getattr(record, field)
            outcome = self.calculate(product, package, customer_type)
            if outcome.value is None:
                # Nothing to calculate from. A blank field needs a person; so does a value that was due to be
                # recalculated (an overwrite or a based-on edit), since the old value no longer matches its inputs.
                # The old value is kept, never zeroed.
                reason = outcome.manual_reason if old is None else f"{outcome.manual_reason}; kept at {old}"
                manual.append(ManualFERequired(record.kind, record.id, field, reason, outcome.manual_rule or rule))
                continue
            if outcome.value != old:
                updates[field] = outcome.value
                changes.append(Change(record.kind, record.id, field, old, outcome.value, rule, outcome.detail))
        return attrs.evolve(record, **updates) if updates else record


# ------------------------------------------------------------------------------------------ argument checks


def check(value: object, kind: type, field: str) -> None:
    if not isinstance(value, kind):
        raise InvalidValueError(field, value, f"expected {kind.__name__}")


def checked_records(values: object, kind: type[Record], field: str) -> tuple[Record, ...]:
    """The records of a batch operation, each checked to be a ``kind``."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidValueError(field, values, f"expected an iterable of {kind.__name__} records")
    try:
        records: tuple[Record, ...] = tuple(values)
    except TypeError as exc:  # claims to be iterable but is not (a pint Quantity of a scalar)
        raise InvalidValueError(field, values, f"expected an iterable of {kind.__name__} records") from exc
    for record in records:
        check(record, kind, field)
    return records


def check_belongs(package: InventoryPackage, product: CatalogProduct) -> None:
    if package.product_id != product.id:
        raise InvalidValueError(
            "product_id", package.product_id, f"package {package.id} does not belong to product {product.id}"
        )


def check_level(definition: object, product: object, package: object) -> None:
    """The arguments of the per-level queries: a definition, a product and (for the package level) a package."""
    check(definition, FlowerEquivalencyDefinition, "definition")
    check(product, CatalogProduct, "product")
    if package is not None:
        check(package, InventoryPackage, "package")


def missing_product(package: InventoryPackage) -> MissingDataError:
    return MissingDataError(
        "product_id", f"package {package.id}'s catalog product {package.product_id!r} was not given, so its "
        "category is unknown", value=package.product_id)
