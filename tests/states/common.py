"""The common base every state test module subclasses: invariants all rule packs share.

``class TestXX(StatePackTests): STATE = "XX"`` runs every test here against the XX pack; the module then adds the
state's own numbers. The base class is not collected by itself (its name does not start with ``Test``).

The property tests use an oracle written independently of the engine: it re-adds the recorded sales inside each
window from first principles (store-local dates, the window's restore convention) and checks no cap is exceeded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import importlib
import inspect
import itertools
import math
import pathlib
import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fe_compliance import masscip
from fe_compliance.categories import CustomerType, fold_name
from fe_compliance.errors import FEComplianceError, UnknownCategoryError
from fe_compliance.limits import (
    CAP_TOLERANCE,
    CartDecision,
    CartLine,
    CountingBasis,
    Customer,
    Equivalency,
    InvalidDateError,
    InvalidLineError,
    Ledger,
    LedgerError,
    Limit,
    LimitEngine,
    LimitKind,
    LimitUsage,
    LineDataError,
    NaiveDatetimeError,
    NoRulesInForceError,
    PastLine,
    RollingConvention,
    RulePack,
    RuleSet,
    WindowKind,
    batch_mode_warning,
)
from fe_compliance.states import available, check_cart, pack_for, rules_for
from fe_compliance.states.docs import render_index_table, render_state
from fe_compliance.states.registry import STATES

EDGE_DELTAS = (-0.01, -1e-9, 0.0, 1e-9, 5e-7, 2e-6, 0.001, 0.5)
"""Offsets from an exact cap: below, at, inside the tolerance, just past it."""
ROOT = pathlib.Path(__file__).resolve().parents[2]
TYPES = (CustomerType.MEDICAL, CustomerType.RECREATIONAL)


def noon(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=zone)


def flower(line_id: str, grams: float, quantity: float = 1.0) -> CartLine:
    """A flower line every counting basis can count: its FE, its grams/concentration and a Metrc category."""
    return CartLine(
        line_id=line_id,
        category="Flower",
        quantity=quantity,
        fe_grams=grams,
        grams_concentration=grams,
        net_weight_grams=grams,
        thc_grams=grams * 0.2,
        metrc_category="Buds",
    )


def concentrate(line_id: str, grams: float, quantity: float = 1.0) -> CartLine:
    return CartLine(
        line_id=line_id,
        category="Concentrate",
        quantity=quantity,
        fe_grams=grams * 3.0,
        grams_concentration=grams,
        net_weight_grams=grams,
        thc_grams=grams * 0.7,
        metrc_category="Concentrate",
    )


def infused(line_id: str, grams: float, quantity: float = 1.0) -> CartLine:
    """An infused edible every counting basis can count: FE, weights, THC (a fifth of its FE) and a Metrc category.

    Its THC reaches the THC sub-caps of infused products (Illinois, Maryland) that flower and concentrate lines
    never touch."""
    return CartLine(
        line_id=line_id,
        category="Solid Edible",
        quantity=quantity,
        fe_grams=grams,
        grams_concentration=grams / 10.0,
        net_weight_grams=grams * 16.0,
        thc_grams=grams / 5.0,
        metrc_category="Infused",
    )


LINE_KINDS = (flower, concentrate, infused)
"""The line builders the properties draw from: one per family of limits (budget, concentrate cap, THC cap)."""


def wax(
    line_id: str,
    grams: float,
    *,
    fe: float | None = None,
    category: str = "Concentrate",
    quantity: float = 1.0,
    thc: float | None = None,
) -> CartLine:
    """A concentrate line as a POS often has it: its weight, and a package FE or THC only when given."""
    return CartLine(
        line_id=line_id, category=category, grams_concentration=grams, fe_grams=fe, thc_grams=thc, quantity=quantity
    )


def edibles(
    line_id: str, count: float, *, thc: str = "10 mg", fe: float | None = None, category: str = "Edibles"
) -> CartLine:
    """``count`` units of an infused product of ``thc`` THC each (no package FE unless given)."""
    return CartLine(line_id=line_id, category=category, thc_grams=thc, quantity=count, fe_grams=fe)


def customer_for(ct: CustomerType, rules: RuleSet, customer_id: str = "cust") -> Customer:
    return Customer(
        customer_type=ct,
        customer_id=customer_id,
        resident=True,
        birth_date=dt.date(1980, 1, 1),
        caregiver=False,
        certification_date=rules.valid_from,
    )


class Oracle:
    """Adds up recorded sales inside a limit's window, the long way, independently of the engine."""

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self.zone = pack.zone

    def amount(self, usage: LimitUsage, line: CartLine, basis: CountingBasis) -> float:
        limit = usage.limit
        canonical = fold_name(self.pack.aliases.canonical(line.category))
        if limit.categories is not None and canonical not in {fold_name(c) for c in limit.categories}:
            return 0.0
        measure = limit.measure.value
        if measure == "counted":
            if basis is CountingBasis.MASSCIP:
                assert line.metrc_category is not None and line.grams_concentration is not None
                return line.grams_concentration * masscip.multiplier_for(line.metrc_category) * line.quantity
            assert line.fe_grams is not None
            return float(line.fe_grams) * line.quantity
        value = {"grams_concentration": line.grams_concentration, "thc": line.thc_grams, "volume": line.volume_ml}[
            measure
        ]
        assert value is not None
        return float(value) * line.quantity

    def in_window(
        self,
        usage: LimitUsage,
        sold: dt.datetime,
        at: dt.datetime,
        same_cart: bool,
        *,
        certified: dt.date | None = None,
    ) -> bool:
        """Whether a sale at ``sold`` counts in ``usage``'s window for a sale at ``at``; ``certified`` is the
        certification date when the engine anchors the windows that allow it."""
        window = usage.limit.window
        if window.kind is WindowKind.TRANSACTION:
            return same_cart
        sold_day = sold.astimezone(self.zone).date()
        at_day = at.astimezone(self.zone).date()
        if window.kind is WindowKind.CALENDAR_DAY:
            return sold_day == at_day
        if window.kind is WindowKind.CALENDAR_MONTH:
            return (sold_day.year, sold_day.month) == (at_day.year, at_day.month)
        assert window.days is not None
        if window.anchor_selectable and certified is not None:
            period = (at_day - certified).days // window.days
            return (sold_day - certified).days // window.days == period
        if window.convention is RollingConvention.ELAPSED:
            return (at - sold).total_seconds() < window.days * 86_400
        return 0 <= (at_day - sold_day).days < window.days


