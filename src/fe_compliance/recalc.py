"""The flower-equivalency engine: every recalculation rule of ``001_0f6da1db91b12d45.txt`` as a pure operation.

:class:`FlowerEquivalencyEngine` holds what decides a calculation (the LSP's definitions, the product-category
map, one location's settings) and never mutates anything: each operation takes records and returns a
:class:`~fe_compliance.changes.Recalculation` with the new records and one :class:`~fe_compliance.changes.Change`
per field it changed, each naming the rule that made it. Operations that change the definitions return a new
engine as well.

When does a value change?

* created product / received package: blank FE fields calculate (``calc_on_create``, ``calc_on_receive``);
* the based-on field of a definition is entered or edited: that level's FE recalculates, manual or not
  (``calc_on_based_on_edit``); any other edit keeps the FE (``manual_override_kept``, ``pre_existing_preserved``);
* a definition is created: blank FE values of its category fill (``definition_create_fills_blanks``);
* a product with a blank FE moves to a category with a definition: it fills (``reassign_fills_blank``);
* "Apply to Catalog" / "Apply to Inventory": every FE of the category is overwritten (``apply_to_*``);
* editing or deleting a definition, or enabling the feature, changes nothing (``definition_edit_no_effect``,
  ``delete_keeps_values``, ``enable_preserves``).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from . import fe_rules
from .bulk import BulkApplication, apply_definition_bulk
from .catalog import (
    FE_FIELDS,
    CatalogProduct,
    FESource,
    FlowerEquivalent,
    InventoryPackage,
    LabResults,
    thc_is_percentage,
)
from .categories import BasedOn, CustomerType, ProductCategoryMap
from .changes import Change, ManualFERequired, Problem, Recalculation
from .equivalency import DefinitionSet, FlowerEquivalencyDefinition
from .errors import (
    DefinitionNotFoundError,
    FEComplianceError,
    InvalidQuantityError,
    InvalidValueError,
    MissingDataError,
    ReadOnlyFieldError,
    RequiredFieldError,
)
from .explain import Rule
from .permissions import Permission, User, require
from .settings import LocationSettings
from .units import mass_to_grams

__all__ = ["FeatureDisabledError", "FlowerEquivalencyEngine"]

Record = TypeVar("Record", CatalogProduct, InventoryPackage)

_PRODUCT_EDITABLE = frozenset(
    {"name", "product_category", "is_cannabis", "grams_concentration", "net_weight", "thc_content",
     "flower_equivalent", "med_flower_equivalent", "rec_flower_equivalent"}
)
_PACKAGE_EDITABLE = frozenset(
    {"grams_concentration", "net_weight", "lab_results",
     "flower_equivalent", "med_flower_equivalent", "rec_flower_equivalent"}
)


_BASED_ON_CANDIDATES: dict[str, frozenset[str]] = {
    "product": frozenset({"grams_concentration", "net_weight", "thc_content"}),
    "package": frozenset({"grams_concentration", "net_weight", "lab_results"}),
}
"""The fields of each record kind that some definition could be based on (``based_on_fields``)."""


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
class _Outcome:
    """What calculating one FE field gave: a value, or why a person must enter it."""

    value: FlowerEquivalent | None
    detail: str = ""
    manual_reason: str = ""
    manual_rule: Rule | None = None
    error: FEComplianceError | None = None


def _fmt(quantity: Any) -> str:
    return f"{quantity:~P}"


@attrs.frozen(slots=True)
class FlowerEquivalencyEngine:
    """The FE engine of one location: the LSP's shared ``definitions``, its product-category map, and this
    location's ``settings``. Use :meth:`for_location` for the other locations of the same LSP."""

    definitions: DefinitionSet = attrs.field(
        factory=DefinitionSet, validator=lambda _, a, v: _check(v, DefinitionSet, a.name)
    )
    categories: ProductCategoryMap = attrs.field(
        factory=ProductCategoryMap, validator=lambda _, a, v: _check(v, ProductCategoryMap, a.name)
    )
    settings: LocationSettings = attrs.field(
        factory=LocationSettings, validator=lambda _, a, v: _check(v, LocationSettings, a.name)
    )

    # ----------------------------------------------------------------------------------------------- set-up

    def __attrs_post_init__(self) -> None:
        if not self.definitions.aliases.agrees_with(self.categories.aliases):
            # Two tables would resolve a name two ways: a product mapped to "Cartridges" would find no definition
            # stored under "Combined Inhalable", and its notice would name a category nobody wrote.
            raise InvalidValueError(
                "categories.aliases", self.categories.aliases.aliases,
                "the product-category map and the definition set must use the same alias table "
                f"(the definition set's: {dict(self.definitions.aliases.aliases)!r})",
            )


    def for_location(self, settings: LocationSettings) -> FlowerEquivalencyEngine:
        """The engine of another location of the same LSP: same definitions and categories, its own settings."""
        return attrs.evolve(self, settings=settings)

    def enable(self) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Turn "Use Flower Equivalency Definition" on. Every existing FE value is kept (``enable_preserves``);
        values calculate only when a based-on field is edited or a definition is applied."""
        engine = attrs.evolve(self, settings=attrs.evolve(self.settings, use_flower_equivalency_definition=True))
        return engine, Recalculation(notes=(f"{fe_rules.ENABLE_PRESERVES}",))

    # ------------------------------------------------------------------------------------------- resolution

    def limit_category(self, product: CatalogProduct) -> str | None:
        """The purchase-limit category of ``product``, or ``None`` when its category has none."""
        _check(product, CatalogProduct, "product")
        if product.product_category is None:
            return None
        return self.categories.limit_category(product.product_category)

    def definition_for(self, product: CatalogProduct, customer_type: CustomerType) -> FlowerEquivalencyDefinition:
        """The definition that applies to ``product`` for ``customer_type``; a library error says why none does."""
        category = self.limit_category(product)
        if category is None:
            raise MissingDataError(
                "product_category",
                f"product {product.id}'s category {product.product_category!r} has no purchase-limit category; "
                "its flower equivalent must be entered manually",
                value=product.product_category,
            )
        return self.definitions.lookup(category, customer_type)

    def _resolve(
        self, product: CatalogProduct, customer_type: CustomerType
    ) -> tuple[FlowerEquivalencyDefinition | None, str, Rule | None]:
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

    # ------------------------------------------------------------------------------------------ calculation

    @staticmethod
    def _thc_source(
        definition: FlowerEquivalencyDefinition, product: CatalogProduct, package: InventoryPackage | None
    ) -> tuple[Any, str, Any, str]:
        """THC amount, its field name, and the net weight (with name) that turns a percentage into a mass."""
        if package is None:
            return product.thc_content, "thc_content", product.net_weight, "net_weight"
        if package.potency is not None:
            return package.potency, "lab_results.thc", package.net_weight, "net_weight"
        return product.thc_content, "catalog thc_content", package.net_weight, "net_weight"

    def based_on_fields(
        self, definition: FlowerEquivalencyDefinition, product: CatalogProduct, package: InventoryPackage | None
    ) -> frozenset[str]:
        """The fields whose entry or edit recalculates the FE at this level (the package's when ``package``)."""
        _check_level(definition, product, package)
        if definition.based_on is BasedOn.GRAMS_CONCENTRATION:
            return frozenset({"grams_concentration"})
        if definition.based_on is BasedOn.NET_WEIGHT:
            return frozenset({"net_weight"})
        thc, _, _, _ = self._thc_source(definition, product, package)
        fields = {"thc_content"} if package is None else {"lab_results"}
        if thc_is_percentage(thc):
            fields.add("net_weight")
        return frozenset(fields)

    def based_on_grams(
        self, definition: FlowerEquivalencyDefinition, product: CatalogProduct, package: InventoryPackage | None
    ) -> tuple[float, str]:
        """The based-on value in grams for this level, and how it was read. Missing data raises."""
        _check_level(definition, product, package)
        where = f"package {package.id}" if package is not None else f"product {product.id}"
        record: CatalogProduct | InventoryPackage = package if package is not None else product
        if definition.based_on is BasedOn.GRAMS_CONCENTRATION:
            value = record.grams_concentration
            if value is None:
                raise RequiredFieldError(
                    "grams_concentration",
                    f"{where} has no grams/concentration, which a grams-based definition requires "
                    f"[{fe_rules.REQUIRED_GRAMS_CONCENTRATION.citation}]",
                )
            return mass_to_grams(value, field="grams_concentration"), f"grams_concentration {_fmt(value)}"
        if definition.based_on is BasedOn.NET_WEIGHT:
            value = record.net_weight
            if value is None:
                raise MissingDataError("net_weight", f"{where} has no net weight to calculate its FE from")
            return mass_to_grams(value, field="net_weight"), f"net_weight {_fmt(value)}"
        thc, thc_field, weight, weight_field = self._thc_source(definition, product, package)
        if thc is None:
            missing = "no lab-result THC and no catalog THC content" if package is not None else "no THC content"
            raise MissingDataError("thc_content", f"{where} has {missing} to calculate a potency-based FE from")
        if not thc_is_percentage(thc):
            return mass_to_grams(thc, field=thc_field), f"{thc_field} {_fmt(thc)}"
        if weight is None:
            raise MissingDataError(
                weight_field,
                f"{where}'s THC is a percentage ({_fmt(thc)}); a net weight is needed to turn it into a THC mass "
                f"[{fe_rules.THC_PERCENT_VIA_NET_WEIGHT.citation}]",
            )
        weight_grams = mass_to_grams(weight, field=weight_field)
        grams = float(thc.magnitude) / 100.0 * weight_grams
        return grams, f"{thc_field} {_fmt(thc)} of {weight_field} {_fmt(weight)} = {grams:.6g} g THC"

    def _calculate(
        self, product: CatalogProduct, package: InventoryPackage | None, customer_type: CustomerType
    ) -> _Outcome:
        definition, reason, rule = self._resolve(product, customer_type)
        if definition is None:
            return _Outcome(None, manual_reason=reason, manual_rule=rule)
        try:
            grams, how = self.based_on_grams(definition, product, package)
        except FEComplianceError as exc:
            return _Outcome(None, manual_reason=str(exc), manual_rule=fe_rules.RATIO, error=exc)
        fe_grams = definition.flower_equivalent_grams(grams)
        if not math.isfinite(fe_grams):
            record: CatalogProduct | InventoryPackage = package if package is not None else product
            raise InvalidQuantityError(
                str(definition.based_on), grams,
                f"{record.kind} {record.id}: {how} x ratio {definition.ratio:.6g} ({definition.key}) overflows; "
                "no finite flower equivalent",
            )
        detail = f"{how} x ratio {definition.ratio:.6g} ({definition.key}) = {fe_grams:.6g} g"
        return _Outcome(FlowerEquivalent.calculated(fe_grams, definition.key), detail=detail)

    def _fill(
        self,
        record: Record,
        product: CatalogProduct,
        *,
        rule: Rule,
        fields: Iterable[tuple[str, CustomerType]] | None = None,
        only_blank: bool,
        only_definition: FlowerEquivalencyDefinition | None = None,
        changes: list[Change],
        manual: list[ManualFERequired],
    ) -> Record:
        """Calculate the FE fields of ``record`` (a product, or a package of ``product``) and collect changes."""
        package = record if isinstance(record, InventoryPackage) else None
        updates: dict[str, Any] = {}
        for field, customer_type in (fields if fields is not None else self.settings.fe_fields):
            old: FlowerEquivalent | None = getattr(record, field)
            if only_blank and old is not None:
                continue
            if only_definition is not None:
                found, _, _ = self._resolve(product, customer_type)
                if not self._same_definition(found, only_definition):
                    continue
            outcome = self._calculate(product, package, customer_type)
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

    # ------------------------------------------------------------------------------------------ validation

    def validate_product(self, product: CatalogProduct) -> None:
        """Check the fields the settings and the definitions make required; raise :class:`RequiredFieldError`."""
        _check(product, CatalogProduct, "product")
        self._validate(product, None)

    def validate_package(self, package: InventoryPackage, product: CatalogProduct) -> None:
        """:meth:`validate_product` for a package of ``product`` (its package-level fields)."""
        _check(package, InventoryPackage, "package")
        _check(product, CatalogProduct, "product")
        self._validate(product, package)

    def _validate(
        self, product: CatalogProduct, package: InventoryPackage | None, *, only: Iterable[str] | None = None
    ) -> None:
        """Raise for blank required fields; with ``only``, for those among them (the fields an edit touched)."""
        record: CatalogProduct | InventoryPackage = package if package is not None else product
        where = f"{record.kind} {record.id}"
        missing: list[tuple[str, str]] = []
        if self.settings.use_flower_equivalency_definition:
            for _, customer_type in self.settings.fe_fields:
                definition, _, _ = self._resolve(product, customer_type)
                if (definition is not None and definition.based_on is BasedOn.GRAMS_CONCENTRATION
                        and record.grams_concentration is None):
                    missing.append(("grams_concentration", fe_rules.REQUIRED_GRAMS_CONCENTRATION.citation))
                    break
        if product.is_cannabis:
            if self.settings.require_net_weight and record.net_weight is None:
                missing.append(("net_weight", fe_rules.REQUIRED_CONFIGURED.citation))
            if self.settings.require_thc_content and package is None and product.thc_content is None:
                missing.append(("thc_content", fe_rules.REQUIRED_CONFIGURED.citation))
        if only is not None:
            touched = set(only)
            if "product_category" in touched:  # a new category may make grams/concentration required
                touched.add("grams_concentration")
            if "is_cannabis" in touched:  # a product that becomes cannabis needs what cannabis products need
                touched |= {"net_weight", "thc_content"}
            missing = [item for item in missing if item[0] in touched]
        if missing:
            field, citation = missing[0]
            names = ", ".join(name for name, _ in missing)
            error = RequiredFieldError(field, f"{where} is missing required field(s): {names} [{citation}]")
            error.missing = tuple(name for name, _ in missing)  # type: ignore[attr-defined]
            raise error

    def _check_required_fe(
        self, record: CatalogProduct | InventoryPackage, product: CatalogProduct, *, only: Iterable[str] | None = None
    ) -> None:
        """Raise when a required FE field is blank; with ``only``, when one the edit touched is (a cleared FE, or
        every FE field when the record just became a cannabis product)."""
        if not (self.settings.require_flower_equivalent and product.is_cannabis):
            return
        touched = None if only is None else set(only)
        for field, _ in self.settings.fe_fields:
            if touched is not None and field not in touched and "is_cannabis" not in touched:
                continue
            if getattr(record, field) is None:
                raise RequiredFieldError(
                    field,
                    f"{record.kind} {record.id}: {field} is required for cannabis products and could not be "
                    f"calculated; enter it manually [{fe_rules.REQUIRED_CONFIGURED.citation}]",
                )

    # -------------------------------------------------------------------------------------- record triggers

    def product_created(self, product: CatalogProduct) -> Recalculation:
        """A new catalog product: blank FE fields calculate from its catalog-level fields (``calc_on_create``).

        An FE typed in together with the product is kept (a manual value entered over the calculation) and the
        calculated value is shown in a note.
        """
        _check(product, CatalogProduct, "product")
        if not self.settings.use_flower_equivalency_definition:
            return Recalculation(products=(product,), notes=(str(fe_rules.FEATURE_OFF),))
        self.validate_product(product)
        changes: list[Change] = []
        manual: list[ManualFERequired] = []
        notes = self._kept_manual_notes(product, product, None)
        new = self._fill(product, product, rule=fe_rules.CALC_ON_CREATE, only_blank=True,
                         changes=changes, manual=manual)
        self._check_required_fe(new, new)
        return Recalculation(products=(new,), changes=tuple(changes), manual=tuple(manual), notes=tuple(notes))

    def package_received(self, package: InventoryPackage, product: CatalogProduct) -> Recalculation:
        """A received package: blank fields default from the catalog (``catalog_defaults``), then blank FE fields
        calculate from the package-level fields (``calc_on_receive``). Where no FE can be calculated, the catalog's
        FE becomes the package default."""
        _check(package, InventoryPackage, "package")
        _check(product, CatalogProduct, "product")
        _check_belongs(package, product)
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
        if self.settings.use_flower_equivalency_definition:
            self.validate_package(new, product)
            notes = self._kept_manual_notes(new, product, new)
            rule = fe_rules.CALC_ON_RECEIVE
            new = self._fill(new, product, rule=rule, only_blank=True, changes=changes, manual=manual)
        else:
            notes.append(str(fe_rules.FEATURE_OFF))
        new, manual = self._catalog_fe_defaults(new, product, changes, manual)
        if self.settings.use_flower_equivalency_definition:
            self._check_required_fe(new, product)
        return Recalculation(products=(product,), packages=(new,), changes=tuple(changes), manual=tuple(manual),
                             notes=tuple(notes))

    def _catalog_fe_defaults(
        self, package: InventoryPackage, product: CatalogProduct, changes: list[Change],
        manual: list[ManualFERequired],
    ) -> tuple[InventoryPackage, list[ManualFERequired]]:
        """Blank package FE fields that nothing calculated take the catalog product's value (``catalog_defaults``).

        With the feature on, those are the fields listed as needing a manual value; with it off, every blank one.
        """
        if self.settings.use_flower_equivalency_definition:
            blank = {item.field: item.reason for item in manual if item.record_id == package.id}
        else:
            blank = {field: "" for field, _ in self.settings.fe_fields if getattr(package, field) is None}
        updates: dict[str, Any] = {}
        for field, reason in blank.items():
            catalog_value: FlowerEquivalent | None = getattr(product, field)
            if catalog_value is None:
                continue
            updates[field] = FlowerEquivalent(catalog_value.amount, FESource.CATALOG_DEFAULT)
            detail = f"catalog product {product.id}'s value" + (f"; {reason}" if reason else "")
            changes.append(Change("package", package.id, field, None, updates[field], fe_rules.CATALOG_DEFAULTS,
                                  detail))
        still_manual = [item for item in manual if item.field not in updates]
        return (attrs.evolve(package, **updates) if updates else package), still_manual

    def _kept_manual_notes(
        self, record: CatalogProduct | InventoryPackage, product: CatalogProduct, package: InventoryPackage | None
    ) -> list[str]:
        notes = []
        for field, customer_type in self.settings.fe_fields:
            value: FlowerEquivalent | None = getattr(record, field)
            if value is None:
                continue
            outcome = self._calculate(product, package, customer_type)
            if outcome.value is not None and outcome.value.amount != value.amount:
                notes.append(
                    f"{record.kind} {record.id}: {field} {value} entered with the record is kept "
                    f"[{fe_rules.MANUAL_OVERRIDE_KEPT.code}]; the definition would give {outcome.value.grams:.6g} g"
                )
        return notes

    def product_edited(
        self, product: CatalogProduct, changes: Mapping[str, Any], *, packages: Iterable[InventoryPackage] = ()
    ) -> Recalculation:
        """Edit catalog fields and apply every rule the edit triggers.

        Editing a based-on field recalculates the catalog FE (overriding a manual value); an FE field edited
        directly becomes a manual value; a new product category fills blank FE fields (``reassign_fills_blank``,
        for the product and the given ``packages`` of it); editing the catalog THC content recalculates the
        potency-based FE of given packages that have no lab results (``potency_lab_fallback``).
        """
        _check(product, CatalogProduct, "product")
        own_packages = _records(packages, InventoryPackage, "packages")
        for package in own_packages:
            _check_belongs(package, product)
        edited = _checked_edits(changes, _PRODUCT_EDITABLE, "product")
        log: list[Change] = []
        manual: list[ManualFERequired] = []
        notes: list[str] = []
        new, edited_fields = _apply_edits(product, edited, log)
        new_packages = list(own_packages)
        if self.settings.use_flower_equivalency_definition:
            self._validate(new, None, only=edited_fields)
            new = self._after_edit(new, new, None, edited_fields, log, manual)
            if "product_category" in edited_fields:
                new = self._fill(new, new, rule=fe_rules.REASSIGN_FILLS_BLANK, only_blank=True,
                                 changes=log, manual=manual)
                new_packages = [
                    self._fill(p, new, rule=fe_rules.REASSIGN_FILLS_BLANK, only_blank=True, changes=log,
                               manual=manual)
                    for p in new_packages
                ]
            if "thc_content" in edited_fields:
                new_packages = [self._potency_fallback(p, new, log, manual) for p in new_packages]
            self._check_required_fe(new, new, only=edited_fields)
        else:
            notes.append(str(fe_rules.FEATURE_OFF))
        return Recalculation(products=(new,), packages=tuple(new_packages), changes=tuple(log),
                             manual=tuple(manual), notes=tuple(notes))

    def _potency_fallback(
        self, package: InventoryPackage, product: CatalogProduct, log: list[Change], manual: list[ManualFERequired],
    ) -> InventoryPackage:
        """The catalog THC content was edited: it is the based-on value of packages without lab results."""
        if package.potency is not None:
            return package
        fields = []
        for field, customer_type in self.settings.fe_fields:
            definition, _, _ = self._resolve(product, customer_type)
            if definition is not None and definition.based_on is BasedOn.POTENCY:
                fields.append((field, customer_type))
        if not fields:
            return package
        return self._fill(package, product, rule=fe_rules.POTENCY_LAB_FALLBACK, fields=fields, only_blank=False,
                          changes=log, manual=manual)

    def package_edited(
        self, package: InventoryPackage, product: CatalogProduct, changes: Mapping[str, Any]
    ) -> Recalculation:
        """Edit package fields (new ``lab_results`` included) and apply the rules the edit triggers.

        ``potency`` cannot be edited: it is derived from the lab results (``potency_not_editable``).
        """
        _check(package, InventoryPackage, "package")
        _check(product, CatalogProduct, "product")
        _check_belongs(package, product)
        if not isinstance(changes, Mapping):
            raise InvalidValueError("changes", changes, "expected a mapping of field name to new value")
        if "potency" in changes and _same_potency(package, changes["potency"]):
            changes = {field: value for field, value in changes.items() if field != "potency"}
        if "potency" in changes:
            raise ReadOnlyFieldError(
                "potency", changes["potency"],
                f"a package's potency is derived from its lab results and cannot be edited "
                f"[{fe_rules.POTENCY_NOT_EDITABLE.citation}]; record new lab_results instead",
            )
        edited = _checked_edits(changes, _PACKAGE_EDITABLE, "package")
        log: list[Change] = []
        manual: list[ManualFERequired] = []
        notes: list[str] = []
        new, edited_fields = _apply_edits(package, edited, log)
        if self.settings.use_flower_equivalency_definition:
            self._validate(product, new, only=edited_fields)
            new = self._after_edit(new, product, new, edited_fields, log, manual)
            self._check_required_fe(new, product, only=edited_fields)
        else:
            notes.append(str(fe_rules.FEATURE_OFF))
        return Recalculation(products=(product,), packages=(new,), changes=tuple(log), manual=tuple(manual),
                             notes=tuple(notes))

    def _after_edit(
        self, record: Record, product: CatalogProduct, package: InventoryPackage | None,
        edited: frozenset[str], log: list[Change], manual: list[ManualFERequired],
    ) -> Record:
        """Recalculate each FE field whose based-on field was edited, unless the FE itself was edited too."""
        fields = []
        for field, customer_type in self.settings.fe_fields:
            if field in edited:
                continue  # typed in with this edit: a manual value, kept
            definition, reason, rule = self._resolve(product, customer_type)
            if definition is None:
                self._no_definition_notice(record, field, reason, rule, edited, manual)
                continue
            triggers = self.based_on_fields(definition, product, package)
            if triggers & edited:
                fields.append((field, customer_type))
        if not fields:
            return record
        return self._fill(record, product, rule=fe_rules.CALC_ON_BASED_ON_EDIT, fields=fields, only_blank=False,
                          changes=log, manual=manual)

    @staticmethod
    def _no_definition_notice(
        record: CatalogProduct | InventoryPackage, field: str, reason: str, rule: Rule | None,
        edited: frozenset[str], manual: list[ManualFERequired],
    ) -> None:
        """A field a definition could be based on was edited, but no definition applies (it was deleted, or the
        product's category has none): an FE not typed in by a person no longer matches its inputs, so a person
        must enter it, as when a based-on value is cleared. The old value is kept, never zeroed."""
        if not edited & _BASED_ON_CANDIDATES[record.kind]:
            return
        old: FlowerEquivalent | None = getattr(record, field)
        if old is not None and old.source is FESource.MANUAL:
            return  # a person's value is what the seed asks for when nothing calculates
        text = reason if old is None else f"{reason}; kept at {old}"
        manual.append(ManualFERequired(record.kind, record.id, field, text, rule or fe_rules.NO_DEFINITION_MANUAL))

    # ------------------------------------------------------------------------------------ definition changes

    def create_definition(
        self, definition: FlowerEquivalencyDefinition, *, by: User,
        products: Iterable[CatalogProduct] = (), packages: Iterable[InventoryPackage] = (),
    ) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Add a definition; every blank FE it now applies to fills (``definition_create_fills_blanks``)."""
        _check(definition, FlowerEquivalencyDefinition, "definition")
        definitions = self.definitions.added(definition, by=by)
        engine = attrs.evolve(self, definitions=definitions)
        stored = definitions.exact(definition.purchase_limit_category, definition.customer_type)
        assert stored is not None
        return engine, engine._apply(stored, products, packages, rule=fe_rules.DEFINITION_CREATE_FILLS_BLANKS,
                                     only_blank=True, require_feature=False)

    def edit_definition(
        self, definition: FlowerEquivalencyDefinition, *, by: User
    ) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Replace the definition of the same category and customer type. No existing FE changes
        (``definition_edit_no_effect``): use :meth:`apply_to_catalog` / :meth:`apply_to_inventory` for that."""
        _check(definition, FlowerEquivalencyDefinition, "definition")
        engine = attrs.evolve(self, definitions=self.definitions.replaced(definition, by=by))
        return engine, Recalculation(notes=(str(fe_rules.DEFINITION_EDIT_NO_EFFECT),))

    def delete_definition(
        self, category: str, customer_type: CustomerType | str, *, by: User
    ) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Remove a definition. No FE value is removed; it just stops calculating (``delete_keeps_values``)."""
        engine = attrs.evolve(self, definitions=self.definitions.removed(category, customer_type, by=by))
        return engine, Recalculation(notes=(str(fe_rules.DELETE_KEEPS_VALUES),))

    def apply_to_catalog(
        self, category: str, customer_type: CustomerType | str, *, by: User, products: Iterable[CatalogProduct]
    ) -> Recalculation:
        """"Apply to Catalog": overwrite the FE of every product of the category, manual values included."""
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "apply a definition to the catalog")
        definition = self._exact(category, customer_type)
        return self._apply(definition, products, (), rule=fe_rules.APPLY_TO_CATALOG, only_blank=False,
                           require_feature=True, catalog=True, inventory=False)

    def apply_to_inventory(
        self, category: str, customer_type: CustomerType | str, *, by: User,
        packages: Iterable[InventoryPackage], products: Iterable[CatalogProduct],
    ) -> Recalculation:
        """"Apply to Inventory": overwrite the FE of every package of the category. ``products`` are the
        catalog products the packages belong to (their category, and the catalog THC fallback)."""
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "apply a definition to inventory")
        definition = self._exact(category, customer_type)
        return self._apply(definition, products, packages, rule=fe_rules.APPLY_TO_INVENTORY, only_blank=False,
                           require_feature=True, catalog=False, inventory=True)

    def apply_to_inventory_bulk(
        self, category: str, customer_type: CustomerType | str, rows: Iterable[tuple[Hashable, float]], *,
        by: User, field: str | None = None, previous: Mapping[Hashable, float] | None = None,
    ) -> BulkApplication:
        """"Apply to Inventory" for very many packages: ``rows`` of (package id, based-on grams as a float), already
        filtered to the category by the caller. Returns the new (id, FE grams) pairs; change records on demand.

        ``field`` is the FE field written; by default ``flower_equivalent``, or with "Use both Med and Rec" the
        field of the definition's customer type (an All definition then needs ``field`` named).
        """
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "apply a definition to inventory")
        if not self.settings.use_flower_equivalency_definition:
            raise FeatureDisabledError("apply to inventory")
        definition = self._exact(category, customer_type)
        fields = self.fields_using(definition)
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

    def fields_using(self, definition: FlowerEquivalencyDefinition) -> tuple[str, ...]:
        """The FE fields of this location that ``definition`` calculates: those whose customer type resolves to it
        (a medical or recreational definition wins over an All one for its own field)."""
        _check(definition, FlowerEquivalencyDefinition, "definition")
        return tuple(
            field for field, customer_type in self.settings.fe_fields
            if self._same_definition(self.definitions.find(definition.purchase_limit_category, customer_type),
                                     definition)
        )

    def _same_definition(
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

    def _exact(self, category: str, customer_type: CustomerType | str) -> FlowerEquivalencyDefinition:
        kind = CustomerType.parse(customer_type)
        found = self.definitions.exact(category, kind)
        if found is None:
            raise DefinitionNotFoundError(self.definitions.aliases.canonical(category), kind)
        return found

    def _apply(
        self, definition: FlowerEquivalencyDefinition, products: Iterable[CatalogProduct],
        packages: Iterable[InventoryPackage], *, rule: Rule, only_blank: bool, require_feature: bool,
        catalog: bool = True, inventory: bool = True,
    ) -> Recalculation:
        all_products = _records(products, CatalogProduct, "products")
        all_packages = _records(packages, InventoryPackage, "packages")
        if not self.settings.use_flower_equivalency_definition:
            if require_feature:
                raise FeatureDisabledError(rule.code.replace("_", " "))
            return Recalculation(products=all_products, packages=all_packages, notes=(str(fe_rules.FEATURE_OFF),))
        if not self.fields_using(definition):
            # Say so rather than return an empty result that looks like "nothing needed changing".
            return Recalculation(products=all_products, packages=all_packages, notes=(
                f"{definition.key} calculates no FE field at this location (its fields: "
                f"{', '.join(f'{field} from {ct} definitions' for field, ct in self.settings.fe_fields)}); "
                "nothing was changed",))
        by_id = {product.id: product for product in all_products}
        changes: list[Change] = []
        manual: list[ManualFERequired] = []
        problems: list[Problem] = []
        new_products = []
        for product in all_products:
            if catalog and self._in_category(product, definition):
                new_products.append(self._apply_one(product, product, definition, rule, only_blank,
                                                    changes, manual, problems))
            else:
                new_products.append(product)
        new_packages = []
        for package in all_packages:
            owner = by_id.get(package.product_id)
            if owner is None:
                if inventory:
                    problems.append(Problem("package", package.id, MissingDataError(
                        "product_id", f"package {package.id}'s catalog product {package.product_id!r} was not "
                        "given, so its category is unknown", value=package.product_id)))
                new_packages.append(package)
                continue
            if inventory and self._in_category(owner, definition):
                new_packages.append(self._apply_one(package, owner, definition, rule, only_blank,
                                                    changes, manual, problems))
            else:
                new_packages.append(package)
        return Recalculation(products=tuple(new_products), packages=tuple(new_packages), changes=tuple(changes),
                             manual=tuple(manual), problems=tuple(problems))

    def _in_category(self, product: CatalogProduct, definition: FlowerEquivalencyDefinition) -> bool:
        category = self.limit_category(product)
        return category is not None and (
            self.definitions.category_key(category) == self.definitions.category_key(definition.purchase_limit_category)
        )

    def _apply_one(
        self, record: Record, product: CatalogProduct, definition: FlowerEquivalencyDefinition, rule: Rule,
        only_blank: bool, changes: list[Change], manual: list[ManualFERequired], problems: list[Problem],
    ) -> Record:
        local_changes: list[Change] = []
        local_manual: list[ManualFERequired] = []
        try:
            new = self._fill(record, product, rule=rule, only_blank=only_blank, only_definition=definition,
                             changes=local_changes, manual=local_manual)
        except FEComplianceError as exc:  # this record is refused (an FE that overflows); the others go ahead
            problems.append(Problem(record.kind, record.id, exc))
            return record
        # A record the definition cannot calculate keeps its old value and is reported, never zeroed.
        for item in local_manual:
            problems.append(Problem(record.kind, record.id, MissingDataError(item.field, item.reason)))
        changes.extend(local_changes)
        return new

    # ------------------------------------------------------------------------------------------ enforcement

    def limit_flower_equivalent(self, package: InventoryPackage, customer_type: CustomerType | str) -> Any:
        """The FE of ``package`` that counts toward a ``customer_type`` customer's limits, as a Quantity in grams.

        Only package-level values count (``package_fe_for_limits``); a catalog product is refused. A blank value
        raises :class:`MissingDataError`: a sale is never allowed because data was missing.
        """
        if not isinstance(package, InventoryPackage):
            raise InvalidValueError(
                "package", package,
                "only a package's flower equivalent counts for purchase limits "
                f"[{fe_rules.PACKAGE_FE_FOR_LIMITS.citation}]",
            )
        kind = CustomerType.parse(customer_type)
        field = self.settings.field_for(kind)
        value: FlowerEquivalent | None = getattr(package, field)
        if value is None:
            raise MissingDataError(field, f"package {package.id} has no {field}; it cannot be sold against a limit")
        return value.amount


def _check(value: object, kind: type, field: str) -> None:
    if not isinstance(value, kind):
        raise InvalidValueError(field, value, f"expected {kind.__name__}")


def _check_level(definition: object, product: object, package: object) -> None:
    """The arguments of the per-level queries: a definition, a product and (for the package level) a package."""
    _check(definition, FlowerEquivalencyDefinition, "definition")
    _check(product, CatalogProduct, "product")
    if package is not None:
        _check(package, InventoryPackage, "package")


def _records(values: object, kind: type[Record], field: str) -> tuple[Record, ...]:
    """The records of a batch operation, each checked to be a ``kind``."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidValueError(field, values, f"expected an iterable of {kind.__name__} records")
    try:
        records: tuple[Record, ...] = tuple(values)
    except TypeError as exc:  # claims to be iterable but is not (a pint Quantity of a scalar)
        raise InvalidValueError(field, values, f"expected an iterable of {kind.__name__} records") from exc
    for record in records:
        _check(record, kind, field)
    return records


def _same_potency(package: InventoryPackage, value: object) -> bool:
    """Whether ``value`` is the package's potency as it is (sent back with a form: not an edit)."""
    if value is None or package.potency is None:
        return value is None and package.potency is None
    try:
        return bool(LabResults(value).thc == package.potency)
    except FEComplianceError:
        return False


def _check_belongs(package: InventoryPackage, product: CatalogProduct) -> None:
    if package.product_id != product.id:
        raise InvalidValueError(
            "product_id", package.product_id, f"package {package.id} does not belong to product {product.id}"
        )


def _checked_edits(changes: Mapping[str, Any], allowed: frozenset[str], kind: str) -> dict[str, Any]:
    if not isinstance(changes, Mapping):
        raise InvalidValueError("changes", changes, "expected a mapping of field name to new value")
    for field in changes:
        if field not in allowed:
            raise InvalidValueError(field, changes[field], f"not an editable {kind} field")
    return dict(changes)


def _apply_edits(record: Record, edited: Mapping[str, Any], log: list[Change]) -> tuple[Record, frozenset[str]]:
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
        if _same_value(field, old, value):
            unchanged[field] = old  # sent back as it was: keep the old value, source and all
            continue
        changed.append(field)
        rule = fe_rules.MANUAL_OVERRIDE_KEPT if field in FE_FIELDS else _EDIT_RULE
        log.append(Change(record.kind, record.id, field, old, value, rule, "edited by the caller"))
    if unchanged:
        new = attrs.evolve(new, **unchanged)
    return new, frozenset(changed)


def _same_value(field: str, old: Any, new: Any) -> bool:
    """Whether an edit left a field as it was. An FE is compared by its amount, as shown (six significant digits,
    like ``FlowerEquivalent.__str__``), never by its source: the FE a form displayed and sent back unchanged is read
    as a typed-in (manual) value, which is not an edit."""
    if field in FE_FIELDS and isinstance(old, FlowerEquivalent) and isinstance(new, FlowerEquivalent):
        return old.grams == new.grams or f"{old.grams:.6g}" == f"{new.grams:.6g}"
    return bool(old == new)


_EDIT_RULE = Rule(code="edit", summary="a field edited by the caller", source="caller")
