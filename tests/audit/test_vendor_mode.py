"""``fe-compliance audit --vendor``: grams from the vendor's chain, mapped by the basis table, traces in violations."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from fe_compliance.audit.vendor import BASIS_FIELDS
from fe_compliance.cli import main
from fe_compliance.greencheck.result import Basis


def _line(tid: str, line_id: str, at: str, product: dict[str, Any], sale_line: dict[str, Any],
          **extra: Any) -> str:
    record = {"customer": "r1", "transaction_id": tid, "line_id": line_id, "kind": "sale", "sold_at": at,
              "category": "Flower", "metrc_category": "", "customer_type": "recreational", "product": product,
              "sale_line": sale_line, **extra}
    return json.dumps(record) + "\n"


def _run(path: Path, *more: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = main(["audit", str(path), "--state", "MA", "--vendor", "dutchie", "--json", "--quiet", *more],
                out=out, err=io.StringIO())
    return code, json.loads(out.getvalue())


def test_every_basis_has_an_entry() -> None:
    assert set(BASIS_FIELDS) == {b.value for b in Basis}
    assert BASIS_FIELDS["flower_equivalent"] == ("fe_grams",)
    assert "fe_grams" not in BASIS_FIELDS["product_weight"]  # a weight is never taken as a flower equivalent


def test_vendor_grams_count_and_violations_carry_the_trace(tmp_path: Path) -> None:
    path = tmp_path / "dutchie.jsonl"
    path.write_text(
        _line("T1", "1", "2024-06-02T10:00:00-04:00", {}, {"flowerEquivalent": 20, "flowerEquivalentUnit": "g",
                                                            "quantity": 1})
        + _line("T2", "1", "2024-06-02T11:00:00-04:00", {}, {"flowerEquivalent": 5, "flowerEquivalentUnit": "g",
                                                             "quantity": 2}),
        encoding="utf-8",
    )
    code, report = _run(path)
    assert code == 1
    (violation,) = report["violations"]
    assert violation["code"] == "ma_rec_daily" and violation["used"] == 20.0 and violation["requested"] == 10.0
    (trace,) = violation["traces"]
    assert trace[0].startswith("line '1' (dutchie): 10 g as flower_equivalent -> fe_grams")
    assert any("flowerEquivalent" in step for step in trace)
    assert report["summary"]["options"]["vendor"] == "dutchie"


def test_a_line_without_grams_is_a_bad_row_never_zero(tmp_path: Path) -> None:
    path = tmp_path / "dutchie.jsonl"
    path.write_text(
        _line("T1", "1", "2024-06-02T10:00:00-04:00", {}, {"flowerEquivalent": 25, "flowerEquivalentUnit": "g",
                                                            "quantity": 1})
        + _line("T2", "1", "2024-06-02T11:00:00-04:00", {}, {"quantity": 1}),
        encoding="utf-8",
    )
    code, report = _run(path)
    assert code == 2
    (bad,) = report["summary"]["bad_row_list"]
    assert bad["line"] == 2 and "dutchie" in bad["error"]


def test_product_weight_feeds_what_the_rule_reads(tmp_path: Path) -> None:
    # MA adult-use flower without a package FE counts its grams/concentration (by weight): 30 g of product weight
    path = tmp_path / "dutchie.jsonl"
    path.write_text(_line("T1", "1", "2024-06-02T10:00:00-04:00", {"productGrams": 30}, {"quantity": 1}),
                    encoding="utf-8")
    code, report = _run(path)
    assert code == 1 and report["violations"][0]["requested"] == pytest.approx(30.0)


def test_an_unknown_vendor_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("", encoding="utf-8")
    assert main(["audit", str(path), "--state", "MA", "--vendor", "nope"], out=io.StringIO(),
                err=io.StringIO()) == 2
