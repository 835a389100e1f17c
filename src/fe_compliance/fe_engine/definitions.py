"""Changes to the LSP's definitions, and to the feature switch.

* a new definition fills every blank FE of its category (``definition_create_fills_blanks``);
* an edited definition changes no existing FE (``definition_edit_no_effect``): Apply does that;
* a deleted definition removes no FE; it just stops calculating (``delete_keeps_values``);
* turning the feature on keeps every existing value (``enable_preserves``).

Each function returns the new definition set (or settings) and what changed; the engine wraps them into a new
engine.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .. import fe_rules
from ..catalog import CatalogProduct, InventoryPackage
from ..changes import Recalculation
from ..equivalency import DefinitionSet, FlowerEquivalencyDefinition
from ..errors import DefinitionNotFoundError
from ..permissions import User
from ..settings import LocationSettings
from .applying import FILL_BLANKS_ON_CREATE, apply_definition
from .context import EngineContext, check, checked_records


def create_definition(
    context: EngineContext, definition: FlowerEquivalencyDefinition, by: User,
    products: Iterable[CatalogProduct], packages: Iterable[InventoryPackage],
) -> tuple[DefinitionSet, Recalculation]:
    check(definition, FlowerEquivalencyDefinition, "definition")
    definitions = context.definitions.added(definition, by=by)
    new_context = attrs.evolve(context, definitions=definitions)
    if not new_context.enabled:
        all_products = checked_records(products, CatalogProduct, "products")
        all_packages = checked_records(packages, InventoryPackage, "packages")
        return definitions, Recalculation(products=all_products, packages=all_packages,
                                          notes=(str(fe_rules.FEATURE_OFF),))
    stored = definitions.exact(definition.purchase_limit_category, definition.customer_type)
    if stored is None:  # cannot happen: it was just added under this key
        raise DefinitionNotFoundError(definition.purchase_limit_category, definition.customer_type)
    return definitions, apply_definition(new_context, stored, products, packages, FILL_BLANKS_ON_CREATE)


def edit_definition(
    context: EngineContext, definition: FlowerEquivalencyDefinition, by: User
) -> tuple[DefinitionSet, Recalculation]:
    check(definition, FlowerEquivalencyDefinition, "definition")
    return context.definitions.replaced(definition, by=by), Recalculation(
        notes=(str(fe_rules.DEFINITION_EDIT_NO_EFFECT),))


def delete_definition(
    context: EngineContext, category: object, customer_type: object, by: User
) -> tuple[DefinitionSet, Recalculation]:
    return context.definitions.removed(category, customer_type, by=by), Recalculation(
        notes=(str(fe_rules.DELETE_KEEPS_VALUES),))


def enable(settings: LocationSettings) -> tuple[LocationSettings, Recalculation]:
    return attrs.evolve(settings, use_flower_equivalency_definition=True), Recalculation(
        notes=(f"{fe_rules.ENABLE_PRESERVES}",))
