"""Shared builders for the FE engine tests: a small LSP with a few categories and definitions."""

from __future__ import annotations

from fe_compliance import (
    BasedOn,
    CatalogProduct,
    CustomerType,
    DefinitionSet,
    FlowerEquivalencyDefinition,
    FlowerEquivalencyEngine,
    InventoryPackage,
    LocationSettings,
    Permission,
    ProductCategoryMap,
    User,
)

ADMIN = User.with_all_permissions("admin")
VIEWER = User("viewer", frozenset({Permission.VIEW_FLOWER_EQUIVALENCY_DEFINITION}))
NOBODY = User("cashier")

CATEGORIES = ProductCategoryMap(
    {
        "Gummies": "Solid Edible",
        "Vape Carts": "Cartridges",  # a state's name for Combined Inhalable
        "Bulk Flower": "Flower",
        "Infused Tops": "Topical Infused",
        "Accessories": None,
    }
)


def solid_edible(customer_type: CustomerType = CustomerType.ALL, flower: str = "1 oz") -> FlowerEquivalencyDefinition:
    return FlowerEquivalencyDefinition(
        purchase_limit_category="Solid Edible",
        customer_type=customer_type,
        based_on=BasedOn.GRAMS_CONCENTRATION,
        category_amount="16 oz",
        equivalent_flower_amount=flower,
    )


def inhalable_potency() -> FlowerEquivalencyDefinition:
    # 8 g of THC in concentrate counts as 1 oz of flower (shape of CO's rule; numbers for the test only)
    return FlowerEquivalencyDefinition(
        purchase_limit_category="Combined Inhalable",
        customer_type=CustomerType.ALL,
        based_on=BasedOn.POTENCY,
        category_amount="8 g",
        equivalent_flower_amount="28 g",
    )


def topical_net_weight() -> FlowerEquivalencyDefinition:
    return FlowerEquivalencyDefinition(
        purchase_limit_category="Topical Infused",
        customer_type=CustomerType.ALL,
        based_on=BasedOn.NET_WEIGHT,
        category_amount="100 g",
        equivalent_flower_amount="10 g",
    )


def engine(
    *definitions: FlowerEquivalencyDefinition, settings: LocationSettings | None = None
) -> FlowerEquivalencyEngine:
    chosen = definitions or (solid_edible(), inhalable_potency(), topical_net_weight())
    return FlowerEquivalencyEngine(DefinitionSet(chosen), CATEGORIES, settings or LocationSettings())


def gummy(**fields: object) -> CatalogProduct:
    base: dict[str, object] = {"id": "P1", "product_category": "Gummies", "grams_concentration": "10 g"}
    base.update(fields)
    return CatalogProduct(**base)  # type: ignore[arg-type]


def cart(**fields: object) -> CatalogProduct:
    base: dict[str, object] = {"id": "P2", "product_category": "Vape Carts", "thc_content": "800 mg"}
    base.update(fields)
    return CatalogProduct(**base)  # type: ignore[arg-type]


def package(product: CatalogProduct, package_id: str = "K1", **fields: object) -> InventoryPackage:
    return InventoryPackage(id=package_id, product_id=product.id, **fields)  # type: ignore[arg-type]
