"""New records: a created catalog product (``calc_on_create``) and a received package (``calc_on_receive``,
``catalog_defaults``).

Blank FE fields calculate; an FE typed in with the new record is kept, with a note of what the definition would
give. A received package takes the catalog's grams/concentration and net weight where its own are blank, and the
catalog's FE where nothing calculates.
"""

from __future__ import annotations

from typing import Any

import attrs

from .. import fe_rules
from ..catalog import CatalogProduct, FESource, FlowerEquivalent, InventoryPackage
from ..changes import Change, ManualFERequired, Recalculation
from .context import EngineContext, check, check_belongs
from .required import check_required_fe, check_required_fields


def product_created(context: EngineContext, product: CatalogProduct) -> Recalculation:
    check(product, CatalogProduct, "product")
    if not context.enabled:
        return Recalculation(products=(product,), notes=(str(fe_rules.FEATURE_OFF),))
    check_required_fields(context, product, None)
    changes: list[Change] = []
    manual: list[ManualFERequired] = []
    notes = kept_manual_notes(context, product, product, None)
    new = context.calculate_fields(product, product, context.blank_fields(product), rule=fe_rules.CALC_ON_CREATE,
                                   changes=changes, manual=manual)
    check_required_fe(context, new, new)
    return Recalculation(products=(new,), changes=tuple(changes), manual=tuple(manual), notes=tuple(notes))


def package_received(context: EngineContext, package: InventoryPackage, product: CatalogProduct) -> Recalculation:
    check(package, InventoryPackage, "package")
    check(product, CatalogProduct, "product")
    check_belongs(package, product)
    changes: list[Change] = []
    manual: list[ManualFERequired] = []
    defaults: dict[str, Any] = {}
    for field in ("grams_concentration", "net_weight"):
        if getattr(package, field) is None and getattr(product, field) is not None:
            defaults[field] = getattr(product, field)
            changes.append(Change("package", package.id, field, None, defaults[field],
                                  fe_rules.CATALOG_DEFAULTS, f"from catalog product {product.id}"))
    new = attrs.evolve(package, **defaults) if defaults else package
    notes: list[str] = []
    if context.enabled:
        check_required_fields(context, product, new)
        notes = kept_manual_notes(context, new, product, new)
        new = context.calculate_fields(new, product, context.blank_fields(new), rule=fe_rules.CALC_ON_RECEIVE,
                                       changes=changes, manual=manual)
    else:
        notes.append(str(fe_rules.FEATURE_OFF))
    new, manual = catalog_fe_defaults(context, new, product, changes, manual)
    if context.enabled:
        check_required_fe(context, new, product)
    return Recalculation(products=(product,), packages=(new,), changes=tuple(changes), manual=tuple(manual),
                         notes=tuple(notes))


def catalog_fe_defaults(
    context: EngineContext, package: InventoryPackage, product: CatalogProduct, changes: list[Change],
    manual: list[ManualFERequired],
) -> tuple[InventoryPackage, list[ManualFERequired]]:
    """Blank package FE fields that nothing calculated take the catalog product's value (``catalog_defaults``).

    With the feature on, those are the fields listed as needing a manual value; with it off, every blank one.
    """
    if context.enabled:
        blank = {item.field: item.reason for item in manual if item.record_id == package.id}
    else:
        blank = {field: "" for field, _ in context.blank_fields(package)}
    updates: dict[str, Any] = {}
    for field, reason in blank.items():
        catalog_value: FlowerEquivalent | None = getattr(product, field)
        if catalog_value is None:
            continue
        updates[field] = FlowerEquivalent(catalog_value.amount, FESource.CATALOG_DEFAULT)
        detail = f"catalog product {product.id}'s value" + (f"; {reason}" if reason else "")
        changes.append(Change("package", package.id, field, None, updates[field], fe_rules.CATALOG_DEFAULTS, detail))
    still_manual = [item for item in manual if item.field not in updates]
    return (attrs.evolve(package, **updates) if updates else package), still_manual


def kept_manual_notes(
    context: EngineContext, record: CatalogProduct | InventoryPackage, product: CatalogProduct,
    package: InventoryPackage | None,
) -> list[str]:
    """Notes for FE values typed in with a new record, which are kept over what the definition would give."""
    notes = []
    for field, customer_type in context.settings.fe_fields:
        value: FlowerEquivalent | None = getattr(record, field)
        if value is None:
            continue
        outcome = context.calculate(product, package, customer_type)
        if outcome.value is not None and outcome.value.amount != value.amount:
            notes.append(
                f"{record.kind} {record.id}: {field} {value} entered with the record is kept "
                f"[{fe_rules.MANUAL_OVERRIDE_KEPT.code}]; the definition would give {outcome.value.grams:.6g} g"
            )
    return notes
