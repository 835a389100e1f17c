"""The audit's running sums and LimitEngine.check never disagree.

Random sale streams (every state pack, plus a pack with every window kind and a rule change; returns, over-returns,
voids, MA medical with MassCIP counting and the certification-date anchor) are replayed through the audit and, cart
by cart, through ``LimitEngine.check`` with the history before the cart. Every cart must get the same decision, the
same limits and the same figures, bit for bit; a cart the engine cannot decide must be an input error of the audit.
Set ``FE_AUDIT_EXAMPLES`` for a longer run (the normal run keeps it short).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fe_compliance.audit import AuditInputError, Replayer, SaleOutcome, SaleRow, Violation
from fe_compliance.errors import FEComplianceError
from fe_compliance.limits import (
    CartLine,
    CountingBasis,
    CountingRule,
    Customer,
    Enforcement,
    LimitEngine,
    LineKind,
    PastLine,
    PeriodAnchor,
    RollingConvention,
    RulePack,
    Window,
)
from fe_compliance.limits import Limit as LimitRule
from fe_compliance.states import STATES, pack_for

EXAMPLES = int(os.environ.get("FE_AUDIT_EXAMPLES", "25"))
CHANGE = dt.date(2024, 3, 1)

COMMON: dict[str, Any] = {"citation": "test", "customer_type": "all", "confirmed": True}
COMMON_UNCONFIRMED = {**COMMON, "confirmed": False}
WINDOWS_PACK = RulePack(
    state="ZZ",
    name="every window kind (test pack)",
    time_zone="America/Denver",
    rules=(
        CountingRule(code="zz_counting", summary="package FE", **COMMON, effective=dt.date(2020, 1, 1),
                     basis=CountingBasis.PACKAGE_FE),
        LimitRule(code="zz_month", summary="monthly", **COMMON, effective=dt.date(2020, 1, 1),
                  window=Window.calendar_month(), cap="40 g", until=CHANGE),
        LimitRule(code="zz_month", summary="monthly, lowered", **COMMON, effective=CHANGE,
                  window=Window.calendar_month(), cap="25 g"),
        LimitRule(code="zz_elapsed", summary="72 hours", **COMMON_UNCONFIRMED, effective=dt.date(2020, 1, 1),
                  window=Window.rolling(3, convention=RollingConvention.ELAPSED), cap="15 g"),
        LimitRule(code="zz_txn", summary="per sale", **COMMON, effective=dt.date(2020, 1, 1),
                  window=Window.transaction(), cap="10 g"),
        LimitRule(code="zz_day_conc", summary="concentrate per day", **COMMON, effective=CHANGE,
                  window=Window.calendar_day(), cap="4 g", categories=("Concentrate",),
                  enforcement=Enforcement.ADVISORY),
    ),
)

METRC = ("Buds", "Shake/Trim", "Concentrate", "Vape Oil", "Infused", "Tincture", "Topical")
STARTS = {"CO": dt.date(2021, 12, 10), "NV": dt.date(2023, 12, 10), "ZZ": dt.date(2024, 2, 10)}


def _customer(rng: random.Random, n: int, start: dt.date) -> Customer:
    medical = rng.random() < 0.5
    born = start - dt.timedelta(days=rng.randint(18 * 365, 60 * 365))
    if rng.random() < 0.2:  # a birthday inside the stream: 21 shortly after it starts
        born = start.replace(year=start.year - 21) + dt.timedelta(days=rng.randint(1, 40))
    extra: dict[str, Any] = {}
    if medical and rng.random() < 0.15:
        extra["allotment_override"] = f"{rng.choice((3, 5, 12))} oz"
    if rng.random() < 0.1:
        extra["exemptions"] = [rng.choice(("sales_limit_exemption", "terminally_ill"))]
    return Customer(
        customer_type="medical" if medical else "recreational",
        customer_id=f"c{n}",
        resident=rng.random() < 0.8,
        birth_date=born,
        caregiver=rng.random() < 0.1,
        certification_date=start - dt.timedelta(days=rng.randint(0, 200)),
        **extra,
    )


def _line(rng: random.Random, pack: RulePack, line_id: str) -> CartLine:
    category = rng.choice(pack.categories)
    return CartLine(
        line_id=line_id,
        category=category,
        metrc_category=rng.choice(METRC),
        quantity=float(rng.choice((1, 1, 1, 2, 3))),
        fe_grams=rng.choice((None, 0.5, 1.0, 3.5, 7.0, 14.0, 0.3)),
        grams_concentration=rng.choice((0.1, 0.5, 1.0, 3.5, 7.0)),
        net_weight_grams=rng.choice((0.5, 1.0, 3.5, 10.0)),
        thc_grams=rng.choice((0.01, 0.1, 0.5, 0.8)),
        volume_ml=rng.choice((None, 30.0, 100.0)),
        exempt=rng.random() < 0.05,
    )


def _stream(rng: random.Random, pack: RulePack) -> tuple[list[SaleRow], dict[str, Customer]]:
    start = STARTS.get(pack.state, dt.date(2024, 2, 20))  # across the March DST change
    zone = pack.zone
    customers = {f"c{n}": _customer(rng, n, start) for n in range(rng.randint(1, 4))}
    moment = dt.datetime.combine(start, dt.time(9), tzinfo=zone)
    rows: list[SaleRow] = []
    sales: list[SaleRow] = []
    for t in range(rng.randint(5, 60)):
        moment += dt.timedelta(minutes=rng.choice((0, 5, 90, 60 * 20, 60 * 24 * 3, 60 * 24 * 12)))
        customer_id = rng.choice(list(customers))
        roll = rng.random()
        if roll < 0.15 and sales:
            sale = rng.choice(sales)
            line = sale.line
            assert line is not None
            returned = attrs.evolve(line, quantity=rng.choice((1.0, line.quantity, line.quantity + 1)))
            if rng.random() < 0.1:
                returned = attrs.evolve(returned, category=rng.choice(pack.categories))
            rows.append(SaleRow("s.csv", len(rows) + 2, moment, sale.customer_id, f"r{t}", sale.line_id, "return",
                                sale.transaction_id, "", returned))
        elif roll < 0.2 and sales:
            sale = rng.choice(sales)
            rows.append(SaleRow("s.csv", len(rows) + 2, moment, sale.customer_id, f"v{t}", "", "void",
                                sale.transaction_id, "", None))
        else:
            for k in range(rng.randint(1, 3)):
                row = SaleRow("s.csv", len(rows) + 2, moment, customer_id, f"t{t}", f"l{k}", "sale", "", "",
                              _line(rng, pack, f"l{k}"))
                rows.append(row)
                sales.append(row)
    return rows, customers


def _engine_history(events: list[tuple[str, Any]], voided: set[str]) -> dict[str, list[PastLine]]:
    by_customer: dict[str, list[PastLine]] = {}
    sold: dict[tuple[str, str], SaleRow] = {}
    for kind, row in events:
        if kind == "sale":
            sold[(row.transaction_id, row.line_id)] = row
    for kind, row in events:
        if kind == "sale" and row.transaction_id not in voided:
            by_customer.setdefault(row.customer_id, []).append(
                PastLine(line=row.line, sold_at=row.sold_at, transaction_id=row.transaction_id)
            )
        elif kind == "return" and row.of_transaction not in voided:
            sale = sold.get((row.of_transaction, row.line_id))
            if sale is None or sale.customer_id != row.customer_id:
                continue
            by_customer.setdefault(row.customer_id, []).append(
                PastLine(line=attrs.evolve(row.line, line_id=row.line_id), sold_at=sale.sold_at,
                         transaction_id=row.of_transaction, kind=LineKind.RETURN)
            )
    return by_customer


def _compare(engine: LimitEngine, rows: list[SaleRow], customers: dict[str, Customer]) -> None:
    outcomes: list[SaleOutcome] = []
    errors: list[AuditInputError] = []
    violations: list[Violation] = []
    replay = Replayer(engine, customers=customers, on_violation=violations.append, on_error=errors.append,
                      on_sale=outcomes.append)
    for row in rows:
        replay.feed(row)
    replay.finish()
    error_lines = {e.line for e in errors}
    by_cart = {(o.customer_id, o.transaction_id): o for o in outcomes}

    # the oracle: each cart through LimitEngine.check with every line before it
    events: list[tuple[str, Any]] = []
    voided: set[str] = set()
    carts: list[list[SaleRow]] = []
    for row in rows:
        if row.kind == "sale" and carts and carts[-1][0].transaction_id == row.transaction_id:
            carts[-1].append(row)
            continue
        carts.append([row])
    expected_violations = 0
    for cart in carts:
        first = cart[0]
        if first.kind == "return":
            events.append(("return", first))
            continue
        if first.kind == "void":
            if any(k == "sale" and r.transaction_id == first.of_transaction and r.customer_id == first.customer_id
                   for k, r in events):
                voided.add(first.of_transaction)
            continue
        history = _engine_history(events, voided).get(first.customer_id, [])
        try:
            decision = engine.check(customers[first.customer_id], [r.line for r in cart], at=first.sold_at,
                                    history=history)
        except FEComplianceError:
            assert all(r.lineno in error_lines for r in cart), (cart, errors)
            assert (first.customer_id, first.transaction_id) not in by_cart
            continue
        outcome = by_cart[(first.customer_id, first.transaction_id)]
        assert outcome.allowed == decision.allowed, (outcome, decision.explanation())
        got = {f.code: f for f in outcome.limits}
        assert list(got) == [u.code for u in decision.usages]
        for usage in decision.usages:
            mine = got[usage.code]
            figures = (mine.cap, mine.used, mine.requested, mine.total, mine.enforced, mine.exceeded, mine.waived,
                       mine.overridden)
            theirs = (usage.cap, usage.used, usage.requested, usage.total, usage.enforced, usage.exceeded,
                      usage.waived, usage.overridden)
            assert figures == theirs, (usage.code, figures, theirs, decision.explanation())
            start = None if mine.window_start is None else dt.datetime.fromtimestamp(mine.window_start, engine.zone)
            assert start == usage.window_start
            expected_violations += usage.exceeded
        events.extend(("sale", r) for r in cart)
    assert len(violations) == expected_violations
    for violation in violations:
        assert violation.explanation and violation.citation
    # without figures to report (no on_sale) the replay finds the same violations
    quick: list[Violation] = []
    replay = Replayer(engine, customers=customers, on_violation=quick.append, on_error=lambda e: None)
    for row in rows:
        replay.feed(row)
    replay.finish()
    assert [(v.transaction_id, v.code, v.total) for v in quick] == [
        (v.transaction_id, v.code, v.total) for v in violations
    ]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), state=st.sampled_from([*sorted(STATES), "ZZ"]),
       anchored=st.booleans())
def test_replay_agrees_with_the_engine(seed: int, state: str, anchored: bool) -> None:
    rng = random.Random(seed)
    pack = WINDOWS_PACK if state == "ZZ" else pack_for(state)
    anchor = PeriodAnchor.CERTIFICATION_DATE if anchored else PeriodAnchor.ROLLING
    engine = LimitEngine(pack, period_anchor=anchor, enforce_advisory=rng.random() < 0.2)
    rows, customers = _stream(rng, pack)
    _compare(engine, rows, customers)


@settings(max_examples=EXAMPLES, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_massachusetts_medical_agrees_with_the_engine(seed: int) -> None:
    rng = random.Random(seed)
    pack = pack_for("MA")
    rows, customers = _stream(rng, pack)
    customers = {k: attrs.evolve(c, customer_type="medical") for k, c in customers.items()}
    _compare(LimitEngine(pack), rows, customers)


@settings(max_examples=EXAMPLES, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), pieces=st.integers(2, 40))
def test_purchases_that_add_up_to_the_cap_exactly(seed: int, pieces: int) -> None:
    """Awkward floats that sum to 1 oz (or just past it) decide as the engine does."""
    rng = random.Random(seed)
    pack = pack_for("MA")
    ounce = 28.349523125
    parts = [ounce / pieces] * pieces
    if rng.random() < 0.5:
        parts[-1] = math.nextafter(parts[-1], math.inf) if rng.random() < 0.5 else parts[-1] + 2e-6
    moment = dt.datetime(2024, 6, 1, 9, tzinfo=pack.zone)
    rows = []
    for n, grams in enumerate(parts):
        moment += dt.timedelta(minutes=rng.choice((1, 5, 30)))
        line = CartLine(line_id="1", category="Flower", fe_grams=grams)
        rows.append(SaleRow("s.csv", n + 2, moment, "c0", f"t{n}", "1", "sale", "", "", line))
    customers = {"c0": Customer(customer_type="recreational", customer_id="c0")}
    _compare(LimitEngine(pack), rows, customers)
