"""Edits of catalog products and packages, and the rules they trigger.

* an edit that changes the based-on field of a definition recalculates that level's FE, manual or not
  (``calc_on_based_on_edit``); any other edit keeps the FE (``manual_override_kept``, ``pre_existing_preserved``);
* an FE field edited directly becomes a manual value (``manual_override_kept``);
* a product moved to a category with a definition fills its blank FE fields, and those of the packages given
  (``reassign_fills_blank``);
* a new catalog THC content recalculates the potency-based FE of the given packages without lab results
  (``potency_lab_fallback``);
* a package's potency comes from its lab results and cannot be edited (``potency_not_editable``).

A field counts as edited only when its value changes: a POS sends whole forms back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .. import fe_rules
from ..catalog import FE_FIELDS, CatalogProduct, FESource, FlowerEquivalent, InventoryPackage, LabResults
from ..categories import BasedOn
from ..changes import Change, ManualFERequired, Recalculation
from ..errors import FEComplianceError, InvalidValueError, ReadOnlyFieldError
from ..explain import Rule
from .basis import BASED_ON_CANDIDATES, based_on_fields
from .context import EngineContext, FieldList, Record, check, check_belongs, checked_records
from .required import check_required_fe, check_required_fields

PRODUCT_EDITABLE = frozenset(
    {"name", "product_category", "is_cannabis", "grams_concentration", "net_weight", "thc_content",
     "flower_equivalent", "med_flower_equivalent", "rec_flower_equivalent"}
)
PACKAGE_EDITABLE = frozenset(
    {"grams_concentration", "net_weight", "lab_results",
     "flower_equivalent", "med_flower_equivalent", "rec_flower_equivalent"}
)
EDIT_RULE = Rule(code="edit", summary="a field edited by the caller", source="caller")


def product_edited(
    context: EngineContext, product: CatalogProduct, changes: Mapping[str, Any], packages: Iterable[InventoryPackage]
) -> Recalculation:
    check(product, CatalogProduct, "product")
    own_packages = checked_records(packages, InventoryPackage, "packages")
    for package in own_packages:
        check_belongs(package, product)
    edited = checked_edits(changes, PRODUCT_EDITABLE, "product")
    log: list[Change] = []
    manual: list[ManualFERequired] = []
    notes: list[str] = []
    new, edited_fields = apply_edits(product, edited, log)
    new_packages = list(own_packages)
    if context.enabled:
        check_required_fields(context, new, None, only=edited_fields)
        new = recalculate_after_edit(context, new, new, None, edited_fields, log, manual)
        if "product_category" in edited_fields:
            new = context.calculate_fields(new, new, context.blank_fields(new), rule=fe_rules.REASSIGN_FILLS_BLANK,
                                           changes=log, manual=manual)
            new_packages = [
                context.calculate_fields(p, new, context.blank_fields(p), rule=fe_rules.REASSIGN_FILLS_BLANK,
                                         changes=log, manual=manual)
                for p in new_packages
            ]
        if "thc_content" in edited_fields:
            new_packages = [potency_fallback(context, p, new, log, manual) for p in new_packages]
        check_required_fe(context, new, new, only=edited_fields)
    else:
        notes.append(str(fe_rules.FEATURE_OFF))
    return Recalculation(products=(new,), packages=tuple(new_packages), changes=tuple(log),
                         manual=tuple(manual), notes=tuple(notes))


def package_edited(
    context: EngineContext, package: InventoryPackage, product: CatalogProduct, changes: Mapping[str, Any]
) -> Recalculation:
    check(package, InventoryPackage, "package")
    check(product, CatalogProduct, "product")
    check_belongs(package, product)
    if not isinstance(changes, Mapping):
        raise InvalidValueError("changes", changes, "expected a mapping of field name to new value")
    if "potency" in changes and same_potency(package, changes["potency"]):
        changes = {field: value for field, value in changes.items() if field != "potency"}
    if "potency" in changes:
        raise ReadOnlyFieldError(
            "potency", changes["potency"],
            f"a package's potency is derived from its lab results and cannot be edited "
            f"[{fe_rules.POTENCY_NOT_EDITABLE.citation}]; record new lab_results instead",
        )
    edited = checked_edits(changes, PACKAGE_EDITABLE, "package")
    log: list[Change] = []
    manual: list[ManualFERequired] = []
    notes: list[str] = []
    new, edited_fields = apply_edits(package, edited, log)
    if context.enabled:
        check_required_fields(context, product, new, only=edited_fields)
        new = recalculate_after_edit(context, new, product, new, edited_fields, log, manual)
        check_required_fe(context, new, product, only=edited_fields)
    else:
        notes.append(str(fe_rules.FEATURE_OFF))
    return Recalculation(products=(product,), packages=(new,), changes=tuple(log), manual=tuple(manual),
                         notes=tuple(notes))


def recalculate_after_edit(
    context: EngineContext, record: Record, product: CatalogProduct, package: InventoryPackage | None,
    edited: frozenset[str], log: list[Change], manual: list[ManualFERequired],
) -> Record:
    """Recalculate each FE field whose based-on field was edited, unless the FE itself was edited too
    (``calc_on_based_on_edit``)."""
    fields: FieldList = []
    for field, customer_type in context.settings.fe_fields:
        if field in edited:
            continue  # typed in with this edit: a manual value, kept
        definition, reason, rule = context.resolve(product, customer_type)
        if definition is None:
            no_definition_notice(record, field, reason, rule, edited, manual)
            continue
        if based_on_fields(definition, product, package) & edited:
            fields = [*fields, (field, customer_type)]
    if not fields:
        return record
    return context.calculate_fields(record, product, fields, rule=fe_rules.CALC_ON_BASED_ON_EDIT, changes=log,
                                    manual=manual)


def no_definition_notice(
    record: CatalogProduct | InventoryPackage, field: str, reason: str, rule: Rule | None,
    edited: frozenset[str], manual: list[ManualFERequired],
) -> None:
    """A field a definition could be based on was edited, but no definition applies (it was deleted, or the
    product's category has none): an FE not typed in by a person no longer matches its inputs, so a person must
    enter it, as when a based-on value is cleared. The old value is kept, never zeroed."""
    if not edited & BASED_ON_CANDIDATES[record.kind]:
        return
    old: FlowerEquivalent | None = getattr(record, field)
    if old is not None and old.source is FESource.MANUAL:
        return  # a person's value is what the seed asks for when nothing calculates
    text = reason if old is None else f"{reason}; kept at {old}"
    manual.append(ManualFERequired(record.kind, record.id, field, text, rule or fe_rules.NO_DEFINITION_MANUAL))


def potency_fallback(
    context: EngineContext, package: InventoryPackage, product: CatalogProduct, log: list[Change],
    manual: list[ManualFERequired],
) -> InventoryPackage:
    """The catalog THC content was edited: it is the based-on value of packages without lab results."""
    if package.potency is not None:
        return package
    fields = []
    for field, customer_type in context.settings.fe_fields:
        definition, _, _ = context.resolve(product, customer_type)
        if definition is not None and definition.based_on is BasedOn.POTENCY:
            fields.append((field, customer_type))
    if not fields:
        return package
    return context.calculate_fields(package, product, fields, rule=fe_rules.POTENCY_LAB_FALLBACK, changes=log,
                                    manual=manual)


def checked_edits(changes: Mapping[str, Any], allowed: frozenset[str], kind: str) -> dict[str, Any]:
    if not isinstance(changes, Mapping):
        raise InvalidValueError("changes", changes, "expected a mapping of field name to new value")
    for field in changes:
        if field not in allowed:
            raise InvalidValueError(field, changes[field], f"not an editable {kind} field")
    return dict(changes)


def apply_edits(record: Record, edited: Mapping[str, Any], log: list[Change]) -> tuple[Record, frozenset[str]]:
    """The edited record and the fields whose value the edit changed.

    Only those count as edited. A POS that sends the whole form back sends unchanged fields too: an unchanged
    grams/concentration must not wipe a manual FE, and an unchanged FE sent along with a new grams/concentration
    must not block the recalculation (it would leave a calculated FE that no longer matches its input).
    """
    new = attrs.evolve(record, **edited)
    changed = []
    unchanged: dict[str, Any] = {}
    for field in edited:
        old, value = getattr(record, field), getattr(new, field)
        if same_value(field, old, value):
            unchanged[field] = old  # sent back as it was: keep the old value, source and all
            continue
        changed.append(field)
        rule = fe_rules.MANUAL_OVERRIDE_KEPT if field in FE_FIELDS else EDIT_RULE
        log.append(Change(record.kind, record.id, field, old, value, rule, "edited by the caller"))
    if unchanged:
        new = attrs.evolve(new, **unchanged)
    return new, frozenset(changed)


def same_value(field: str, old: Any, new: Any) -> bool:
    """Whether an edit left a field as it was. An FE is compared by its amount, as shown (six significant digits,
    like ``FlowerEquivalent.__str__``), never by its source: the FE a form displayed and sent back unchanged is read
    as a typed-in (manual) value, which is not an edit."""
    if field in FE_FIELDS and isinstance(old, FlowerEquivalent) and isinstance(new, FlowerEquivalent):
        return old.grams == new.grams or f"{old.grams:.6g}" == f"{new.grams:.6g}"
    return bool(old == new)


def same_potency(package: InventoryPackage, value: object) -> bool:
    """Whether ``value`` is the package's potency as it is (sent back with a form: not an edit)."""
    if value is None or package.potency is None:
        return value is None and package.potency is None
    try:
        return bool(LabResults(value).thc == package.potency)
    except FEComplianceError:
        return False
