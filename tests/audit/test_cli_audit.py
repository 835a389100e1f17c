"""``fe-compliance audit`` end to end on small exports: formats, merging, order, customers, outputs, exit codes."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from fe_compliance.cli import main

HEADER = "sold_at,customer_id,transaction_id,line_id,kind,of_transaction,customer_type,category,metrc_category,quantity,fe_grams,grams_concentration\n"  # noqa: E501


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


REC_OVER = [
    "2024-06-02T11:00:00-04:00,r1,T3,1,sale,,recreational,Flower,,1,28,",
    "2024-06-02T12:00:00-04:00,r1,T4,1,sale,,recreational,Flower,,1,3.5,",
]


def test_a_violation_exits_1_and_is_explained(tmp_path: Path) -> None:
    code, out, _ = _run(str(_write(tmp_path / "s.csv", REC_OVER)), "--state", "MA", "--json")
    assert code == 1
    report = json.loads(out)
    (violation,) = report["violations"]
    assert violation["code"] == "ma_rec_daily" and violation["status"] == "confirmed"
    assert violation["transaction_id"] == "T4" and violation["customer_id"] == "r1"
    assert violation["used"] == 28.0 and violation["requested"] == 3.5 and violation["cap"] == 28.349523125
    assert violation["sources"] == [f"{tmp_path / 's.csv'}:3"]
    assert any("935 CMR 500.140" in line for line in violation["explanation"])
    summary = report["summary"]
    assert summary["violations_by_status"] == {"confirmed": 1, "unconfirmed": 0, "advisory": 0}
    assert summary["inputs"][0]["rows"] == 2 and len(summary["inputs"][0]["sha256"]) == 64
    assert summary["library"]["version"] and summary["rule_periods"][0]["valid_from"] == "2018-11-20"
    assert _run(str(tmp_path / "s.csv"), "--state", "MA", "--exit-zero", "--quiet")[0] == 0


def test_no_violation_exits_0_and_the_text_summary_counts(tmp_path: Path) -> None:
    code, out, _ = _run(str(_write(tmp_path / "s.csv", REC_OVER[1:])), "--state", "MA")
    assert code == 0
    assert "lines read: 1; customers: 1; sales: 1 in 1 carts" in out and "violations: 0" in out


def test_bad_and_out_of_order_rows_exit_2_after_auditing_the_rest(tmp_path: Path) -> None:
    rows = [*REC_OVER, "2024-06-02T12:30:00-04:00,r1,T5,1,sale,,recreational,Flower,,1,bogus,",
            "2024-06-01T12:00:00-04:00,r2,T6,1,sale,,recreational,Flower,,1,3.5,"]
    code, out, err = _run(str(_write(tmp_path / "s.csv", rows)), "--state", "MA", "--json")
    assert code == 2
    report = json.loads(out)
    assert len(report["violations"]) == 1  # the good rows were still audited
    bad = report["summary"]["bad_row_list"]
    assert [(b["line"], b["error"].split(": ")[1]) for b in bad] == [(4, "fe_grams"), (5, "sold_at")]
    assert "s.csv:5: sold_at" in err and "--sort" in err
    # --sort takes the same rows in time order: no order error, and r2's sale is audited
    code, out, _ = _run(str(tmp_path / "s.csv"), "--state", "MA", "--json", "--sort")
    assert [b["line"] for b in json.loads(out)["summary"]["bad_row_list"]] == [4]


def test_files_merge_by_time_gzip_and_json_lines(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", REC_OVER[:1])
    second = tmp_path / "b.jsonl.gz"
    with gzip.open(second, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"sold_at": "2024-06-02T12:00:00-04:00", "customer_id": "r1", "transaction_id": "T4",
                            "line_id": "1", "customer_type": "recreational", "category": "Flower",
                            "fe_grams": 3.5}) + "\n")
    code, out, _ = _run(str(second), str(first), "--state", "MA", "--json")
    assert code == 1
    report = json.loads(out)
    assert [v["transaction_id"] for v in report["violations"]] == ["T4"]
    assert [i["format"] for i in report["summary"]["inputs"]] == ["jsonl", "csv"]


def test_customers_file_supplies_attributes_and_a_missing_one_is_an_input_error(tmp_path: Path) -> None:
    sales = _write(tmp_path / "s.csv", [
        "2024-06-01T10:00:00-04:00,p1,T1,1,sale,,,Flower,Buds,1,,200",
        "2024-06-02T10:00:00-04:00,p1,T2,1,sale,,,Concentrate,Concentrate,1,,20",
        "2024-06-02T10:00:00-04:00,p9,T3,1,sale,,,Flower,Buds,1,,2",
    ])
    people = tmp_path / "customers.csv"
    people.write_text("customer_id,customer_type,allotment_override,override_limit\np1,medical,20 oz,ma_med_60_day\n",
                      encoding="utf-8")
    code, out, _ = _run(str(sales), "--state", "MA", "--customers", str(people), "--json")
    report = json.loads(out)
    assert code == 2  # p9 is not in the customers file
    assert [b["line"] for b in report["summary"]["bad_row_list"]] == [4]
    assert "customers file" in report["summary"]["bad_row_list"][0]["error"]
    # 200 + 106 g is within the 20 oz override of the 60-day budget: only the advisory 14-day figure is exceeded
    assert {v["code"] for v in report["violations"]} == {"ma_med_14_day"}
    assert report["summary"]["customers_file"]["rows"] == 1


def test_returns_give_back_and_voids_remove(tmp_path: Path) -> None:
    rows = [
        "2024-06-02T09:00:00-04:00,r1,T1,1,sale,,recreational,Flower,,1,20,",
        "2024-06-02T09:30:00-04:00,r1,R1,1,return,T1,recreational,Flower,,1,20,",
        "2024-06-02T10:00:00-04:00,r1,T2,1,sale,,recreational,Flower,,1,20,",
        "2024-06-02T10:30:00-04:00,r1,V1,,void,T2,recreational,,,,,",
        "2024-06-02T11:00:00-04:00,r1,T3,1,sale,,recreational,Flower,,1,20,",
    ]
    code, out, _ = _run(str(_write(tmp_path / "s.csv", rows)), "--state", "MA", "--json")
    assert code == 0, out
    without_undo = [rows[0], rows[2], rows[4]]
    code, out, _ = _run(str(_write(tmp_path / "t.csv", without_undo)), "--state", "MA", "--json")
    assert code == 1 and len(json.loads(out)["violations"]) == 2


def test_csv_output_has_one_row_per_violation(tmp_path: Path) -> None:
    target = tmp_path / "v.csv"
    code, _, _ = _run(str(_write(tmp_path / "s.csv", REC_OVER)), "--state", "MA", "--csv", str(target))
    assert code == 1
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["code"] == "ma_rec_daily" and float(rows[0]["used"]) == 28.0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run(str(tmp_path / "missing.csv"), "--state", "MA")[0] == 2
    odd = tmp_path / "sales.txt"
    odd.write_text(HEADER, encoding="utf-8")
    code, _, err = _run(str(odd), "--state", "MA")
    assert code == 2 and "--format" in err
    assert _run(str(odd), "--state", "ZZ")[0] == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_after_a_second_and_never_with_quiet() -> None:
    from fe_compliance.cli.audit import _Progress

    pipe = io.StringIO()
    _Progress(pipe, True)(5000, 1_000_000, 2_000_000)
    assert pipe.getvalue() == ""  # not a terminal
    terminal = _Terminal()
    bar = _Progress(terminal, True)
    bar(10, 100, 1000)
    assert terminal.getvalue() == ""  # not yet a second
    bar.started -= 2.0  # as if the run had been going for two seconds
    bar(8192, 500_000, 1_000_000)
    bar.done()
    text = terminal.getvalue()
    assert "8,192 rows" in text and "rows/s" in text and "0.5/1.0 MB" in text and "50%" in text
    quiet = _Terminal()
    silent = _Progress(quiet, False)
    silent.started -= 2.0
    silent(8192, 1, 2)
    assert quiet.getvalue() == ""


def test_an_attribute_a_limit_needs_is_never_assumed_without_the_customers_file(tmp_path: Path) -> None:
    # Illinois adult-use limits depend on residency; the export alone does not say it
    rows = ["2024-06-02T11:00:00-05:00,r1,T1,1,sale,,recreational,Flower,,1,3.5,"]
    code, out, _ = _run(str(_write(tmp_path / "s.csv", rows)), "--state", "IL", "--json")
    assert code == 2
    (bad,) = json.loads(out)["summary"]["bad_row_list"]
    assert "resident" in bad["error"] and bad["line"] == 2
    people = tmp_path / "customers.csv"
    people.write_text("customer_id,customer_type,resident\nr1,recreational,true\n", encoding="utf-8")
    code, out, _ = _run(str(tmp_path / "s.csv"), "--state", "IL", "--json", "--customers", str(people))
    assert code == 0 and json.loads(out)["summary"]["bad_rows"] == 0
