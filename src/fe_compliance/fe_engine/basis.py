"""What an FE is calculated from: the based-on field of a definition at the catalog or the package level.

A grams/concentration or net-weight definition reads that field of the record. A potency definition reads THC:
the catalog THC content for a product; for a package its lab-result THC, or without lab results the catalog THC
content (``potency_lab_fallback``). A THC percentage becomes a mass through the net weight of the same level
(``thc_percent_via_net_weight``).
"""

from __future__ import annotations

from typing import Any

from .. import fe_rules
from ..catalog import CatalogProduct, InventoryPackage, thc_is_percentage
from ..categories import BasedOn
from ..equivalency import FlowerEquivalencyDefinition
from ..errors import MissingDataError, RequiredFieldError
from ..units import mass_to_grams


def _fmt(quantity: Any) -> str:
    return f"{quantity:~P}"


def thc_source(product: CatalogProduct, package: InventoryPackage | None) -> tuple[Any, str, Any, str]:
    """THC amount, its field name, and the net weight (with name) that turns a percentage into a mass."""
    if package is None:
        return product.thc_content, "thc_content", product.net_weight, "net_weight"
    if package.potency is not None:
        return package.potency, "lab_results.thc", package.net_weight, "net_weight"
    return product.thc_content, "catalog thc_content", package.net_weight, "net_weight"


def based_on_fields(
    definition: FlowerEquivalencyDefinition, product: CatalogProduct, package: InventoryPackage | None
) -> frozenset[str]:
    """The fields whose entry or edit recalculates the FE at this level (the package's when ``package``)."""
    if definition.based_on is BasedOn.GRAMS_CONCENTRATION:
        return frozenset({"grams_concentration"})
    if definition.based_on is BasedOn.NET_WEIGHT:
        return frozenset({"net_weight"})
    thc, _, _, _ = thc_source(product, package)
    fields = {"thc_content"} if package is None else {"lab_results"}
    if thc_is_percentage(thc):
        fields.add("net_weight")
    return frozenset(fields)


BASED_ON_CANDIDATES: dict[str, frozenset[str]] = {
    "product": frozenset({"grams_concentration", "net_weight", "thc_content"}),
    "package": frozenset({"grams_concentration", "net_weight", "lab_results"}),
}
"""The fields of each record kind that some definition could be based on (the union of :func:`based_on_fields`)."""


def based_on_grams(
    definition: FlowerEquivalencyDefinition, product: CatalogProduct, package: InventoryPackage | None
) -> tuple[float, str]:
    """The based-on value in grams for this level, and how it was read. Missing data raises."""
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
    thc, thc_field, weight, weight_field = thc_source(product, package)
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
