"""audit_1m: ``fe-compliance audit`` over a generated 1,000,000-line Massachusetts sales CSV, and its memory.

The export: 50,000 customers (half medical, counted as MassCIP counts; half adult-use, by package FE), one year
(2024) of carts of one to three lines in sale-time order, with a few returns. Library side: the audit's whole path
(``fe_compliance.audit.run.audit_files``: read, parse and validate each row, replay per customer with running window
sums, write violations out). Baseline (a lower bound, not an alternative implementation): one pass that reads every
row with ``csv.reader`` and parses its timestamp (``datetime.fromisoformat``) and two amounts (``float``), the part
of the work nothing can avoid. Memory, each in a fresh subprocess: peak RSS of an audit of the full file
(``peak_rss_mb_1m``) and of its first 300,000 lines (``peak_rss_mb_300k``: the same daily density, past the longest
window, so the two should be close), and the replay state's own size after the run from ``tracemalloc``.

    .venv/bin/python benchmarks/run.py --only audit_1m            # full (several minutes)
    .venv/bin/python benchmarks/run.py --only audit_1m --quick    # 20,000 lines, 1,000 customers

The generated files are cached in the system's temporary directory (``fe-compliance-bench-audit``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._timing import compare, progress  # noqa: E402

NAME = "audit_1m"
ZONE = ZoneInfo("America/New_York")
COLUMNS = ("sold_at", "customer_id", "transaction_id", "line_id", "kind", "of_transaction", "customer_type",
           "category", "metrc_category", "quantity", "fe_grams", "grams_concentration")
MEDICAL = (("Flower", "Buds", 3.5), ("Flower", "Buds", 7.0), ("Concentrate", "Concentrate", 0.5),
           ("Solid Edible", "Infused", 0.1), ("Combined Inhalable", "Vape Oil", 0.5), ("Flower", "Shake/Trim", 3.5))
ADULT = (("Flower", 3.5), ("Flower", 7.0), ("Flower", 1.0), ("Solid Edible", 5.669904625), ("Concentrate", 5.0))
CACHE = Path(tempfile.gettempdir()) / "fe-compliance-bench-audit"


def generate(path: Path, lines: int, customers: int, seed: int = 14) -> None:
    """Write ``lines`` rows (in sale-time order) for ``customers`` customers over 2024."""
    rng = random.Random(seed)
    per_day = lines / 366
    written = 0
    txn = 0
    recent: list[tuple[str, str, str, list[str]]] = []
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        day = dt.date(2024, 1, 1)
        while written < lines:
            target = min(lines, round(per_day * ((day - dt.date(2024, 1, 1)).days + 1)))
            rows = []
            while written + len(rows) < target:
                minute = rng.randrange(9 * 60, 21 * 60)
                at = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60),
                                 tzinfo=ZONE).isoformat()
                c = rng.randrange(customers)
                customer, medical = f"C{c:06d}", c % 2 == 0
                txn += 1
                tid = f"T{txn:08d}"
                if recent and rng.random() < 0.01:  # a return of a recent sale line
                    r_customer, r_tid, r_type, r_line = rng.choice(recent)
                    rows.append((minute, [at, r_customer, f"R{txn:08d}", r_line[3], "return", r_tid, r_type,
                                          *r_line[7:]]))
                    continue
                for n in range(1, rng.choice((1, 1, 2, 2, 3)) + 1):
                    if medical:
                        category, metrc, grams = rng.choice(MEDICAL)
                        row = [at, customer, tid, str(n), "sale", "", "medical", category, metrc, "1", "", str(grams)]
                    else:
                        category, fe = rng.choice(ADULT)
                        row = [at, customer, tid, str(n), "sale", "", "recreational", category, "", "1", str(fe), ""]
                    rows.append((minute, row))
                    if rng.random() < 0.02:
                        recent = [*recent[-200:], (customer, tid, row[6], row)]
            rows.sort(key=lambda item: item[1][0])
            writer.writerows(row for _, row in rows)
            written += len(rows)
            day += dt.timedelta(days=1)


def _files(quick: bool) -> tuple[Path, Path, int, int]:
    lines, customers, head = (20_000, 1_000, 6_000) if quick else (1_000_000, 50_000, 300_000)
    CACHE.mkdir(exist_ok=True)
    full = CACHE / f"ma_{lines}_{customers}.csv"
    part = CACHE / f"ma_{lines}_{customers}_head{head}.csv"
    if not full.exists():
        progress(f"audit_1m: generating {lines:,} lines for {customers:,} customers in {full}")
        generate(full.with_suffix(".tmp"), lines, customers)
        full.with_suffix(".tmp").rename(full)
    if not part.exists():
        with full.open(encoding="utf-8") as src, part.open("w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n > head:
                    break
                dst.write(line)
    return full, part, lines, head


_CHILD = """
import json, resource, sys, tracemalloc
from pathlib import Path
from fe_compliance.audit.report import AuditReport
from fe_compliance.audit.run import audit_files
from fe_compliance.limits import LimitEngine
from fe_compliance.states import pack_for
engine = LimitEngine(pack_for("MA"))
report = AuditReport(engine, {})
trace = sys.argv[2] == "trace"
if trace:
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
replay = audit_files([Path(sys.argv[1])], engine, report)
out = {"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "violations": report.violation_count,
       "bad_rows": report.bad_row_count, "active_customers": replay.active_customers}
