"""Catalog product <-> Metrc item links, checked, never guessed (seed 000, "Things to know").

Seed 000: "Item records must be added to Metrc first ... Product names in the Catalog must match Metrc item names
EXACTLY", and "Dutchie can update Item information by saving the Catalog products with Sync to Metrc Item set to
Yes. However, if the name in Dutchie POS ever changes, the connection will be broken."

:func:`check_item_links` compares the catalog with the transport's active items and reports every broken link:

* ``no_metrc_item``: no active item carries the product's name (or its linked item id is not active): the item
  must be added to Metrc first;
* ``case_or_whitespace``: an item's name differs from the product's only by case or whitespace (both shown);
* ``name_differs``: the linked item's name differs otherwise;
* ``renamed``: the product was renamed after it was linked.

:func:`sync_items` sends item updates through the transport for "Sync to Metrc Item" products whose link is
intact; a broken link is reported and skipped. Nothing is ever "fixed" by picking a close name.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..catalog import CatalogProduct
from ..errors import InvalidValueError
from ..tracktrace.errors import TrackAndTraceError
from ..tracktrace.models import Item
from ..tracktrace.protocol import UpdatesItems
from .errors import SEED

__all__ = ["BrokenLink", "ItemLinkReport", "LinkProblem", "ProductLink", "SyncReport", "check_item_links", "sync_items"]

_FIXED_FIELDS = frozenset({"id", "name"})
_ITEM_FIELDS = frozenset(attrs.fields_dict(Item))


class LinkProblem(enum.Enum):
    NO_METRC_ITEM = "no_metrc_item"
    CASE_OR_WHITESPACE = "case_or_whitespace"
    NAME_DIFFERS = "name_differs"
    RENAMED = "renamed"


def _fields(value: Any) -> tuple[tuple[str, Any], ...]:
    if value is None or value == ():
        return ()
    if not isinstance(value, Mapping):
        raise InvalidValueError("item_fields", value, "must be a mapping of Item field names to values")
    for key in value:
        if key not in _ITEM_FIELDS or key in _FIXED_FIELDS:
            raise InvalidValueError(
                "item_fields", key, "must name an Item field other than id and name (a name change breaks the link)"
            )
    return tuple(sorted(value.items()))


@attrs.frozen(slots=True)
class ProductLink:
    """A catalog product and what the POS knows of its Metrc item.

    ``metrc_item_id``/``linked_name``: the item it was linked to and the product's name at that moment (None when
    never linked: the link is then by exact name). ``sync_to_metrc_item``: the product's "Sync to Metrc Item"
    setting; ``item_fields``: the item fields a sync writes (e.g. ``{"unit_weight": 1.0}``).
    """

    product: CatalogProduct
    metrc_item_id: str | None = None
    linked_name: str | None = None
    sync_to_metrc_item: bool = False
    item_fields: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_fields)


@attrs.frozen(slots=True)
class BrokenLink:
    """One broken link: which product, which problem, both names where there are two, and why it matters."""

    product_id: str
    product_name: str
    problem: LinkProblem
    item_id: str | None
    item_name: str | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"product_id": self.product_id, "product_name": self.product_name, "problem": self.problem.value,
                "item_id": self.item_id, "item_name": self.item_name, "detail": self.detail}


@attrs.frozen(slots=True)
class ItemLinkReport:
    """Every broken link (``broken``), and the products whose link is intact, with their item (``intact``)."""

    broken: tuple[BrokenLink, ...]
    intact: tuple[tuple[str, Item], ...]

    @property
    def ok(self) -> bool:
        return not self.broken

    def broken_for(self, product_id: str) -> tuple[BrokenLink, ...]:
        return tuple(b for b in self.broken if b.product_id == product_id)


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _check_one(link: ProductLink, by_id: Mapping[str, Item], by_name: Mapping[str, Item],
               by_folded: Mapping[str, list[Item]]) -> tuple[list[BrokenLink], Item | None]:
    product = link.product
    name = product.name
    found: list[BrokenLink] = []

    def broken(problem: LinkProblem, item: Item | None, detail: str) -> None:
        found.append(BrokenLink(product.id, name, problem, item.id if item else None, item.name if item else None,
                                f"{detail} ({SEED})"))

    if link.linked_name is not None and link.linked_name != name:
        found.append(BrokenLink(
            product.id, name, LinkProblem.RENAMED, link.metrc_item_id, link.linked_name,
            f"the product was renamed from {link.linked_name!r} to {name!r} after it was linked; the connection is "
            f"broken ({SEED})",
        ))
    if link.metrc_item_id is not None:
        item = by_id.get(link.metrc_item_id)
        if item is None:
            broken(LinkProblem.NO_METRC_ITEM, None,
                   f"linked item {link.metrc_item_id!r} is not among the active Metrc items")
            return found, None
    else:
        item = by_name.get(name)
        if item is None:
            near = by_folded.get(_folded(name), [])
            if near:
                for candidate in near:
                    broken(LinkProblem.CASE_OR_WHITESPACE, candidate,
                           f"Metrc item {candidate.name!r} differs from product {name!r} only by case or whitespace; "
                           "names must match exactly")
            else:
                broken(LinkProblem.NO_METRC_ITEM, None,
                       f"no active Metrc item is named {name!r}; add the item to Metrc first")
            return found, None
    if item.name != name:
        if _folded(item.name) == _folded(name):
            broken(LinkProblem.CASE_OR_WHITESPACE, item,
                   f"Metrc item {item.name!r} differs from product {name!r} only by case or whitespace")
        else:
            broken(LinkProblem.NAME_DIFFERS, item, f"Metrc item {item.name!r} does not match product {name!r}")
    return found, (None if found else item)


def check_item_links(links: Iterable[ProductLink], items: Iterable[Item]) -> ItemLinkReport:
    """Compare the catalog's links with the active items (``ListsItems.list_items()``); report every break."""
    active = list(items)
    by_id = {item.id: item for item in active}
    by_name: dict[str, Item] = {}
    by_folded: dict[str, list[Item]] = {}
    for item in active:
        by_name.setdefault(item.name, item)
        by_folded.setdefault(_folded(item.name), []).append(item)
    broken: list[BrokenLink] = []
    intact: list[tuple[str, Item]] = []
    for link in links:
        if not isinstance(link, ProductLink):
            raise InvalidValueError("links", link, "expected ProductLink items")
        problems, linked = _check_one(link, by_id, by_name, by_folded)
        broken.extend(problems)
        if linked is not None:
            intact.append((link.product.id, linked))
    return ItemLinkReport(tuple(broken), tuple(intact))


@attrs.frozen(slots=True)
class SyncReport:
    """``updated``: product ids whose item was updated; ``skipped``: broken links (not sent); ``failed``: typed
    transport errors per product id."""

    updated: tuple[str, ...]
    skipped: tuple[BrokenLink, ...]
    failed: tuple[tuple[str, TrackAndTraceError], ...]


def sync_items(client: UpdatesItems, links: Iterable[ProductLink], items: Iterable[Item]) -> SyncReport:
    """Send item updates for "Sync to Metrc Item" products whose link is intact; skip and report broken ones."""
    chosen = [link for link in links if link.sync_to_metrc_item]
    report = check_item_links(chosen, items)
    intact = dict(report.intact)
    updated: list[str] = []
    failed: list[tuple[str, TrackAndTraceError]] = []
    for link in chosen:
        item = intact.get(link.product.id)
        if item is None:
            continue
        try:
            client.update_item(attrs.evolve(item, **dict(link.item_fields)))
        except TrackAndTraceError as error:
            failed.append((link.product.id, error))
        else:
            updated.append(link.product.id)
    return SyncReport(tuple(updated), report.broken, tuple(failed))
