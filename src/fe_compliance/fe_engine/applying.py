"""Applying one definition to many records.

Three operations do it, each described by a named :class:`ApplyPlan`:

* ``definition_create_fills_blanks``: a new definition fills every blank FE of its category, products and packages;
* ``apply_to_catalog``: "Apply to Catalog" overwrites every product FE of the category, manual values included;
* ``apply_to_inventory``: "Apply to Inventory" overwrites every package FE of the category.

A definition fills only the FE fields whose customer type resolves to it at this location. A record that cannot be
calculated keeps its value and is listed in ``problems``; the other records go ahead. The bulk form of "Apply to
Inventory" (floats in, floats out) is :func:`apply_to_inventory_bulk`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import attrs

from .. import fe_rules
from ..bulk import BulkApplication, apply_definition_bulk
from ..catalog import CatalogProduct, InventoryPackage
from ..changes import Change, ManualFERequired, Problem, Recalculation
from ..equivalency import FlowerEquivalencyDefinition
from ..errors import FEComplianceError, InvalidValueError, MissingDataError
from ..explain import Rule
from .context import EngineContext, Record, checked_records, missing_product


@attrs.frozen(slots=True)
class ApplyPlan:
    """What an operation applying a definition does: which levels, and whether it overwrites set values."""

    rule: Rule
    catalog: bool
    inventory: bool
    overwrite: bool


FILL_BLANKS_ON_CREATE = ApplyPlan(fe_rules.DEFINITION_CREATE_FILLS_BLANKS, catalog=True, inventory=True,
                                  overwrite=False)
APPLY_TO_CATALOG = ApplyPlan(fe_rules.APPLY_TO_CATALOG, catalog=True, inventory=False, overwrite=True)
APPLY_TO_INVENTORY = ApplyPlan(fe_rules.APPLY_TO_INVENTORY, catalog=False, inventory=True, overwrite=True)


def apply_definition(
    context: EngineContext, definition: FlowerEquivalencyDefinition, products: Iterable[CatalogProduct],
    packages: Iterable[InventoryPackage], plan: ApplyPlan,
) -> Recalculation:
    """Apply ``definition`` to the records of its category as ``plan`` says. The feature must be on (the callers
    decide what a location with the feature off gets)."""
    all_products = checked_records(products, CatalogProduct, "products")
    all_packages = checked_records(packages, InventoryPackage, "packages")
    if not context.fields_using(definition):
        # Say so rather than return an empty result that looks like "nothing needed changing".
        return Recalculation(products=all_products, packages=all_packages, notes=(
            f"{definition.key} calculates no FE field at this location (its fields: "
            f"{', '.join(f'{field} from {ct} definitions' for field, ct in context.settings.fe_fields)}); "
            "nothing was changed",))
    by_id = {product.id: product for product in all_products}
    changes: list[Change] = []
    problems: list[Problem] = []
    new_products = [
        apply_one(context, product, product, definition, plan, changes, problems)
        if plan.catalog and context.in_category(product, definition) else product
        for product in all_products
    ]
    new_packages = []
    for package in all_packages:
        owner = by_id.get(package.product_id)
        if owner is None:
            if plan.inventory:
                problems.append(Problem("package", package.id, missing_product(package)))
            new_packages.append(package)
        elif plan.inventory and context.in_category(owner, definition):
            new_packages.append(apply_one(context, package, owner, definition, plan, changes, problems))
        else:
            new_packages.append(package)
    return Recalculation(products=tuple(new_products), packages=tuple(new_packages), changes=tuple(changes),
                         problems=tuple(problems))


def apply_one(
    context: EngineContext, record: Record, product: CatalogProduct, definition: FlowerEquivalencyDefinition,
    plan: ApplyPlan, changes: list[Change], problems: list[Problem],
) -> Record:
    """One record of an Apply: calculated, or left as it is and reported (never zeroed)."""
    fields = context.fields_filled_by(product, definition)
    if not plan.overwrite:
        fields = [(field, kind) for field, kind in fields if getattr(record, field) is None]
    local_changes: list[Change] = []
    local_manual: list[ManualFERequired] = []
    try:
        new = context.calculate_fields(record, product, fields, rule=plan.rule, changes=local_changes,
                                       manual=local_manual)
    except FEComplianceError as exc:  # this record is refused (an FE that overflows); the others go ahead
        problems.append(Problem(record.kind, record.id, exc))
        return record
    for item in local_manual:
        problems.append(Problem(record.kind, record.id, MissingDataError(item.field, item.reason)))
    changes.extend(local_changes)
    return new


def apply_to_inventory_bulk(
    context: EngineContext, definition: FlowerEquivalencyDefinition, rows: Iterable[tuple[Hashable, float]], *,
    field: str | None, previous: Mapping[Hashable, float] | None,
) -> BulkApplication:
    """"Apply to Inventory" as floats: the FE field written is the one the record path would write."""
    fields = context.fields_using(definition)
    if not fields:
        raise InvalidValueError("field", field, f"no FE field of this location is calculated by {definition.key}")
    if field is None:
        if len(fields) > 1:
            raise InvalidValueError(
                "field", None, f"{definition.key} calculates {' and '.join(fields)} here; name the one to write"
            )
        (field,) = fields
    elif field not in fields:
        raise InvalidValueError(
            "field", field, f"not an FE field this location calculates by {definition.key} ({', '.join(fields)})"
        )
    return apply_definition_bulk(definition, rows, field=field, previous=previous)
