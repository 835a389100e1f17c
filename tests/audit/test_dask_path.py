"""The audit on Dask gives exactly the single-process audit's findings, on a real two-process LocalCluster.

The cluster (scheduler and both workers on 127.0.0.1, no dashboard) is started once for the module; every
comparison is row for row: the violations (each field, explanation and sources included), the bad rows and the
summary (counts, inputs' SHA-256 and rows), only the recorded ``dask`` option differing.
"""

from __future__ import annotations

import io
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fe_compliance.audit.customers import read_customers
from fe_compliance.audit.errors import AuditInputError
from fe_compliance.audit.report import AuditReport
from fe_compliance.audit.run import audit_files
from fe_compliance.cli import main
from fe_compliance.limits import LimitEngine
from fe_compliance.states import pack_for

from .dask_export import generate

distributed = pytest.importorskip("distributed")  # the test extra installs it; CI runs this module

STATES = ("MA", "CO", "NV")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from fe_compliance.audit.dask import local_cluster

    with local_cluster(2) as cluster:
        assert len(cluster.workers) == 2
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Path], Path]]:
    folder = tmp_path_factory.mktemp("export")
    return {state: generate(folder, state, days=28, customers=24) for state in STATES}


def _audit(*args: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", *args, "--json", "--quiet"], out=out, err=err)
    return code, json.loads(out.getvalue()), err.getvalue()


@pytest.mark.parametrize("state", STATES)
def test_the_cluster_finds_exactly_what_one_process_finds(
    state: str, scheduler: str, export: dict[str, tuple[list[Path], Path]]
) -> None:
    files, customers = export[state]
    args = [*map(str, files), "--state", state, "--customers", str(customers)]
    code, single, single_err = _audit(*args)
    dask_code, on_dask, dask_err = _audit(*args, "--dask", scheduler)
    assert dask_code == code == 2  # the planted bad amounts
    # the same bad rows; the Dask path lists them by file and line (one process: as the merge meets them)
    assert sorted(dask_err.splitlines()) == sorted(single_err.splitlines())
    assert single["violations"], "the export must break some limits"
    assert single["summary"]["returns"] and single["summary"]["voids"] and single["summary"]["bad_rows"]
    # row for row, in the report's order (the Dask path restores the single-process order)
    assert on_dask["violations"] == single["violations"]
    assert on_dask["summary"]["options"].pop("dask") == scheduler
    for report in (single, on_dask):
        report["summary"]["bad_row_list"].sort(key=lambda bad: (bad["file"], bad["line"], bad["error"]))
    assert on_dask["summary"] == single["summary"]


def test_rule_change_and_returns_are_crossed(export: dict[str, tuple[list[Path], Path]]) -> None:
    """The export exercises what the comparison must cover: CO and NV cross their rule changes, with returns."""
    for state in ("CO", "NV"):
        files, customers = export[state]
        _, report, _ = _audit(*map(str, files), "--state", state, "--customers", str(customers))
        periods = report["summary"]["rule_periods"]
        assert len(periods) == 2, periods
        assert report["summary"]["returns"] > 0


def test_sort_and_the_partition_count_change_nothing(
    scheduler: str, export: dict[str, tuple[list[Path], Path]], tmp_path: Path
) -> None:
    from fe_compliance.audit.dask import audit_dask

    files, customers_path = export["MA"]
    customers, _, _ = read_customers(customers_path)
    engine = LimitEngine(pack_for("MA"))
    single = AuditReport(engine, {})
    audit_files(files, engine, single, customers=customers, sort=True)
    expected = sorted(json.dumps(v, sort_keys=True) for v in single.violations())
    single.close()
    with distributed.Client(scheduler) as client:
        for partitions in (1, 5):
            audit = audit_dask(files, engine, customers=customers, sort=True, partitions=partitions)
            records, bad = client.gather(client.compute([audit.violation_records(), audit.bad_row_records()]))
            assert sorted(json.dumps(v, sort_keys=True) for v in records) == expected, partitions
            assert len(bad) == single.bad_row_count
        # the collections can be written out by Dask itself
        out = tmp_path / "violations"
        audit.violation_records().map(json.dumps).to_textfiles(str(out / "*.jsonl"))
    written = sorted(line for part in out.glob("*.jsonl") for line in part.read_text().splitlines())
    assert sorted(json.dumps(json.loads(line), sort_keys=True) for line in written) == expected


def test_html_report_from_the_cluster_is_the_same_page(
    scheduler: str, export: dict[str, tuple[list[Path], Path]], tmp_path: Path
) -> None:
    files, customers = export["NV"]
    args = [*map(str, files), "--state", "NV", "--customers", str(customers)]
    _audit(*args, "--html", str(tmp_path / "one.html"))
    _audit(*args, "--html", str(tmp_path / "dask.html"), "--dask", scheduler)
    one = (tmp_path / "one.html").read_text(encoding="utf-8")
    on_dask = (tmp_path / "dask.html").read_text(encoding="utf-8")
    assert "<svg" in one
    assert on_dask.replace(f'"dask": "{scheduler}"', "").replace(f", &quot;dask&quot;: &quot;{scheduler}&quot;", "") \
        == one or _without_options(on_dask) == _without_options(one)


def _without_options(page: str) -> str:
    return "\n".join(line for line in page.splitlines() if "dask" not in line and "options" not in line)


def test_bad_rows_cross_process_boundaries_intact() -> None:
    error = AuditInputError("s3://bucket/a.csv", 12, "fe_grams", "lots", "expected an amount")
    again = pickle.loads(pickle.dumps(error))
    assert (again.source, again.line, again.column, again.value, str(again)) == (
        error.source, error.line, "fe_grams", "lots", str(error)
    )


def test_fsspec_urls_are_read_as_dask_reads_them(
    scheduler: str, export: dict[str, tuple[list[Path], Path]]
) -> None:
    files, customers = export["MA"]
    code, single, _ = _audit(str(files[0]), "--state", "MA", "--customers", str(customers))
    url = files[0].resolve().as_uri()
    code_url, on_dask, _ = _audit(url, "--state", "MA", "--customers", str(customers), "--dask", scheduler)
    assert code_url == code
    assert [v["sources"][0].rsplit(":", 1)[1] for v in on_dask["violations"]] == [
        v["sources"][0].rsplit(":", 1)[1] for v in single["violations"]
    ]
    assert all(v["sources"][0].startswith("file://") for v in on_dask["violations"])
    assert on_dask["summary"]["inputs"][0]["sha256"] == single["summary"]["inputs"][0]["sha256"]


def test_a_usage_error_for_a_bad_local_spec(export: dict[str, tuple[list[Path], Path]]) -> None:
    files, _ = export["MA"]
    out, err = io.StringIO(), io.StringIO()
    assert main(["audit", str(files[0]), "--state", "MA", "--dask", "local:zero"], out=out, err=err) == 2
    assert "local:N" in err.getvalue()


def test_without_the_extra_the_error_names_it() -> None:
    """Importing the audit loads no Dask module of ours; where dask cannot be imported, the Dask path raises an
    ImportError that is a library error naming the extra. (pint itself probes for dask, so ``dask`` alone is not
    checked; ``dask.bag`` and ``distributed`` are.)"""
    code = (
        "import sys\n"
        "import fe_compliance.audit, fe_compliance.cli.audit\n"
        "assert not {'dask.bag', 'distributed', 'fe_compliance.audit.dask'} & set(sys.modules), sys.modules\n"
        "for name in [n for n in sys.modules if n == 'dask' or n.startswith('dask.')]:\n"
        "    del sys.modules[name]\n"
        "sys.modules['dask'] = None\n"
        "from fe_compliance.audit.dask import audit_dask, MissingDaskError\n"
        "from fe_compliance.errors import FEComplianceError\n"
        "from fe_compliance.limits import LimitEngine\n"
        "from fe_compliance.states import pack_for\n"
        "try:\n"
        "    audit_dask(['x.csv'], LimitEngine(pack_for('MA')))\n"
        "except ImportError as exc:\n"
        "    assert isinstance(exc, FEComplianceError) and isinstance(exc, MissingDaskError)\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "fe-compliance[dask]" in done.stdout and "dask extra" in done.stdout


def test_a_customer_replayed_alone_gets_what_a_crowd_gives_him(tmp_path: Path) -> None:
    """The per-customer replay holds no shared state: a return or void of a sale older than every window is
    unmatched whether or not other customers' traffic made the replayer forget this customer in between (the
    Dask path replays each customer in a different company than one process does)."""
    header = "sold_at,customer_id,transaction_id,line_id,kind,of_transaction,customer_type,category,fe_grams\n"
    rows = [
        "2024-01-02T10:00:00-05:00,r1,T1,1,sale,,recreational,Flower,3.5",
        "2024-01-02T10:05:00-05:00,r1,T2,1,sale,,recreational,Flower,3.5",
        "2024-04-01T10:00:00-04:00,r1,T1R,1,return,T1,recreational,Flower,3.5",  # 90 days on: past every window
        "2024-04-01T10:01:00-04:00,r1,T2V,,void,T2,recreational,,",
    ]
    path = tmp_path / "alone.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    _, report, _ = _audit(str(path), "--state", "MA")
    summary = report["summary"]
    assert summary["unmatched_returns_and_voids"] == 2, summary["unmatched"]
    assert all("outside every window" in text for text in summary["unmatched"])