if trace:
    report.close()
    after = tracemalloc.take_snapshot()
    out["state_mb"] = sum(s.size_diff for s in after.compare_to(before, "filename")) / 1e6
print(json.dumps(out))
"""


def _child(path: Path, mode: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), mode], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def run(quick: bool) -> dict[str, Any]:
    from fe_compliance.audit.report import AuditReport
    from fe_compliance.audit.run import audit_files
    from fe_compliance.limits import LimitEngine
    from fe_compliance.states import pack_for

    full, part, lines, head = _files(quick)
    engine = LimitEngine(pack_for("MA"))

    def library() -> tuple[int, int, int]:
        report = AuditReport(engine, {})
        try:
            replay = audit_files([full], engine, report)
            return replay.counts["rows"], report.violation_count, report.bad_row_count
        finally:
            report.close()

    def baseline() -> int:
        count = 0
        parse = dt.datetime.fromisoformat
        with full.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            for row in reader:
                parse(row[0])
                float(row[9])
                float(row[10] or row[11])
                count += 1
        return count

    repeats = 3
    progress(f"audit_1m: {lines:,} lines x {repeats} repeats (after a warm-up)")
    library_s, baseline_s, lib_out, base_out = compare(library, baseline, repeats=repeats)
    rows, violations, bad = lib_out
    if rows != base_out or bad:
        raise SystemExit(f"audit_1m: the audit replayed {rows} rows ({bad} bad) of {base_out}")
    progress("audit_1m: peak RSS in fresh processes, and the replay state's size under tracemalloc")
    whole = _child(full, "rss")
    first = _child(part, "rss")
    traced = _child(part, "trace")
    return {
        "name": NAME,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "baseline": "lower bound: csv.reader + datetime.fromisoformat + two float() per row over the same file",
        "value": lines / library_s / 1e3,
        "unit": "k lines/s",
        "extra": {
            "lines": lines,
            "violations": violations,
            "peak_rss_mb_1m": round(whole["rss_mb"], 1),
            "peak_rss_mb_300k": round(first["rss_mb"], 1),
            "head_lines": head,
            "rss_ratio_1m_over_300k": round(whole["rss_mb"] / first["rss_mb"], 3),
            "replay_state_mb_tracemalloc_300k": round(traced["state_mb"], 2),
            "active_customers_at_end": whole["active_customers"],
            "baseline_k_lines_per_s": lines / baseline_s / 1e3,
        },
    }


if __name__ == "__main__":
    print(run("--quick" in sys.argv))
