"""The README's main command audits the example export and finds exactly the violations its generator planted."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import re
import shlex
from pathlib import Path
from types import ModuleType

from fe_compliance.audit import limit_status
from fe_compliance.cli import main
from fe_compliance.limits import Limit
from fe_compliance.states import pack_for

ROOT = Path(__file__).resolve().parent.parent.parent


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_ma_sales", ROOT / "examples" / "generate_ma_sales.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_args() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block is not None
    command = block.group(1).splitlines()[0]
    return shlex.split(command.split(".venv/bin/fe-compliance ", 1)[1])


def _run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        code = main(args, out=out, err=err)
    finally:
        os.chdir(cwd)
    return code, out.getvalue()


def test_the_committed_export_is_what_the_generator_writes() -> None:
    rows, customers = _generator().generate()
    with (ROOT / "examples" / "ma_sales_2024.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f)) == rows
    with (ROOT / "examples" / "ma_customers.csv").open(encoding="utf-8", newline="") as f:
        committed = [{k: v for k, v in row.items() if v} for row in csv.DictReader(f)]
    assert committed == [{k: v for k, v in c.items() if v} for c in customers]
    assert 2000 <= len(rows) <= 10_000
    kinds = {row["kind"] for row in rows}
    assert kinds == {"sale", "return", "void"}
    assert {row["customer_type"] for row in rows} == {"medical", "recreational"}


def test_readme_command_finds_exactly_the_planted_violations(tmp_path: Path) -> None:
    args = _readme_args()
    assert args[0] == "audit" and args[args.index("--html") + 1] == "report.html"
    page = tmp_path / "report.html"
    args[args.index("--html") + 1] = str(page)
    code, out = _run(args)
    assert code == 0  # --exit-zero: the violations are findings, not a failure
    assert "violations: 6 in 6 carts" in out and "bad rows: 0" in out
    assert page.stat().st_size > 0
    without_html = [a for a in args if a not in ("--html", str(page))]
    code, out = _run([*without_html, "--json"])
    report = json.loads(out)
    found = sorted((v["transaction_id"], v["code"]) for v in report["violations"])
    assert found == sorted(_generator().PLANTED)
    assert report["summary"]["bad_rows"] == 0 and report["summary"]["unmatched_returns_and_voids"] == 0
    # each violation is filed under its limit's standing in the pack: law apart from reading apart from advice
    limits = {limit.code: limit for limit in pack_for("MA").in_force(dt.date(2024, 6, 1)).of_type(Limit)}
    for violation in report["violations"]:
        assert violation["status"] == limit_status(limits[violation["code"]], False)
    by_status = report["summary"]["violations_by_status"]
    assert sum(by_status.values()) == 6 and by_status["advisory"] == 2
    with contextlib.suppress(ValueError):
        without_html.remove("--exit-zero")
    assert _run(without_html)[0] == 1
