"""cart_check_floats: the ``cart_check`` MA medical check against a hand-written check over plain floats.

Library side: ``LimitEngine.check`` on the MA pack, exactly as in ``cart_check`` (same data: 20 cart lines, 200
history lines in the 60-day window, built once as ``CartLine`` / ``PastLine`` values). Baseline
(``benchmarks/baseline_cart_floats.py``): the same check as a bare loop over tuples of floats: a dictionary
look-up of the multiplier, a multiply, a window compare, ``math.fsum``. Both results (allowed, used, requested,
remaining of the 60-day window, used of the 14-day window) are checked equal, to the last bit, before anything is
reported. The ratio says what the engine's validation, rule lookup and explanation cost over the arithmetic.

    .venv/bin/python benchmarks/run.py --only cart_check_floats
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._timing import compare, progress  # noqa: E402
from benchmarks.baseline_cart_floats import check_cart_floats  # noqa: E402
from benchmarks.bench_cart_check import AT, ZONE, _data, _library_result  # noqa: E402
from fe_compliance.limits import Customer, LimitEngine  # noqa: E402
from fe_compliance.states import pack_for  # noqa: E402

NAME = "cart_check_floats"


def run(quick: bool) -> dict[str, Any]:
    data = _data()
    engine = LimitEngine(pack_for("MA"))
    customer = Customer(customer_type="medical", customer_id="patient-1")
    checks = 20 if quick else 200
    repeats = 3 if quick else 7
    cart, history, multipliers = data["cart"], data["history"], data["multipliers"]
    float_cart = [(line.metrc_category, line.grams_concentration, line.quantity) for line in cart]
    float_history = [
        (p.line.metrc_category, p.line.grams_concentration, p.line.quantity, p.timestamp) for p in history
    ]

    def library() -> dict[str, Any]:
        decision = None
        for _ in range(checks):
            decision = engine.check(customer, cart, at=AT, history=history)
        return _library_result(decision)

    def baseline() -> dict[str, Any]:
        result: dict[str, Any] = {}
        for _ in range(checks):
            result = check_cart_floats(float_cart, float_history, AT, ZONE, multipliers)
        return result

    progress(f"cart_check_floats: {checks} checks x {repeats} repeats, 20 cart lines, 200 history lines")
    library_s, baseline_s, lib_out, base_out = compare(library, baseline, repeats=repeats)
    if lib_out != base_out:
        raise SystemExit(f"cart_check_floats: library and baseline disagree: {lib_out} != {base_out}")
    return {
        "name": NAME,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "baseline": "the same MA medical check hand-written over plain floats (benchmarks/baseline_cart_floats.py: "
        "dict look-up of the multiplier, multiply, window compare, math.fsum), same data, outputs checked equal",
        "value": library_s / checks * 1e6,
        "unit": "us per check",
        "extra": {
            "checks_per_repeat": checks,
            "repeats": repeats,
            "cart_lines": len(cart),
            "history_lines": len(history),
            "baseline_us_per_check": baseline_s / checks * 1e6,
            "allowed": lib_out["allowed"],
            "used_60_g": lib_out["used_60"],
        },
    }


if __name__ == "__main__":
    print(run("--quick" in sys.argv))
