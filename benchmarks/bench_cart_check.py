"""cart_check: one Massachusetts medical cart check, 20 cart lines against 200 history lines in the 60-day window.

Library side: ``LimitEngine.check`` on the MA pack (MassCIP counting, the 60-day budget and the advisory 14-day
figure), with cart and history as :class:`~fe_compliance.limits.CartLine` / ``PastLine`` values built once (as a
POS holds them). Baseline (``benchmarks/baseline_cart_pint.py``): the same check written the straightforward way
with a pint Quantity per line amount, from the same data held as Quantities. Both results (allowed, used, requested,
remaining of the 60-day window, used of the 14-day window) are checked equal before anything is reported.

    .venv/bin/python benchmarks/run.py --only cart_check
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._timing import compare, progress  # noqa: E402
from benchmarks.baseline_cart_pint import PintHistoryLine, PintLine, check_cart_pint  # noqa: E402
from fe_compliance import masscip  # noqa: E402
from fe_compliance.limits import CartLine, Customer, LimitEngine, PastLine  # noqa: E402
from fe_compliance.states import pack_for  # noqa: E402
from fe_compliance.units import Q_  # noqa: E402

NAME = "cart_check"

ZONE = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 6, 15, 14, 30, tzinfo=ZONE)
CATEGORIES = (
    ("Flower", "Buds"),
    ("Flower", "Shake/Trim"),
    ("Concentrate", "Concentrate"),
    ("Combined Inhalable", "Vape Oil"),
    ("Solid Edible", "Infused"),
    ("Tincture", "Tincture"),
)


def _lines(rng: random.Random, prefix: str, count: int) -> list[tuple[str, str, str, float, float]]:
    out = []
    for i in range(count):
        category, metrc = rng.choice(CATEGORIES)
        grams = rng.choice((0.5, 1.0, 3.5, 7.0)) if metrc in ("Buds", "Shake/Trim") else rng.choice((0.1, 0.25, 0.5))
        out.append((f"{prefix}{i}", category, metrc, grams / 20.0, float(rng.choice((1, 1, 2)))))
    return out


def _data(seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    cart_rows = _lines(rng, "c", 20)
    history_rows = [
        (*row, AT - dt.timedelta(days=rng.uniform(0.0, 59.0), minutes=rng.uniform(0, 600)))
        for row in _lines(rng, "h", 200)
    ]
    cart = [
        CartLine(line_id=i, category=c, metrc_category=m, grams_concentration=g, quantity=q)
        for i, c, m, g, q in cart_rows
    ]
    history = [
        PastLine(
            line=CartLine(line_id=i, category=c, metrc_category=m, grams_concentration=g, quantity=q),
            sold_at=when,
            transaction_id=f"t{n // 4}",
        )
        for n, (i, c, m, g, q, when) in enumerate(history_rows)
    ]
    pint_cart = [PintLine(i, m, Q_(g, "g"), q) for i, _c, m, g, q in cart_rows]
    pint_history = [PintHistoryLine(i, m, Q_(g, "g"), q, when) for i, _c, m, g, q, when in history_rows]
    multipliers = {m: masscip.multiplier_for(m) for _c, m in CATEGORIES}
    return {
        "cart": cart,
        "history": history,
        "pint_cart": pint_cart,
        "pint_history": pint_history,
        "multipliers": multipliers,
    }


def _library_result(decision: Any) -> dict[str, Any]:
    u60 = decision.usage("ma_med_60_day")
    return {
        "allowed": decision.allowed,
        "used_60": u60.used,
        "requested": u60.requested,
        "remaining_60": u60.remaining,
        "used_14": decision.usage("ma_med_14_day").used,
    }


def _agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["allowed"] == b["allowed"] and all(
        math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=1e-9)
        for k in ("used_60", "requested", "remaining_60", "used_14")
    )


def run(quick: bool) -> dict[str, Any]:
    data = _data()
    engine = LimitEngine(pack_for("MA"))
    customer = Customer(customer_type="medical", customer_id="patient-1")
    checks = 20 if quick else 100
    repeats = 3 if quick else 7
    cart, history = data["cart"], data["history"]
    pint_cart, pint_history, multipliers = data["pint_cart"], data["pint_history"], data["multipliers"]

    def library() -> dict[str, Any]:
        decision = None
        for _ in range(checks):
            decision = engine.check(customer, cart, at=AT, history=history)
        return _library_result(decision)

    def baseline() -> dict[str, Any]:
        result: dict[str, Any] = {}
        for _ in range(checks):
            result = check_cart_pint(pint_cart, pint_history, AT, ZONE, multipliers)
        return result

    progress(f"cart_check: {checks} checks x {repeats} repeats, 20 cart lines, 200 history lines")
    library_s, baseline_s, lib_out, base_out = compare(library, baseline, repeats=repeats)
    if not _agree(lib_out, base_out):
        raise SystemExit(f"cart_check: library and baseline disagree: {lib_out} != {base_out}")
    in_window = sum(1 for p in history if p.timestamp >= AT.timestamp() - 60 * 86_400)
    return {
        "name": NAME,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "baseline": "the same MA medical check with a pint Quantity per line amount and Quantity sums "
        "(benchmarks/baseline_cart_pint.py), same data, outputs checked equal",
        "value": library_s / checks * 1e6,
        "unit": "us per check",
        "extra": {
            "checks_per_repeat": checks,
            "repeats": repeats,
            "cart_lines": len(cart),
            "history_lines": len(history),
            "history_lines_in_window": in_window,
            "baseline_us_per_check": baseline_s / checks * 1e6,
            "allowed": lib_out["allowed"],
            "used_60_g": lib_out["used_60"],
        },
    }


if __name__ == "__main__":
    print(run("--quick" in sys.argv))
