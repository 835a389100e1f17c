"""The flower-equivalency engine: every recalculation rule of ``001_0f6da1db91b12d45.txt`` as a pure operation.

:class:`FlowerEquivalencyEngine` holds what decides a calculation (the LSP's definitions, the product-category
map, one location's settings) and never mutates anything: each operation takes records and returns a
:class:`~fe_compliance.changes.Recalculation` with the new records and one :class:`~fe_compliance.changes.Change`
per field it changed, each naming the rule that made it. Operations that change the definitions return a new
engine as well.

This class is the front door; each operation lives in a module of :mod:`fe_compliance.fe_engine` named for what
it does (its docstring maps every rule code to its module):

* created product / received package: blank FE fields calculate (``fe_engine.creation``);
* edits: the based-on field of a definition entered or edited recalculates that level's FE, manual or not; any
  other edit keeps the FE; a product moved to a category fills blanks (``fe_engine.edits``);
* a definition created fills blank values of its category; edited or deleted changes nothing; enabling the
  feature changes nothing (``fe_engine.definitions``);
* "Apply to Catalog" / "Apply to Inventory" overwrite every FE of the category (``fe_engine.applying``);
* the FE counted toward a customer's limits (``fe_engine.selling``);
* what an FE is calculated from (``fe_engine.basis``), required fields (``fe_engine.required``), and which
  definition applies (``fe_engine.context``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import attrs

from .bulk import BulkApplication
from .catalog import CatalogProduct, InventoryPackage
from .categories import CustomerType, ProductCategoryMap
from .changes import Recalculation
from .equivalency import DefinitionSet, FlowerEquivalencyDefinition
from .errors import DefinitionNotFoundError, InvalidValueError, MissingDataError
from .fe_engine import applying, basis, creation, definitions, edits, selling
from .fe_engine.context import EngineContext, FeatureDisabledError, check, check_level
from .fe_engine.required import check_required_fields
from .permissions import Permission, User, require
from .settings import LocationSettings

__all__ = ["FeatureDisabledError", "FlowerEquivalencyEngine"]


@attrs.frozen(slots=True)
class FlowerEquivalencyEngine:
    """The FE engine of one location: the LSP's shared ``definitions``, its product-category map, and this
    location's ``settings``. Use :meth:`for_location` for the other locations of the same LSP."""

    definitions: DefinitionSet = attrs.field(
        factory=DefinitionSet, validator=lambda _, a, v: check(v, DefinitionSet, a.name)
    )
    categories: ProductCategoryMap = attrs.field(
        factory=ProductCategoryMap, validator=lambda _, a, v: check(v, ProductCategoryMap, a.name)
    )
    settings: LocationSettings = attrs.field(
        factory=LocationSettings, validator=lambda _, a, v: check(v, LocationSettings, a.name)
    )
    _context: EngineContext = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not self.definitions.aliases.agrees_with(self.categories.aliases):
            # Two tables would resolve a name two ways: a product mapped to "Cartridges" would find no definition
            # stored under "Combined Inhalable", and its notice would name a category nobody wrote.
            raise InvalidValueError(
                "categories.aliases", self.categories.aliases.aliases,
                "the product-category map and the definition set must use the same alias table "
                f"(the definition set's: {dict(self.definitions.aliases.aliases)!r})",
            )
        object.__setattr__(self, "_context", EngineContext(self.definitions, self.categories, self.settings))

    # ----------------------------------------------------------------------------------------------- set-up

    def for_location(self, settings: LocationSettings) -> FlowerEquivalencyEngine:
        """The engine of another location of the same LSP: same definitions and categories, its own settings."""
        return attrs.evolve(self, settings=settings)

    def enable(self) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Turn "Use Flower Equivalency Definition" on. Every existing FE value is kept (``enable_preserves``);
        values calculate only when a based-on field is edited or a definition is applied."""
        settings, result = definitions.enable(self.settings)
        return attrs.evolve(self, settings=settings), result

    # ------------------------------------------------------------------------------------------- resolution

    def limit_category(self, product: CatalogProduct) -> str | None:
        """The purchase-limit category of ``product``, or ``None`` when its category has none."""
        check(product, CatalogProduct, "product")
        return self._context.limit_category(product)

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

    def based_on_fields(
        self, definition: FlowerEquivalencyDefinition, product: CatalogProduct, package: InventoryPackage | None
    ) -> frozenset[str]:
        """The fields whose entry or edit recalculates the FE at this level (the package's when ``package``)."""
        check_level(definition, product, package)
        return basis.based_on_fields(definition, product, package)

    def based_on_grams(
        self, definition: FlowerEquivalencyDefinition, product: CatalogProduct, package: InventoryPackage | None
    ) -> tuple[float, str]:
        """The based-on value in grams for this level, and how it was read. Missing data raises."""
        check_level(definition, product, package)
        return basis.based_on_grams(definition, product, package)

    def fields_using(self, definition: FlowerEquivalencyDefinition) -> tuple[str, ...]:
        """The FE fields of this location that ``definition`` calculates: those whose customer type resolves to it
        (a medical or recreational definition wins over an All one for its own field). Definitions are matched
        by category and customer type, never by identity."""
        check(definition, FlowerEquivalencyDefinition, "definition")
        return self._context.fields_using(definition)

    # ------------------------------------------------------------------------------------------ validation

    def validate_product(self, product: CatalogProduct) -> None:
        """Check the fields the settings and the definitions make required; raise :class:`RequiredFieldError`."""
        check(product, CatalogProduct, "product")
        check_required_fields(self._context, product, None)

    def validate_package(self, package: InventoryPackage, product: CatalogProduct) -> None:
        """:meth:`validate_product` for a package of ``product`` (its package-level fields)."""
        check(package, InventoryPackage, "package")
        check(product, CatalogProduct, "product")
        check_required_fields(self._context, product, package)

    # -------------------------------------------------------------------------------------- record triggers

    def product_created(self, product: CatalogProduct) -> Recalculation:
        """A new catalog product: blank FE fields calculate from its catalog-level fields (``calc_on_create``).

        An FE typed in together with the product is kept (a manual value entered over the calculation) and the
        calculated value is shown in a note.
        """
        return creation.product_created(self._context, product)

    def package_received(self, package: InventoryPackage, product: CatalogProduct) -> Recalculation:
        """A received package: blank fields default from the catalog (``catalog_defaults``), then blank FE fields
        calculate from the package-level fields (``calc_on_receive``). Where no FE can be calculated, the catalog's
        FE becomes the package default."""
        return creation.package_received(self._context, package, product)

    def product_edited(
        self, product: CatalogProduct, changes: Mapping[str, Any], *, packages: Iterable[InventoryPackage] = ()
    ) -> Recalculation:
        """Edit catalog fields and apply every rule the edit triggers.

        Editing a based-on field recalculates the catalog FE (overriding a manual value); an FE field edited
        directly becomes a manual value; a new product category fills blank FE fields (``reassign_fills_blank``,
        for the product and the given ``packages`` of it); editing the catalog THC content recalculates the
        potency-based FE of given packages that have no lab results (``potency_lab_fallback``).
        """
        return edits.product_edited(self._context, product, changes, packages)

    def package_edited(
        self, package: InventoryPackage, product: CatalogProduct, changes: Mapping[str, Any]
    ) -> Recalculation:
        """Edit package fields (new ``lab_results`` included) and apply the rules the edit triggers.

        ``potency`` cannot be edited: it is derived from the lab results (``potency_not_editable``); the
        potency sent back unchanged is not an edit.
        """
        return edits.package_edited(self._context, package, product, changes)

    # ------------------------------------------------------------------------------------ definition changes

    def create_definition(
        self, definition: FlowerEquivalencyDefinition, *, by: User,
        products: Iterable[CatalogProduct] = (), packages: Iterable[InventoryPackage] = (),
    ) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Add a definition; every blank FE it now applies to fills (``definition_create_fills_blanks``)."""
        new_definitions, result = definitions.create_definition(self._context, definition, by, products, packages)
        return attrs.evolve(self, definitions=new_definitions), result

    def edit_definition(
        self, definition: FlowerEquivalencyDefinition, *, by: User
    ) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Replace the definition of the same category and customer type. No existing FE changes
        (``definition_edit_no_effect``): use :meth:`apply_to_catalog` / :meth:`apply_to_inventory` for that."""
        new_definitions, result = definitions.edit_definition(self._context, definition, by)
        return attrs.evolve(self, definitions=new_definitions), result

    def delete_definition(
        self, category: str, customer_type: CustomerType | str, *, by: User
    ) -> tuple[FlowerEquivalencyEngine, Recalculation]:
        """Remove a definition. No FE value is removed; it just stops calculating (``delete_keeps_values``)."""
        new_definitions, result = definitions.delete_definition(self._context, category, customer_type, by)
        return attrs.evolve(self, definitions=new_definitions), result

    # ---------------------------------------------------------------------------------------------- Apply

    def apply_to_catalog(
        self, category: str, customer_type: CustomerType | str, *, by: User, products: Iterable[CatalogProduct]
    ) -> Recalculation:
        """"Apply to Catalog": overwrite the FE of every product of the category, manual values included."""
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "apply a definition to the catalog")
        definition = self._exact(category, customer_type)
        self._require_feature("apply to catalog")
        return applying.apply_definition(self._context, definition, products, (), applying.APPLY_TO_CATALOG)

    def apply_to_inventory(
        self, category: str, customer_type: CustomerType | str, *, by: User,
        packages: Iterable[InventoryPackage], products: Iterable[CatalogProduct],
    ) -> Recalculation:
        """"Apply to Inventory": overwrite the FE of every package of the category. ``products`` are the
        catalog products the packages belong to (their category, and the catalog THC fallback)."""
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "apply a definition to inventory")
        definition = self._exact(category, customer_type)
        self._require_feature("apply to inventory")
        return applying.apply_definition(self._context, definition, products, packages, applying.APPLY_TO_INVENTORY)

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
        self._require_feature("apply to inventory")
        definition = self._exact(category, customer_type)
        return applying.apply_to_inventory_bulk(self._context, definition, rows, field=field, previous=previous)

    def _exact(self, category: str, customer_type: CustomerType | str) -> FlowerEquivalencyDefinition:
        kind = CustomerType.parse(customer_type)
        found = self.definitions.exact(category, kind)
        if found is None:
            raise DefinitionNotFoundError(self.definitions.aliases.canonical(category), kind)
        return found

    def _require_feature(self, operation: str) -> None:
        if not self.settings.use_flower_equivalency_definition:
            raise FeatureDisabledError(operation)

    # ------------------------------------------------------------------------------------------ enforcement

    def limit_flower_equivalent(self, package: InventoryPackage, customer_type: CustomerType | str) -> Any:
        """The FE of ``package`` that counts toward a ``customer_type`` customer's limits, as a Quantity in grams.

        Only package-level values count (``package_fe_for_limits``); a catalog product is refused, and so is a
        customer type the location's one FE field was not calculated for. A blank value raises
        :class:`MissingDataError`: a sale is never allowed because data was missing.
        """
        return selling.limit_flower_equivalent(self._context, package, customer_type)
