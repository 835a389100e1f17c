"""Required fields (``required_grams_concentration``, ``required_configured``).

Grams/concentration is required when a grams-based definition applies to the record; net weight, THC content and
the FE fields when the location makes them required for cannabis products. On creation every required field is
checked; on an edit only those the edit touched, so an unrelated edit of an old record that lacks them goes ahead.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import fe_rules
from ..catalog import CatalogProduct, InventoryPackage
from ..categories import BasedOn
from ..errors import RequiredFieldError
from .context import EngineContext


def check_required_fields(
    context: EngineContext, product: CatalogProduct, package: InventoryPackage | None, *,
    only: Iterable[str] | None = None,
) -> None:
    """Raise for blank required fields; with ``only``, for those among them (the fields an edit touched)."""
    record: CatalogProduct | InventoryPackage = package if package is not None else product
    where = f"{record.kind} {record.id}"
    settings = context.settings
    missing: list[tuple[str, str]] = []
    if context.enabled:
        for _, customer_type in settings.fe_fields:
            definition, _, _ = context.resolve(product, customer_type)
            if (definition is not None and definition.based_on is BasedOn.GRAMS_CONCENTRATION
                    and record.grams_concentration is None):
                missing.append(("grams_concentration", fe_rules.REQUIRED_GRAMS_CONCENTRATION.citation))
                break
    if product.is_cannabis:
        if settings.require_net_weight and record.net_weight is None:
            missing.append(("net_weight", fe_rules.REQUIRED_CONFIGURED.citation))
        if settings.require_thc_content and package is None and product.thc_content is None:
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


def check_required_fe(
    context: EngineContext, record: CatalogProduct | InventoryPackage, product: CatalogProduct, *,
    only: Iterable[str] | None = None,
) -> None:
    """Raise when a required FE field is blank; with ``only``, when one the edit touched is (a cleared FE, or
    every FE field when the record just became a cannabis product)."""
    if not (context.settings.require_flower_equivalent and product.is_cannabis):
        return
    touched = None if only is None else set(only)
    for field, _ in context.settings.fe_fields:
        if touched is not None and field not in touched and "is_cannabis" not in touched:
            continue
        if getattr(record, field) is None:
            raise RequiredFieldError(
                field,
                f"{record.kind} {record.id}: {field} is required for cannabis products and could not be "
                f"calculated; enter it manually [{fe_rules.REQUIRED_CONFIGURED.citation}]",
            )
