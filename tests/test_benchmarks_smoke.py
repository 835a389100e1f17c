"""The benchmark runner works end to end in --quick mode and writes the documented schema.

This checks that every benchmark runs and that its library and baseline outputs agree (each benchmark raises if
they differ). It asserts nothing about time: speed is measured with ``python benchmarks/run.py``, never in tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_writes_every_benchmark(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=240, cwd=ROOT, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    entries = json.loads(out.read_text())["benchmarks"]
    names = {entry["name"] for entry in entries}
    assert "apply_to_inventory_1m" in names
    for entry in entries:
        assert set(entry) >= {"name", "library_s", "baseline_s", "ratio", "baseline", "value", "unit", "extra"}
        assert entry["library_s"] > 0 and entry["baseline_s"] > 0
        # ratio is time over time; benchmarks may round the seconds they report
        assert abs(entry["ratio"] - entry["library_s"] / entry["baseline_s"]) <= 0.05 * entry["ratio"]
        assert entry["name"] in completed.stdout


def test_unknown_benchmark_is_a_usage_error() -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--only", "nope"],
        capture_output=True, text=True, timeout=60, cwd=ROOT, check=False,
    )
    assert completed.returncode == 2 and "unknown benchmark" in completed.stderr
