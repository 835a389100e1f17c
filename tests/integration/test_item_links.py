"""The item-link report over a catalog with each kind of broken link, against the fake Metrc's active items, and
item sync only through intact links (seed 000: names must match exactly; a rename breaks the connection)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fe_compliance.catalog import CatalogProduct
from fe_compliance.errors import InvalidValueError
from fe_compliance.integration import MassCIPSettings
from fe_compliance.integration.item_links import LinkProblem, ProductLink, check_item_links, sync_items
from fe_compliance.testing.fake_metrc import FakeMetrc
from fe_compliance.tracktrace import Item

from .helpers import ALICE_KEY, LICENSE, fake_metrc, make_integration


@pytest.fixture
def fake() -> Iterator[FakeMetrc]:
    with fake_metrc() as server:
        for name in ("Blue Dream 3.5g", "Sour Diesel  1g", "Gummies 10mg", "Old Name Tincture", "Pre-Roll 1g"):
            server.add_item(LICENSE, {"Name": name, "ProductCategoryName": "Buds", "QuantityType": "CountBased",
                                      "UnitOfMeasureName": "Each"})
        yield server


def product(pid: str, name: str) -> CatalogProduct:
    return CatalogProduct(id=pid, name=name, product_category="Flower")


def item_id(items: list[Item], name: str) -> str:
    return next(item.id for item in items if item.name == name)


def test_report_names_every_kind_of_broken_link(fake: FakeMetrc) -> None:
    with make_integration(fake, MassCIPSettings(), {"alice": ALICE_KEY}) as integration:
        items = integration.client_for("alice", LICENSE)[1].list_items()  # type: ignore[attr-defined]
    links = [
        ProductLink(product("p-ok", "Blue Dream 3.5g")),                               # exact: intact
        ProductLink(product("p-missing", "Northern Lights 7g")),                       # no Metrc item yet
        ProductLink(product("p-case", "sour diesel 1g")),                              # case/whitespace only
        ProductLink(product("p-differs", "Gummies 10 mg Watermelon"),
                    metrc_item_id=item_id(items, "Gummies 10mg")),                     # linked, name differs
        ProductLink(product("p-renamed", "New Name Tincture"), metrc_item_id=item_id(items, "Old Name Tincture"),
                    linked_name="Old Name Tincture"),                                  # renamed after linking
    ]
    report = check_item_links(links, items)
    kinds = {(b.product_id, b.problem) for b in report.broken}
    assert ("p-missing", LinkProblem.NO_METRC_ITEM) in kinds
    assert ("p-case", LinkProblem.CASE_OR_WHITESPACE) in kinds
    assert ("p-differs", LinkProblem.NAME_DIFFERS) in kinds
    assert ("p-renamed", LinkProblem.RENAMED) in kinds
    assert not report.broken_for("p-ok") and dict(report.intact)["p-ok"].name == "Blue Dream 3.5g"
    case = report.broken_for("p-case")[0]
    assert (case.product_name, case.item_name) == ("sour diesel 1g", "Sour Diesel  1g"), "both names shown"
    renamed = report.broken_for("p-renamed")[0]
    assert renamed.item_name == "Old Name Tincture" and "000_ccfae62b51cd6f41" in renamed.detail
    assert {p for p, _ in report.intact} == {"p-ok"}, "no broken product counts as linked"


def test_sync_updates_only_intact_links_and_never_guesses(fake: FakeMetrc) -> None:
    with make_integration(fake, MassCIPSettings(), {"alice": ALICE_KEY}) as integration:
        client = integration.client_for("alice", LICENSE)[1]
        items = client.list_items()  # type: ignore[attr-defined]
        links = [
            ProductLink(product("p-ok", "Blue Dream 3.5g"), sync_to_metrc_item=True,
                        item_fields={"serving_size": "1"}),
            ProductLink(product("p-case", "PRE-ROLL 1g"), sync_to_metrc_item=True, item_fields={"serving_size": "2"}),
            ProductLink(product("p-nosync", "Gummies 10mg"), sync_to_metrc_item=False,
                        item_fields={"serving_size": "3"}),
        ]
        fake.clear_requests()
        report = sync_items(client, links, items)  # type: ignore[arg-type]
    assert report.updated == ("p-ok",) and report.failed == ()
    assert [b.product_id for b in report.skipped] == ["p-case"]
    writes = [r for r in fake.requests if r.method in ("POST", "PUT")]
    assert len(writes) == 1 and [entry["Name"] for entry in writes[0].json()] == ["Blue Dream 3.5g"]
    stored = {item["Name"]: item for item in fake.items(LICENSE)}
    assert "Pre-Roll 1g" in stored and stored["Pre-Roll 1g"].get("ServingSize") != "2", "a broken link is not fixed"


def test_a_sync_may_not_change_the_name() -> None:
    with pytest.raises(InvalidValueError):
        ProductLink(product("p", "A"), item_fields={"name": "B"})