# Each subclass runs these properties against its own pack; hypothesis sees one method called from several classes.
per_pack = settings(suppress_health_check=[HealthCheck.differing_executors])


class StatePackTests:
    """Invariants every state pack holds. Subclasses set ``STATE``."""

    STATE: ClassVar[str]

    # ------------------------------------------------------------------------------------------------ helpers

    @property
    def pack(self) -> RulePack:
        return pack_for(self.STATE)

    def covered(self) -> list[tuple[RuleSet, CustomerType]]:
        """Every (period, customer type) the pack decides for."""
        return [(rs, ct) for rs in self.pack.periods for ct in TYPES if rs.covers(ct)]

    def sample_day(self, rules: RuleSet) -> dt.date:
        return rules.valid_from + dt.timedelta(days=1 if rules.valid_until is None else 0)

    def engine(self, **options: Any) -> LimitEngine:
        return LimitEngine(self.pack, **options)

    # ------------------------------------------------------------------- helpers for the states' own tests
    # Each asserts one pattern every state module checks for its own numbers; the state test names the figures.

    def check(
        self, customer: Customer, cart: list[CartLine], *, at: dt.datetime, history: Iterable[PastLine] = ()
    ) -> CartDecision:
        return check_cart(self.STATE, customer, cart, at=at, history=history)

    def assert_cap(
        self,
        customer: Customer,
        cap: float,
        code: str,
        *,
        at: dt.datetime,
        line: Callable[[str, float], CartLine] = flower,
        history: Iterable[PastLine] = (),
        over: float = 0.01,
    ) -> CartDecision:
        """A cart of one ``line`` of exactly ``cap`` is allowed; ``over`` more is refused by ``code`` alone.

        Returns the decision at the cap, for further assertions."""
        past = tuple(history)
        at_cap = self.check(customer, [line("a", cap)], at=at, history=past)
        assert at_cap.allowed, at_cap.explanation()
        refused = self.check(customer, [line("a", cap + over)], at=at, history=past)
        assert [u.code for u in refused.refused_by] == [code], refused.explanation()
        return at_cap

    def assert_restored(
        self,
        customer: Customer,
        sold: CartLine,
        *,
        sold_at: dt.datetime,
        last: dt.datetime,
        restored: dt.datetime,
        probe: float = 1.0,
        again: float | None = None,
    ) -> None:
        """``sold`` (at ``sold_at``) still fills its window at ``last``: ``probe`` g of flower more is refused; at
        ``restored`` it counts no longer: ``again`` g (default the sale's own FE) of flower is allowed."""
        history = [PastLine(line=sold, sold_at=sold_at)]
        assert not self.check(customer, [flower("a", probe)], at=last, history=history).allowed
        if again is None:
            assert sold.fe_grams is not None, "pass again= for a line without a package FE (a 0 g probe proves nothing)"
            again = sold.fe_grams * sold.quantity
        assert again > 0
        amount = again
        assert self.check(customer, [flower("a", amount)], at=restored, history=history).allowed

    def assert_history_ignored(self, customer: Customer, cap: float, *, at: dt.datetime) -> CartDecision:
        """Per transaction: a full-cap sale minutes earlier does not count toward this one."""
        history = [PastLine(line=flower("h", cap), sold_at=at - dt.timedelta(minutes=3))]
        decision = self.check(customer, [flower("a", cap)], at=at, history=history)
        assert decision.allowed
        assert all(u.used == 0.0 for u in decision.usages if u.limit.window.kind is WindowKind.TRANSACTION)
        return decision

    def assert_reporting(self, *, real_time: bool, at: dt.datetime) -> RuleSet:
        """The pack's reporting rule on ``at``: real time required or not, flagged UNCONFIRMED (every source of it
        is a vendor's list), and Batch warns exactly where real time is required."""
        rules = rules_for(self.STATE, on=at)
        assert rules.real_time_required is real_time
        assert rules.reporting is not None and not rules.reporting.confirmed
        assert (batch_mode_warning(rules, "batch") is not None) is real_time
        assert batch_mode_warning(rules, "real_time") is None
        return rules

    def assert_not_modelled(self, customer_type: str, summary_part: str, *, at: dt.datetime) -> None:
        """The pack declines ``customer_type`` (saying why) and the engine refuses such a customer."""
        gap = rules_for(self.STATE, on=at).not_researched(customer_type)
        assert gap is not None and summary_part in gap.summary
        with pytest.raises(NoRulesInForceError) as info:
            self.check(Customer(customer_type=customer_type), [flower("a", 1.0)], at=at)
        assert info.value.field == "customer_type"

    def assert_every_number_unconfirmed(self, *, at: dt.datetime) -> None:
        """Every limit and FE definition in force on ``at`` is flagged UNCONFIRMED (a secondary-source pack)."""
        rules = rules_for(self.STATE, on=at)
        numbered = [*rules.of_type(Limit), *rules.of_type(Equivalency)]
        assert numbered and all(not r.confirmed for r in numbered)

    def enforced_budget_cap(self, decision: CartDecision) -> float:
        caps = [u.cap for u in decision.usages if u.limit.kind is LimitKind.BUDGET and u.enforced and not u.waived]
        assert caps, "every covered customer type has an enforced budget"
        return min(caps)

    # ------------------------------------------------------------------------------------- registry and dating

    def test_registered_under_its_code(self) -> None:
        assert self.STATE in available()
        assert self.pack.state == self.STATE
        assert (ROOT / "src" / "fe_compliance" / "states" / f"{STATES[self.STATE]}.py").is_file()
        assert pack_for(f" {self.STATE.lower()} ") is self.pack

    def test_available_is_sorted_upper_case(self) -> None:
        codes = available()
        assert codes == tuple(sorted(codes))
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in codes)

    def test_every_rule_is_dated_and_cited(self) -> None:
        for rule in self.pack.rules:
            assert rule.citation.strip() and rule.summary.strip() and rule.code.strip()
            assert rule.effective >= self.pack.earliest
            assert rule.until is None or rule.until > rule.effective
            assert isinstance(rule.confirmed, bool)

    def test_a_date_before_any_rule_is_an_error(self) -> None:
        before = self.pack.earliest - dt.timedelta(days=1)
        with pytest.raises(NoRulesInForceError) as info:
            rules_for(self.STATE, on=before)
        assert info.value.field == "on"
        assert rules_for(self.STATE, on=self.pack.earliest).valid_from == self.pack.earliest

    def test_on_takes_a_date_or_a_datetime(self) -> None:
        for rules in self.pack.periods:
            day = rules.valid_from
            assert rules_for(self.STATE, on=day) is rules
            assert rules_for(self.STATE, on=dt.datetime(day.year, day.month, day.day, 9)) is rules
            assert rules_for(self.STATE, on=noon(day, self.pack.zone)) is rules

    def test_each_change_date_starts_a_new_period(self) -> None:
        for earlier, later in itertools.pairwise(self.pack.periods):
            assert earlier.valid_until == later.valid_from
            last_day = later.valid_from - dt.timedelta(days=1)
            assert rules_for(self.STATE, on=last_day) is earlier
            assert {r.code for r in earlier.rules} != {r.code for r in later.rules} or earlier.rules != later.rules

    def test_every_period_covers_or_declines_each_customer_type(self) -> None:
        for rules in self.pack.periods:
            assert rules.reporting is not None, "each period says whether real-time reporting is required"
            for ct in TYPES:
                if rules.not_researched(ct) is not None:
                    continue
                assert rules.covers(ct), f"{ct} customers have no budget from {rules.valid_from}"
                assert rules.counting_rule(ct).basis in CountingBasis

    def test_not_researched_customer_types_are_refused_not_allowed(self) -> None:
        for rules in self.pack.periods:
            for ct in TYPES:
                if rules.not_researched(ct) is None:
                    continue
                with pytest.raises(NoRulesInForceError):
                    self.engine().check(
                        customer_for(ct, rules), [flower("a", 1.0)], at=noon(self.sample_day(rules), self.pack.zone)
                    )

    def test_unconfirmed_rules_are_named_in_the_docstring(self) -> None:
        doc = inspect.getdoc(importlib.import_module(f"fe_compliance.states.{STATES[self.STATE]}")) or ""
        patterns = re.findall(r"``([a-z0-9_*]+)``", doc)
        for rule in self.pack.rules:
            if not rule.confirmed:
                assert any(fnmatch.fnmatchcase(rule.code, p) for p in patterns), (
                    f"the {self.STATE} docstring must name unconfirmed rule {rule.code!r}"
                )
        if any(not r.confirmed for r in self.pack.rules):
            assert self.pack.readings, "a pack with unconfirmed rules states its readings"

    def test_categories_named_by_rules_are_canonical(self) -> None:
        known = set(self.pack.categories)
        for rule in self.pack.rules:
            names = getattr(rule, "categories", None) or ()
            single = getattr(rule, "category", None)
            for name in (*names, *([single] if isinstance(single, str) else [])):
                assert name in known

    # ------------------------------------------------------------------------------------------------ docs

    def test_docs_page_matches_the_pack(self) -> None:
        page = ROOT / "docs" / "states" / f"{self.STATE.lower()}.md"
        assert page.is_file(), "run scripts/gen_state_docs.py"
        assert page.read_text(encoding="utf-8") == render_state(self.STATE), "run scripts/gen_state_docs.py"

    def test_docs_page_shows_every_rule_and_flag(self) -> None:
        text = render_state(self.STATE)
        for rule in self.pack.rules:
            assert f"`{rule.code}`" in text
            assert rule.citation.split(",")[0].replace("|", "\\|") in text
        if any(not r.confirmed for r in self.pack.rules):
            assert "UNCONFIRMED" in text

    def test_index_lists_the_state(self) -> None:
        index = (ROOT / "docs" / "states" / "index.md").read_text(encoding="utf-8")
        assert render_index_table() in index
        assert f"[{self.STATE.lower()}.md]({self.STATE.lower()}.md)" in index

    # ---------------------------------------------------------------------------------------------- engine

    def test_empty_cart_is_allowed(self) -> None:
        for rules, ct in self.covered():
            decision = self.engine().check(customer_for(ct, rules), [], at=noon(self.sample_day(rules), self.pack.zone))
            assert decision.allowed
            assert all(u.requested == 0 for u in decision.usages)

    def test_budget_at_cap_allowed_and_just_over_refused(self) -> None:
        for rules, ct in self.covered():
            at = noon(self.sample_day(rules), self.pack.zone)
            customer = customer_for(ct, rules)
            probe = self.engine().check(customer, [], at=at)
            cap = self.enforced_budget_cap(probe)
            at_cap = self.engine().check(customer, [flower("a", cap)], at=at)
            assert at_cap.allowed, at_cap.explanation()
            over = self.engine().check(customer, [flower("a", cap + 0.01)], at=at)
            assert not over.allowed
            assert any(u.limit.kind is LimitKind.BUDGET for u in over.refused_by)
            assert over.explanation()[0].startswith("REFUSED")

    def test_explanation_cites_every_limit(self) -> None:
        for rules, ct in self.covered():
            decision = self.engine().check(
                customer_for(ct, rules), [flower("a", 1.0)], at=noon(self.sample_day(rules), self.pack.zone)
            )
            text = "\n".join(decision.explanation())
            for usage in decision.usages:
                assert usage.code in text and usage.limit.citation in text
            assert decision.to_dict()["allowed"] is True

    def test_naive_datetime_is_refused(self) -> None:
        rules, ct = self.covered()[0]
        day = self.sample_day(rules)
        with pytest.raises(NaiveDatetimeError):
            self.engine().check(customer_for(ct, rules), [flower("a", 1.0)], at=dt.datetime(day.year, day.month, 2))

    def test_negative_quantity_names_the_line(self) -> None:
        with pytest.raises(InvalidLineError) as info:
            CartLine(line_id="L7", category="Flower", quantity=-1, fe_grams=1.0)
        assert "L7" in str(info.value) and info.value.line_id == "L7"

    def test_missing_data_is_an_error_never_an_allowed_cart(self) -> None:
        for rules, ct in self.covered():
            bare = CartLine(line_id="bare", category="Flower", quantity=1)
            with pytest.raises(LineDataError) as info:
                self.engine().check(customer_for(ct, rules), [bare], at=noon(self.sample_day(rules), self.pack.zone))
            assert info.value.line_id == "bare"

    def test_unknown_category_names_the_line(self) -> None:
        rules, ct = self.covered()[0]
        line = CartLine(line_id="odd", category="Mystery Goo", fe_grams=1.0, grams_concentration=1.0)
        with pytest.raises(UnknownCategoryError) as info:
            self.engine().check(customer_for(ct, rules), [line], at=noon(self.sample_day(rules), self.pack.zone))
        assert "odd" in str(info.value)

    # ---------------------------------------------------------------------------------------------- properties

    @per_pack
    @given(data=st.data())
    def test_allowed_carts_never_exceed_a_cap_in_any_window(self, data: st.DataObject) -> None:
        """A random day-by-day life of one customer: sales (some topped up to exactly a cap, or just past it),
        returns of part of a sale and voids, over longer than the longest window. After every allowed sale an
        oracle re-adds what is still sold inside each window, from first principles, and no cap is exceeded."""
        rules, ct = data.draw(st.sampled_from(self.covered()), label="period and customer type")
        oracle = Oracle(self.pack)
        zone = self.pack.zone
        longest = max((r.window.days or 1 for r in rules.limits_for(ct)), default=1)
        horizon = longest + 15
        span = (
            horizon
            if rules.valid_until is None
            else max(0, min(horizon, (rules.valid_until - rules.valid_from).days - 1))
        )
        offsets = sorted(data.draw(st.lists(st.integers(0, span * 24 * 60), min_size=1, max_size=10), label="minutes"))
        start = dt.datetime.combine(rules.valid_from, dt.time(0, 5), tzinfo=zone)
        customer = customer_for(ct, rules)
        anchored = any(r.window.anchor_selectable for r in rules.limits_for(ct)) and data.draw(
            st.booleans(), label="anchor to the certification date"
        )
        engine = self.engine(period_anchor="certification_date") if anchored else self.engine()
        certified = customer.certification_date if anchored else None
        ledger = Ledger()
        cap = self.enforced_budget_cap(engine.check(customer, [], at=start))
        grams = st.floats(min_value=0.0, max_value=cap * 0.6, allow_nan=False)
        sold: dict[tuple[str, str], tuple[dt.datetime, CartLine, int]] = {}
        returned: dict[tuple[str, str], float] = {}
        for n, minutes in enumerate(offsets):
            at = start + dt.timedelta(minutes=minutes)
            if sold and data.draw(st.integers(0, 3), label="return or void first") == 0:
                tid, line_id = data.draw(st.sampled_from(sorted(sold)), label="which sale")
                if data.draw(st.booleans(), label="void the whole sale"):
                    with contextlib.suppress(LedgerError):  # already void
                        ledger.void(tid, at=at)
                        for key in [k for k in sold if k[0] == tid]:
                            del sold[key]
                else:
                    line = sold[(tid, line_id)][1]
                    left = line.quantity - returned.get((tid, line_id), 0.0)
                    if left > 0:
                        back = data.draw(st.sampled_from((left, left / 2)), label="units back")
                        ledger.record_return(tid, line_id, back, at=at)
                        returned[(tid, line_id)] = returned.get((tid, line_id), 0.0) + back
            make = data.draw(st.sampled_from(LINE_KINDS), label="line kind")
            cart = [
                data.draw(st.sampled_from(LINE_KINDS))(
                    f"l{i}", data.draw(grams) / 3.0, float(data.draw(st.integers(1, 2)))
                )
                for i in range(data.draw(st.integers(1, 3)))
            ]
            if data.draw(st.booleans(), label="top up to the cap"):
                # A line that brings the tightest enforced limit its kind reaches to its cap, or just past it:
                # where bugs live.
                probe = engine.check(customer, [*cart, make("top", 1.0)], at=at, history=ledger.history("cust"))
                per_gram = {u.code: u.requested for u in probe.usages}
                base = engine.check(customer, cart, at=at, history=ledger.history("cust"))
                rooms = [
                    u.remaining / (per_gram[u.code] - u.requested)
                    for u in base.usages
                    if u.enforced and not u.waived and per_gram[u.code] > u.requested
                ]
                if rooms:
                    delta = data.draw(st.sampled_from(EDGE_DELTAS), label="delta")
                    if min(rooms) + delta > 0:
                        cart.append(make("top", min(rooms) + delta))
            tid = f"t{n}"
            decision = ledger.sell(engine, customer, cart, at=at, transaction_id=tid)
            if not decision.allowed:
                continue
            sold.update(((tid, line.line_id), (at, line, n)) for line in cart)
            for usage in decision.usages:
                if not usage.enforced or usage.waived:
                    continue
                total = math.fsum(
                    oracle.amount(usage, attrs.evolve(line, quantity=line.quantity - returned.get(key, 0.0)), basis)
                    for key, (when, line, cart_no) in sold.items()
                    if oracle.in_window(usage, when, at, cart_no == n, certified=certified)
                    for basis in (decision.counting.basis,)
                )
                assert total <= usage.cap + CAP_TOLERANCE, (usage.describe(), total)

    @per_pack
    @given(data=st.data())
    def test_decision_does_not_depend_on_line_order(self, data: st.DataObject) -> None:
        rules, ct = data.draw(st.sampled_from(self.covered()))
        at = noon(self.sample_day(rules), self.pack.zone)
        customer = customer_for(ct, rules)
        cap = self.enforced_budget_cap(self.engine().check(customer, [], at=at))
        grams = st.floats(min_value=0.0, max_value=cap / 2, allow_nan=False)
        history = [
            PastLine(
                line=data.draw(st.sampled_from(LINE_KINDS))(f"h{i}", data.draw(grams)),
                sold_at=at - dt.timedelta(hours=1),
            )
            for i in range(data.draw(st.integers(0, 2)))
        ]
        cart = [
            data.draw(st.sampled_from(LINE_KINDS))(f"l{i}", data.draw(grams), float(data.draw(st.integers(1, 3))))
            for i in range(data.draw(st.integers(1, 8)))
        ]
        shuffled = data.draw(st.permutations(cart))
        a = self.engine().check(customer, cart, at=at, history=history)
        b = self.engine().check(customer, shuffled, at=at, history=history[::-1])
        assert a.allowed == b.allowed
        assert [u.code for u in a.refused_by] == [u.code for u in b.refused_by]
        assert [(u.code, u.used, u.total) for u in a.usages] == [(u.code, u.used, u.total) for u in b.usages]

    @per_pack
    @given(data=st.data())
    def test_splitting_a_cart_never_buys_more(self, data: st.DataObject) -> None:
        rules, ct = data.draw(st.sampled_from(self.covered()))
        at = noon(self.sample_day(rules), self.pack.zone)
        customer = customer_for(ct, rules)
        engine = self.engine()
        cap = self.enforced_budget_cap(engine.check(customer, [], at=at))
        grams = st.floats(min_value=0.0, max_value=cap * 0.8, allow_nan=False)
        cart = [
            data.draw(st.sampled_from(LINE_KINDS))(f"l{i}", data.draw(grams))
            for i in range(data.draw(st.integers(2, 6)))
        ]
        cut = data.draw(st.integers(1, len(cart) - 1))
        whole = engine.check(customer, cart, at=at)
        ledger = Ledger()
        first = ledger.sell(engine, customer, cart[:cut], at=at, transaction_id="first")
        later = at + dt.timedelta(minutes=data.draw(st.integers(0, 30)))
        second = ledger.sell(engine, customer, cart[cut:], at=later, transaction_id="second")
        windowed = [u for u in whole.usages if u.enforced and u.limit.window.kind is not WindowKind.TRANSACTION]
        if whole.allowed:
            assert first.allowed and second.allowed
        elif any(u.refuses for u in windowed):
            assert not (first.allowed and second.allowed), "two sales bought what one cart could not"
        else:
            # Refused only by per-transaction limits: each transaction is judged alone, which is what such a
            # limit means; history never enters a per-transaction limit.
            for decision in (first, second):
                for usage in decision.usages:
                    if usage.limit.window.kind is WindowKind.TRANSACTION:
                        assert usage.used == 0.0
        if first.allowed and second.allowed:
            # the two sales add up, in every window, to exactly what the single cart would have
            for usage in windowed:
                assert second.usage(usage.code).total == usage.total, usage.code

    @per_pack
    @given(data=st.data())
    def test_void_then_the_same_sale_leaves_the_budget_unchanged(self, data: st.DataObject) -> None:
        rules, ct = data.draw(st.sampled_from(self.covered()))
        at = noon(self.sample_day(rules), self.pack.zone)
        customer = customer_for(ct, rules)
        engine, ledger = self.engine(), Ledger()
        cap = self.enforced_budget_cap(engine.check(customer, [], at=at))
        grams = st.floats(min_value=0.0, max_value=cap / 12, allow_nan=False)
        kinds = st.sampled_from(LINE_KINDS)
        earlier = [data.draw(kinds)(f"p{i}", data.draw(grams)) for i in range(data.draw(st.integers(0, 3)))]
        if earlier:
            assume(ledger.sell(engine, customer, earlier, at=at - dt.timedelta(hours=2), transaction_id="p").allowed)
        before = engine.check(customer, [], at=at, history=ledger.history("cust"))
        cart = [data.draw(kinds)(f"l{i}", data.draw(grams)) for i in range(data.draw(st.integers(1, 3)))]
        first = ledger.sell(engine, customer, cart, at=at, transaction_id="a")
        assume(first.allowed)
        after_first = engine.check(customer, [], at=at, history=ledger.history("cust"))
        ledger.void("a", at=at)
        restored = engine.check(customer, [], at=at, history=ledger.history("cust"))
        assert [(u.code, u.used) for u in restored.usages] == [(u.code, u.used) for u in before.usages]
        again = ledger.sell(engine, customer, cart, at=at, transaction_id="b")
        assert again.allowed
        after_again = engine.check(customer, [], at=at, history=ledger.history("cust"))
        assert [(u.code, u.used) for u in after_again.usages] == [(u.code, u.used) for u in after_first.usages]

    def test_a_return_restores_the_budget(self) -> None:
        """Sell three units of flower, return two: the history then holds what one unit would.

        A windowed limit the sale used keeps one unit's worth and shows the room of the other two given back; a
        windowed limit flower does not count toward (a concentrate or THC sub-cap) stays at 0 throughout; a
        per-transaction limit never sees the history at all.
        """
        for rules, ct in self.covered():
            at = noon(self.sample_day(rules), self.pack.zone)
            customer = customer_for(ct, rules)
            engine, ledger = self.engine(), Ledger()
            first = ledger.sell(engine, customer, [flower("a", 2.0, quantity=3)], at=at, transaction_id="t1")
            assert first.allowed
            ledger.record_return("t1", "a", 2, at=at + dt.timedelta(hours=1))
            later = at + dt.timedelta(hours=2)
            after = engine.check(customer, [], at=later, history=ledger.history("cust"))
            one_unit = engine.check(customer, [], at=later, history=[PastLine(line=flower("a", 2.0), sold_at=at)])
            windowed_budget_used = False
            for usage in first.usages:
                now = after.usage(usage.code)
                assert now.used == pytest.approx(one_unit.usage(usage.code).used), usage.code
                if usage.limit.window.kind is WindowKind.TRANSACTION:
                    assert now.used == 0.0, usage.code
                elif usage.requested > 0:
                    assert now.used == pytest.approx(usage.requested / 3), usage.code
                    assert now.available == pytest.approx(max(usage.cap - usage.requested / 3, 0.0)), usage.code
                    assert now.available > max(usage.cap - usage.requested, 0.0), usage.code
                    windowed_budget_used |= usage.limit.kind is LimitKind.BUDGET
                else:
                    assert now.used == 0.0, usage.code
            if any(
                u.limit.kind is LimitKind.BUDGET and u.limit.window.kind is not WindowKind.TRANSACTION
                for u in first.usages
            ):
                assert windowed_budget_used, "flower counts toward the windowed budget, so the return must show there"

    def test_the_page_names_the_field_the_engine_asks_for(self) -> None:
        """For every category the docs page lists, a line with no amounts is refused naming a field the page says
        the rules read; and a line with only that field is not refused for missing data on that field."""
        from fe_compliance.states.docs import fields_read

        for rules, ct in self.covered():
            day = self.sample_day(rules)
            at = dt.datetime(day.year, day.month, day.day, 12, tzinfo=self.pack.zone)
            customer = customer_for(ct, rules)
            for category in self.pack.categories:
                cell = fields_read(rules, ct, category)
                bare = CartLine(line_id="x", category=category, metrc_category="Buds")
                if cell.startswith("exempt"):
                    assert self.engine().check(customer, [bare], at=at).lines[0].exempt, (category, ct)
                    continue
                try:
                    self.engine().check(customer, [bare], at=at)
                except LineDataError as exc:
                    field = exc.field.split()[-1]
                    assert f"`{field}`" in cell, (rules, ct, category, field, cell)
                else:
                    assert "`exempt` flag" in cell or "MassCIP" in cell or "no limit" in cell, (category, cell)

    def test_an_iso_date_text_is_a_date(self) -> None:
        day = self.pack.change_dates[-1]
        assert rules_for(self.STATE, on=day.isoformat()) is rules_for(self.STATE, on=day)
        assert rules_for(self.STATE, on=f" {day.isoformat()} ") is rules_for(self.STATE, on=day)

    @pytest.mark.parametrize("bad", ["2024-13-01", "06/01/2024", "2024-06-01T12:00", "", "yesterday", 20240601])
    def test_a_bad_date_is_a_typed_error_naming_the_field(self, bad: object) -> None:
        with pytest.raises(InvalidDateError) as info:
            rules_for(self.STATE, on=bad)  # type: ignore[arg-type]
        assert info.value.field == "on" and repr(bad) in str(info.value)

    def test_errors_are_library_errors(self) -> None:
        with pytest.raises(FEComplianceError):
            rules_for(self.STATE, on="2024-02-30")
