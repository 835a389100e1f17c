"""The engine on a synthetic pack: windows and their conventions, conditions, waivers, measures, exemptions, errors."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.errors import FEComplianceError, InvalidValueError, MissingDataError, UnknownCategoryError
from fe_compliance.limits import (
    TERMINALLY_ILL,
    CartLine,
    CountingBasis,
    CountingRule,
    Customer,
    Limit,
    LimitEngine,
    LineDataError,
    LineKind,
    NaiveDatetimeError,
    NoRulesInForceError,
    PastLine,
    PeriodAnchor,
    ReportingRule,
    RulePack,
    Window,
)
from fe_compliance.states import pack_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .packs import make_pack, rule_fields

NY = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=NY)
PACK = make_pack()
ENGINE = LimitEngine(PACK)
REC = Customer(customer_type="recreational", customer_id="r")
RESIDENT = Customer(customer_type="medical", customer_id="m", resident=True, birth_date=dt.date(1980, 1, 1))
VISITOR = Customer(customer_type="medical", customer_id="v", resident=False, birth_date=dt.date(1980, 1, 1))


def flower(line_id: str, grams: float, **extra: object) -> CartLine:
    return CartLine(line_id=line_id, category="Flower", fe_grams=grams, grams_concentration=grams, **extra)


# ------------------------------------------------------------------------------------------------------ windows


def test_elapsed_window_restores_exactly_n_days_later() -> None:
    sold = dt.datetime(2024, 5, 1, 15, 30, tzinfo=NY)
    history = [PastLine(line=flower("h", 20.0), sold_at=sold)]
    just_before = sold + dt.timedelta(days=7, seconds=-1)
    assert not ENGINE.check(RESIDENT, [flower("a", 0.1)], at=just_before, history=history).allowed
    exactly = sold + dt.timedelta(days=7)
    assert ENGINE.check(RESIDENT, [flower("a", 0.1)], at=exactly, history=history).allowed


def test_calendar_day_follows_the_store_clock_across_dst() -> None:
    # 2024-11-03 has 25 hours in New York; a sale at 00:30 and a check at 23:30 are the same store day.
    history = [
        PastLine(
            line=CartLine(line_id="h", category="Solid Edible", thc_grams=1.0, fe_grams=1),
            sold_at=dt.datetime(2024, 11, 3, 0, 30, tzinfo=NY),
        )
    ]
    edible = CartLine(line_id="e", category="Solid Edible", thc_grams=0.01, fe_grams=0.1)
    late = dt.datetime(2024, 11, 3, 23, 30, tzinfo=NY)
    decision = ENGINE.check(REC, [edible], at=late, history=history)
    assert not decision.allowed and decision.refused_by[0].code == "rec_thc"
    assert decision.usage("rec_thc").window_start == dt.datetime(2024, 11, 3, tzinfo=NY)
    next_day = dt.datetime(2024, 11, 4, 0, 0, tzinfo=NY)
    assert ENGINE.check(REC, [edible], at=next_day, history=history).allowed


def test_a_sale_just_before_midnight_is_yesterday() -> None:
    history = [
        PastLine(
            line=CartLine(line_id="h", category="Solid Edible", thc_grams=1.0, fe_grams=1.0),
            sold_at=dt.datetime(2024, 3, 9, 23, 59, tzinfo=NY),
        )
    ]
    edible = CartLine(line_id="e", category="Solid Edible", thc_grams=0.5, fe_grams=0.5)
    spring = dt.datetime(2024, 3, 10, 3, 30, tzinfo=NY)  # after the 02:00 -> 03:00 jump
    assert ENGINE.check(REC, [edible], at=spring, history=history).usage("rec_thc").used == 0.0


def test_history_outside_every_window_is_not_read() -> None:
    old = PastLine(
        line=CartLine(line_id="x", category="Not A Category", fe_grams=1.0), sold_at=AT - dt.timedelta(days=90)
    )
    assert ENGINE.check(REC, [flower("a", 1.0)], at=AT, history=[old]).allowed
    recent = PastLine(line=CartLine(line_id="x", category="Not A Category", fe_grams=1.0), sold_at=AT)
    with pytest.raises(UnknownCategoryError) as info:
        ENGINE.check(REC, [], at=AT, history=[recent])
    assert "'x'" in str(info.value)


def test_per_transaction_limits_ignore_history() -> None:
    history = [PastLine(line=flower("h", 10.0), sold_at=AT)]
    decision = ENGINE.check(REC, [flower("a", 10.0)], at=AT, history=history)
    assert decision.allowed and decision.usage("rec_total").used == 0.0
    assert decision.usage("rec_total").window_start is None
    assert decision.usage("rec_advisory").used == 10.0


# --------------------------------------------------------------------------------------------------- conditions


def test_residency_picks_the_limit() -> None:
    line = [flower("a", 15.0)]
    assert ENGINE.check(RESIDENT, line, at=AT).allowed
    decision = ENGINE.check(VISITOR, line, at=AT)
    assert not decision.allowed and decision.codes() == ("med_visitor",)


def test_unknown_residency_is_an_error() -> None:
    unknown = Customer(customer_type="medical", birth_date=dt.date(1980, 1, 1))
    with pytest.raises(MissingDataError) as info:
        ENGINE.check(unknown, [flower("a", 1.0)], at=AT)
    assert info.value.field == "customer.resident"


def test_age_band_applies_the_young_patient_sub_cap() -> None:
    wax = CartLine(line_id="w", category="Concentrate", grams_concentration=3.0, fe_grams=3.0)
    young = Customer(customer_type="medical", resident=True, birth_date=dt.date(2005, 5, 2))  # 18 on AT
    decision = ENGINE.check(young, [wax], at=AT)
    assert not decision.allowed and decision.refused_by[0].code == "med_young_concentrate"
    turned_21 = Customer(customer_type="medical", resident=True, birth_date=dt.date(2003, 5, 1))
    assert ENGINE.check(turned_21, [wax], at=AT).allowed


def test_unknown_age_is_an_error_when_a_limit_needs_it() -> None:
    no_birthday = Customer(customer_type="medical", resident=True)
    with pytest.raises(MissingDataError) as info:
        ENGINE.check(no_birthday, [flower("a", 1.0)], at=AT)
    assert info.value.field == "customer.birth_date"


def test_waived_limits_are_shown_but_never_refuse() -> None:
    patient = Customer(
        customer_type="medical", resident=True, birth_date=dt.date(1980, 1, 1), exemptions=TERMINALLY_ILL
    )
    decision = ENGINE.check(patient, [flower("a", 500.0)], at=AT)
    assert decision.allowed
    usage = decision.usage("med_resident")
    assert usage.waived and usage.requested == 500.0 and not usage.exceeded


def test_allotment_override_replaces_only_budgets() -> None:
    patient = Customer(
        customer_type="medical", resident=True, birth_date=dt.date(2005, 1, 1), allotment_override="50 g"
    )
    wax = CartLine(line_id="w", category="Concentrate", grams_concentration=3.0, fe_grams=30.0)
    decision = ENGINE.check(patient, [wax], at=AT)
    assert decision.usage("med_resident").cap == 50.0 and decision.usage("med_resident").overridden
    assert decision.usage("med_young_concentrate").cap == 2.0
    assert not decision.allowed


def test_an_override_naming_an_unknown_limit_is_an_error() -> None:
    patient = Customer(customer_type="recreational", allotment_override="50 g", override_limit="nope")
    with pytest.raises(InvalidValueError):
        ENGINE.check(patient, [], at=AT)


# ------------------------------------------------------------------------------------------------- measures


def test_thc_sub_cap_needs_thc() -> None:
    edible = CartLine(line_id="e1", category="Solid Edible", fe_grams=1.0)
    with pytest.raises(LineDataError) as info:
        ENGINE.check(REC, [edible], at=AT)
    assert info.value.line_id == "e1" and "thc_grams" in str(info.value)


def test_fe_definition_computes_a_missing_fe() -> None:
    edible = CartLine(line_id="e", category="Solid Edible", thc_grams="50 mg")
    decision = ENGINE.check(REC, [edible], at=AT)
    assert decision.lines[0].counted == pytest.approx(0.5)
    assert decision.lines[0].method == "fe_definition" and "ratio" in decision.lines[0].how


def test_volume_sub_cap_counts_millilitres() -> None:
    drinks = CartLine(line_id="d", category="Beverage", volume_ml="12 floz", quantity=2, fe_grams=0.1)
    decision = ENGINE.check(REC, [drinks], at=AT)
    assert decision.usage("rec_liquid").requested == pytest.approx(709.765, rel=1e-6)
    assert decision.usage("rec_liquid").unit == "ml"
    assert not decision.allowed


def test_line_flag_exemption_is_honoured_only_where_the_pack_says_so() -> None:
    marked = flower("a", 80.0, exempt=True)
    assert ENGINE.check(REC, [marked], at=AT).lines[0].exempt
    mi = LimitEngine(pack_for("MI"))
    decision = mi.check(REC, [marked], at=AT)
    assert not decision.lines[0].exempt and not decision.allowed


def test_exempt_category_needs_no_data() -> None:
    decision = ENGINE.check(REC, [CartLine(line_id="t", category="Topical")], at=AT)
    assert decision.allowed and decision.lines[0].exempt and "exempt" in decision.lines[0].how


# ---------------------------------------------------------------------------------------------------- errors


def test_not_researched_customer_type_is_refused() -> None:
    engine = LimitEngine(make_pack(medical_researched=False))
    with pytest.raises(NoRulesInForceError) as info:
        engine.check(RESIDENT, [flower("a", 1.0)], at=AT)
    assert "does not cover medical" in str(info.value)


def test_duplicate_line_ids_are_refused() -> None:
    with pytest.raises(InvalidValueError):
        ENGINE.check(REC, [flower("a", 1.0), flower("a", 2.0)], at=AT)


def test_cart_items_must_be_cart_lines() -> None:
    with pytest.raises(InvalidValueError):
        ENGINE.check(REC, [{"line_id": "a"}], at=AT)  # type: ignore[list-item]


def test_history_items_must_be_past_lines() -> None:
    with pytest.raises(InvalidValueError) as info:
        ENGINE.check(RESIDENT, [], at=AT, history=[flower("h", 1.0)])  # type: ignore[list-item]
    assert info.value.field == "history"


def test_engines_with_equal_aliases_share_a_plan() -> None:
    rules = PACK.in_force(AT.date())
    before = len(rules._cache)
    for _ in range(3):
        LimitEngine(PACK, aliases={"Bud Bits": "Flower"}).check(REC, [flower("a", 1.0)], at=AT)
    assert len(rules._cache) - before <= 2
    line = CartLine(line_id="b", category="Bud Bits", fe_grams=1.0)
    assert LimitEngine(PACK, aliases={"Bud Bits": "Flower"}).check(REC, [line], at=AT).lines[0].category == "Flower"


def test_at_must_be_aware() -> None:
    with pytest.raises(NaiveDatetimeError) as info:
        ENGINE.check(REC, [], at=dt.datetime(2024, 5, 1, 12))
    assert info.value.field == "at"


def test_engine_options_are_checked() -> None:
    with pytest.raises(InvalidValueError):
        LimitEngine(PACK, store_tz="Mars/Olympus_Mons")
    with pytest.raises(InvalidValueError):
        LimitEngine(PACK, period_anchor="sometimes")
    with pytest.raises(InvalidValueError):
        LimitEngine("MI")  # type: ignore[arg-type]
    for field, options in (
        ("aliases", {"aliases": 5}),
        ("aliases", {"aliases": ["Bud"]}),
        ("masscip_table", {"masscip_table": {"Buds": 1.0}}),
        ("masscip_table", {"masscip_table": 5}),
    ):
        with pytest.raises(InvalidValueError) as info:
            LimitEngine(pack_for("MA"), **options)  # type: ignore[arg-type]
        assert info.value.field == field


def test_certification_after_the_sale_is_an_error() -> None:
    anchored = LimitEngine(pack_for("MA"), period_anchor=PeriodAnchor.CERTIFICATION_DATE)
    future = Customer(customer_type="medical", certification_date=dt.date(2025, 1, 1))
    with pytest.raises(InvalidValueError) as info:
        anchored.check(future, [], at=AT)
    assert info.value.field == "customer.certification_date"


def test_a_customer_is_medical_or_recreational() -> None:
    with pytest.raises(InvalidValueError):
        Customer(customer_type="all")


def test_every_engine_error_is_a_library_error() -> None:
    for bad in (
        lambda: ENGINE.check(REC, [CartLine(line_id="z", category="Flower")], at=AT),
        lambda: ENGINE.check(REC, [], at="noon"),  # type: ignore[arg-type]
        lambda: ENGINE.check("rec", [], at=AT),  # type: ignore[arg-type]
        lambda: PACK.in_force(dt.date(2019, 12, 31)),
    ):
        with pytest.raises(FEComplianceError):
            bad()


# ------------------------------------------------------------------------------------------------ explaining


def test_decision_serialises_and_explains_with_flags() -> None:
    decision = ENGINE.check(REC, [flower("a", 25.0)], at=AT)
    data = decision.to_dict()
    json.dumps(data)
    assert data["refused_by"] == ["rec_total"]
    text = "\n".join(decision.explanation())
    assert "REFUSED" in text and "Test Code s.rec_total" in text
    assert "[UNCONFIRMED]" in text and "advisory" in text
    assert any("rec_advisory" in w for w in decision.warnings)


def test_rules_for_a_datetime_use_the_pack_zone() -> None:
    # 02:00 UTC on 1 January 2022 is still 31 December 2021 in New York.
    rules = PACK.in_force(dt.datetime(2022, 1, 1, 2, tzinfo=dt.UTC))
    assert rules.real_time_required is False
    assert PACK.in_force(dt.date(2022, 1, 1)).real_time_required is True


def test_calendar_month_counts_from_the_first_and_restores_on_the_next_first() -> None:
    monthly = RulePack(
        state="ZZ",
        name="Monthly",
        time_zone="America/New_York",
        rules=(
            Limit(**rule_fields("month"), customer_type="medical", window=Window.calendar_month(), cap="5 oz"),
            CountingRule(**rule_fields("counting"), customer_type="all", basis=CountingBasis.PACKAGE_FE),
            ReportingRule(**rule_fields("reporting"), real_time_required=False),
        ),
    )
    engine = LimitEngine(monthly)
    patient = Customer(customer_type="medical")
    five = 5 * GRAMS_PER_OUNCE
    history = [PastLine(line=flower("h", five), sold_at=dt.datetime(2024, 2, 1, 0, 0, tzinfo=NY))]
    leap_day = dt.datetime(2024, 2, 29, 23, 59, tzinfo=NY)
    full = engine.check(patient, [flower("a", 0.1)], at=leap_day, history=history)
    assert not full.allowed and full.usage("month").used == pytest.approx(five)
    assert full.usage("month").window_start == dt.datetime(2024, 2, 1, tzinfo=NY)
    march = engine.check(patient, [flower("a", five)], at=dt.datetime(2024, 3, 1, 0, 0, tzinfo=NY), history=history)
    assert march.allowed and march.usage("month").used == 0.0
    assert march.usage("month").window_start == dt.datetime(2024, 3, 1, tzinfo=NY)
    # The store's zone decides the month: 04:30 UTC on 1 March is still 29 February in New York.
    assert not engine.check(
        patient, [flower("a", 0.1)], at=dt.datetime(2024, 3, 1, 4, 30, tzinfo=dt.UTC), history=history
    ).allowed
    # A sale a minute before midnight on 31 January is January's: the full cap is back a minute later.
    january = [PastLine(line=flower("j", five), sold_at=dt.datetime(2024, 1, 31, 23, 59, tzinfo=NY))]
    feb_1 = dt.datetime(2024, 2, 1, 0, 1, tzinfo=NY)
    assert engine.check(patient, [flower("a", five)], at=feb_1, history=january).allowed
    assert not engine.check(
        patient, [flower("a", 0.1)], at=dt.datetime(2024, 1, 31, 23, 59, 30, tzinfo=NY), history=january
    ).allowed


# ------------------------------------------------------------------------------------------- returns and history


def _return(line: CartLine, sold_at: dt.datetime, tid: str) -> PastLine:
    return PastLine(line=line, sold_at=sold_at, transaction_id=tid, kind=LineKind.RETURN)


def test_a_return_without_its_sale_gives_nothing_back() -> None:
    # The POS history holds a 20 g sale and a return from another transaction whose sale it does not hold: the
    # stray return must not make room for a second 20 g (the window would end at 40 g against a 20 g cap).
    sold = AT - dt.timedelta(days=1)
    history = [
        PastLine(line=flower("a", 20.0), sold_at=sold, transaction_id="t1"),
        _return(flower("a", 20.0), sold, "t0"),
    ]
    decision = ENGINE.check(RESIDENT, [flower("b", 20.0)], at=AT, history=history)
    assert not decision.allowed and decision.usage("med_resident").used == 20.0
    assert any("'t0'" in w and "gives nothing back" in w for w in decision.warnings)


def test_a_return_larger_than_its_sale_gives_back_only_the_sale() -> None:
    sold = AT - dt.timedelta(days=1)
    history = [
        PastLine(line=flower("a", 5.0), sold_at=sold, transaction_id="t1"),
        _return(flower("a", 5.0, quantity=3), sold, "t1"),  # three units back of a one-unit sale
    ]
    decision = ENGINE.check(RESIDENT, [flower("b", 20.0)], at=AT, history=history)
    usage = decision.usage("med_resident")
    assert usage.used == 0.0 and decision.allowed
    assert not ENGINE.check(RESIDENT, [flower("b", 20.1)], at=AT, history=history).allowed
    assert any("only what the sale took" in w and "med_resident" in w for w in decision.warnings)


def test_a_return_dated_after_its_sale_gives_back_only_in_windows_holding_the_sale() -> None:
    # A POS that dates the return at the return time: the sale (8 days ago) is outside the 7 x 24 h window, the
    # return inside it; it must not make room there.
    sale_at = AT - dt.timedelta(days=8)
    history = [
        PastLine(line=flower("a", 15.0), sold_at=sale_at, transaction_id="t1"),
        _return(flower("a", 15.0), AT - dt.timedelta(days=1), "t1"),
        PastLine(line=flower("c", 20.0), sold_at=AT - dt.timedelta(hours=2), transaction_id="t2"),
    ]
    decision = ENGINE.check(RESIDENT, [flower("b", 1.0)], at=AT, history=history)
    assert decision.usage("med_resident").used == 20.0 and not decision.allowed


def test_a_return_of_another_category_gives_back_nothing_to_limits_its_sale_did_not_use() -> None:
    # Sold flower, "returned" as edibles: the edible THC sub-cap must not go below zero.
    sold = AT - dt.timedelta(hours=3)
    gummy = CartLine(line_id="a", category="Solid Edible", thc_grams=1.0, fe_grams=1.0)
    history = [PastLine(line=flower("a", 5.0), sold_at=sold, transaction_id="t1"), _return(gummy, sold, "t1")]
    decision = ENGINE.check(
        REC, [CartLine(line_id="g", category="Solid Edible", thc_grams=1.0, fe_grams=1.0)], at=AT, history=history
    )
    assert decision.usage("rec_thc").used == 0.0 and decision.allowed
    over = CartLine(line_id="g", category="Solid Edible", thc_grams=1.01, fe_grams=1.0)
    assert not ENGINE.check(REC, [over], at=AT, history=history).allowed


def test_matched_returns_give_back_exactly() -> None:
    sold = AT - dt.timedelta(days=2)
    history = [
        PastLine(line=flower("a", 4.0, quantity=5), sold_at=sold, transaction_id="t1"),
        _return(flower("a", 4.0, quantity=2), sold, "t1"),
        _return(flower("a", 4.0, quantity=3), sold, "t1"),
    ]
    decision = ENGINE.check(RESIDENT, [flower("b", 20.0)], at=AT, history=history)
    assert decision.usage("med_resident").used == 0.0 and decision.allowed and not decision.warnings


def test_sums_too_large_to_add_refuse_instead_of_crashing() -> None:
    huge = [flower(f"h{i}", 1e308) for i in range(3)]
    decision = ENGINE.check(RESIDENT, huge, at=AT)
    assert not decision.allowed and decision.usage("med_resident").requested == float("inf")
    history = [PastLine(line=flower(f"p{i}", 1e308), sold_at=AT - dt.timedelta(hours=1)) for i in range(3)]
    assert not ENGINE.check(RESIDENT, [flower("b", 1.0)], at=AT, history=history).allowed


@pytest.mark.parametrize("bad", [None, 5, "lines", {"a": 1}, b"xy"])
def test_cart_and_history_must_be_iterables_of_lines(bad: object) -> None:
    for kwargs in ({"cart": bad}, {"cart": [], "history": bad}):
        with pytest.raises(InvalidValueError) as info:
            ENGINE.check(REC, at=AT, **kwargs)  # type: ignore[arg-type]
        assert info.value.field == next(iter(reversed(kwargs)))


def test_a_moment_at_the_end_of_the_datetime_range_is_a_library_error() -> None:
    # 0001-01-01 00:00 UTC is still in year 0 in New York: no local calendar day exists for it.
    earliest = dt.datetime.min.replace(tzinfo=dt.UTC)
    with pytest.raises(InvalidValueError) as info:
        ENGINE.check(REC, [], at=earliest)
    assert info.value.field == "at"
    with pytest.raises(InvalidValueError) as info:
        PACK.in_force(earliest)
    assert info.value.field == "on"
