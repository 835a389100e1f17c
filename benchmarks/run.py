"""The one benchmark runner: ``python benchmarks/run.py --json FILE [--only NAME ...] [--quick]``.

Every ``benchmarks/bench_*.py`` module defines ``NAME`` and ``run(quick) -> dict`` returning one entry of the
schema in the project's benchmark convention (name, library_s, baseline_s, ratio, baseline, value, unit, extra).
The runner prints a table to standard output, progress to standard error, and writes all entries as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REQUIRED_KEYS = ("name", "library_s", "baseline_s", "ratio", "baseline", "value", "unit", "extra")


def discover() -> dict[str, Any]:
    """Benchmark modules by their NAME."""
    import benchmarks

    found: dict[str, Any] = {}
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
        if info.name.startswith("bench_"):
            module = importlib.import_module(f"benchmarks.{info.name}")
            found[module.NAME] = module
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes: the whole run in under a minute")
    args = parser.parse_args(argv)
    modules = discover()
    names = args.only or list(modules)
    unknown = [name for name in names if name not in modules]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(modules)}")
    results = []
    for name in names:
        print(f"running {name}{' (quick)' if args.quick else ''}", file=sys.stderr, flush=True)
        entry = modules[name].run(args.quick)
        missing = [key for key in REQUIRED_KEYS if key not in entry]
        if missing:
            raise SystemExit(f"benchmark {name} returned no {', '.join(missing)}")
        results.append(entry)
    header = f"{'benchmark':<28} {'library s':>11} {'baseline s':>11} {'ratio':>8}  value"
    print(header)
    print("-" * len(header))
    for entry in results:
        print(f"{entry['name']:<28} {entry['library_s']:>11.6f} {entry['baseline_s']:>11.6f} {entry['ratio']:>8.3f}"
              f"  {entry['value']:.4g} {entry['unit']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"benchmarks": results}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
