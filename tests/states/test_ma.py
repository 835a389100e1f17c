"""Massachusetts: adult-use daily cap with THC-based equivalents and exempt topicals; medical MassCIP counting over
a 60-day period, rolling or anchored to the certification date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.errors import MissingDataError, UnknownCategoryError
from fe_compliance.limits import (
    SALES_LIMIT_EXEMPTION,
    CartLine,
    CountingBasis,
    Customer,
    LimitEngine,
    LineDataError,
    NoRulesInForceError,
    PastLine,
    PeriodAnchor,
)
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, flower

BOSTON = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 3, 15, 12, tzinfo=BOSTON)
REC = Customer(customer_type="recreational", customer_id="r")
MED = Customer(customer_type="medical", customer_id="m", certification_date=dt.date(2024, 1, 1))
TEN_OZ = 10 * GRAMS_PER_OUNCE


def buds(line_id: str, grams: float, quantity: float = 1) -> CartLine:
    return CartLine(
        line_id=line_id, category="Flower", metrc_category="Buds", grams_concentration=grams, quantity=quantity
    )


class TestMA(StatePackTests):
    STATE = "MA"

    # ---------------------------------------------------------------------------------------- adult-use

    def test_adult_use_one_ounce_per_store_day(self) -> None:
        history = [PastLine(line=flower("h", GRAMS_PER_OUNCE), sold_at=dt.datetime(2024, 3, 15, 9, tzinfo=BOSTON))]
        refused = check_cart("MA", REC, [flower("a", 0.5)], at=AT, history=history)
        assert not refused.allowed and refused.usage("ma_rec_daily").used == pytest.approx(GRAMS_PER_OUNCE)
        tomorrow = dt.datetime(2024, 3, 16, 0, 0, tzinfo=BOSTON)
        assert check_cart("MA", REC, [flower("a", GRAMS_PER_OUNCE)], at=tomorrow, history=history).allowed

    def test_concentrate_counts_by_active_thc_per_the_rule_text(self) -> None:
        wax = CartLine(line_id="w", category="Concentrate", grams_concentration=6.0, thc_grams=5.0)
        decision = check_cart("MA", REC, [wax], at=AT)
        assert decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        assert decision.allowed and decision.warnings == ()
        rule = decision.lines[0].rule
        assert rule is not None and rule.confirmed and "500.146(2)(a)" in rule.citation
        over = CartLine(line_id="w", category="Concentrate", grams_concentration=6.0, thc_grams=5.01)
        assert not check_cart("MA", REC, [over], at=AT).allowed

    def test_a_concentrate_with_only_its_weight_counts_the_weight_as_thc_with_a_warning(self) -> None:
        wax = CartLine(line_id="w", category="Concentrate", grams_concentration=4.0)
        decision = check_cart("MA", REC, [wax], at=AT)
        assert decision.allowed and decision.lines[0].method == "fe_definition_weight_bound"
        assert decision.lines[0].counted == pytest.approx(4.0 / 5.0 * GRAMS_PER_OUNCE)
        warning = next(w for w in decision.warnings if "upper bound" in w)
        assert "'w'" in warning and "grams_concentration" in warning
        assert "upper bound" in "\n".join(decision.explanation())
        assert decision.to_dict()["lines"][0]["warnings"] == [warning]
        # the weight is never looser than the THC it bounds: 5.01 g of product is refused like 5.01 g of THC
        assert not check_cart("MA", REC, [CartLine(line_id="w", category="Wax", net_weight_grams=5.01)], at=AT).allowed
        # both weights given: the larger one bounds the THC
        both = CartLine(line_id="w", category="Vape Cartridge", grams_concentration=0.5, net_weight_grams=1.0)
        assert check_cart("MA", REC, [both], at=AT).lines[0].counted == pytest.approx(GRAMS_PER_OUNCE / 5.0)

    def test_a_concentrate_with_no_thc_and_no_weight_names_thc_grams(self) -> None:
        with pytest.raises(LineDataError) as info:
            check_cart("MA", REC, [CartLine(line_id="w", category="Concentrate", volume_ml=1.0)], at=AT)
        assert info.value.field == "line 'w' thc_grams" and "volume_ml=1" in str(info.value)

    def test_tinctures_take_the_concentrate_figure(self) -> None:
        drops = CartLine(line_id="t", category="Tincture", thc_grams="5 g")
        decision = check_cart("MA", REC, [drops], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        assert decision.lines[0].status == "confirmed"
        # 1 g of THC in tinctures is a fifth of the day, not two ounces (the edible figure)
        one = check_cart("MA", REC, [CartLine(line_id="t", category="Tincture", thc_grams="1 g")], at=AT)
        assert one.allowed and one.usage("ma_rec_daily").requested == pytest.approx(GRAMS_PER_OUNCE / 5.0)

    def test_edibles_500_mg_thc_is_one_ounce(self) -> None:
        gummies = CartLine(line_id="g", category="Edibles", thc_grams="100 mg", quantity=5)
        decision = check_cart("MA", REC, [gummies], at=AT)
        assert decision.usage("ma_rec_daily").requested == pytest.approx(GRAMS_PER_OUNCE)
        assert decision.allowed

    def test_the_edible_figure_applied_beyond_edibles_is_flagged(self) -> None:
        rules = rules_for("MA", on=AT)
        flags = {e.category: e.confirmed for e in rules.equivalencies_for("recreational")}
        assert flags["Solid Edible"] and flags["Liquid Edible"] and flags["Tincture"] and flags["Concentrate"]
        assert not flags["Infused Non-Edible"] and not flags["Combined Inhalable"]
        oil = CartLine(line_id="t", category="Infused Non-Edible", thc_grams="500 mg")
        decision = check_cart("MA", REC, [oil], at=AT)
        assert decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE) and decision.allowed
        assert "[UNCONFIRMED]" in "\n".join(decision.explanation())

    def test_topicals_are_exempt_for_adult_use_and_need_no_data(self) -> None:
        balm = CartLine(line_id="t", category="Topicals", quantity=10)
        decision = check_cart("MA", REC, [balm, flower("f", GRAMS_PER_OUNCE)], at=AT)
        assert decision.allowed and decision.lines[0].exempt
        assert decision.lines[0].rule is not None and decision.lines[0].rule.code == "ma_rec_topicals"

    # ------------------------------------------------------------------------------------------ medical

    def test_medical_counts_as_masscip_does(self) -> None:
        assert rules_for("MA", on=AT).counting_rule("medical").basis is CountingBasis.MASSCIP
        wax = CartLine(line_id="w", category="Concentrate", metrc_category="Concentrate", grams_concentration=1.0)
        decision = check_cart("MA", MED, [buds("b", 3.5), wax], at=AT)
        assert [c.counted for c in decision.lines] == [3.5, pytest.approx(5.3)]

    def test_medical_ignores_the_pos_fe(self) -> None:
        wax = CartLine(
            line_id="w", category="Concentrate", metrc_category="Concentrate", grams_concentration=1.0, fe_grams=1.0
        )
        assert check_cart("MA", MED, [wax], at=AT).lines[0].counted == pytest.approx(5.3)

    def test_medical_topicals_follow_the_masscip_table(self) -> None:
        balm = CartLine(line_id="t", category="Topical", metrc_category="Topical", grams_concentration=0.1)
        decision = check_cart("MA", MED, [balm], at=AT)
        assert decision.lines[0].counted == pytest.approx(0.53)

    def test_medical_line_without_metrc_category_is_an_error(self) -> None:
        line = CartLine(line_id="x1", category="Flower", grams_concentration=3.5, fe_grams=3.5)
        with pytest.raises(LineDataError) as info:
            check_cart("MA", MED, [line], at=AT)
        assert info.value.line_id == "x1" and "metrc_category" in str(info.value)

    def test_medical_unknown_metrc_category_names_the_line(self) -> None:
        line = CartLine(line_id="x2", category="Flower", grams_concentration=3.5, metrc_category="Moon Rocks??")
        with pytest.raises(UnknownCategoryError) as info:
            check_cart("MA", MED, [line], at=AT)
        assert "x2" in str(info.value)

    def test_medical_cap_is_ten_ounces_in_sixty_days(self) -> None:
        history = [PastLine(line=buds("h", TEN_OZ - 1.0), sold_at=AT - dt.timedelta(days=30))]
        self.assert_cap(MED, 1.0, "ma_med_60_day", at=AT, line=buds, history=history)

    def test_rolling_sixty_days_restores_on_day_61(self) -> None:
        self.assert_restored(
            MED,
            buds("h", TEN_OZ),
            sold_at=dt.datetime(2024, 1, 10, 18, tzinfo=BOSTON),
            last=dt.datetime(2024, 3, 9, 23, 59, tzinfo=BOSTON),  # day 60
            restored=dt.datetime(2024, 3, 10, 0, 0, tzinfo=BOSTON),  # day 61
            again=1.0,
        )

    def test_anchored_periods_start_at_the_certification_date(self) -> None:
        # Certified 2024-01-01: periods are Jan 1 - Feb 29 and Mar 1 - Apr 29 (2024 is a leap year).
        anchored = LimitEngine(pack_for("MA"), period_anchor=PeriodAnchor.CERTIFICATION_DATE)
        history = [PastLine(line=buds("h", TEN_OZ), sold_at=dt.datetime(2024, 2, 28, 12, tzinfo=BOSTON))]
        march_1 = dt.datetime(2024, 3, 1, 9, tzinfo=BOSTON)
        decision = anchored.check(MED, [buds("a", 10.0)], at=march_1, history=history)
        assert decision.allowed and decision.usage("ma_med_60_day").used == 0.0
        assert decision.usage("ma_med_60_day").window_start == dt.datetime(2024, 3, 1, tzinfo=BOSTON)
        rolling = LimitEngine(pack_for("MA"))
        assert not rolling.check(MED, [buds("a", 10.0)], at=march_1, history=history).allowed

    def test_anchoring_needs_a_certification_date(self) -> None:
        anchored = LimitEngine(pack_for("MA"), period_anchor="certification_date")
        with pytest.raises(MissingDataError) as info:
            anchored.check(Customer(customer_type="medical"), [buds("a", 1.0)], at=AT)
        assert info.value.field == "customer.certification_date"

    def test_anchoring_does_not_touch_adult_use_days(self) -> None:
        anchored = LimitEngine(pack_for("MA"), period_anchor=PeriodAnchor.CERTIFICATION_DATE)
        assert anchored.check(REC, [flower("a", 1.0)], at=AT).allowed

    def test_sales_limit_exemption_waives_medical_limits(self) -> None:
        exempt = Customer(customer_type="medical", customer_id="x", exemptions=(SALES_LIMIT_EXEMPTION,))
        history = [PastLine(line=buds("h", TEN_OZ), sold_at=AT - dt.timedelta(days=3))]
        decision = check_cart("MA", exempt, [buds("a", 100.0)], at=AT, history=history)
        assert decision.allowed
        usage = decision.usage("ma_med_60_day")
        assert usage.waived and usage.total == pytest.approx(TEN_OZ + 100.0)
        assert "WAIVED" in "\n".join(decision.explanation())

    def test_a_patients_certified_amount_replaces_the_ten_ounces(self) -> None:
        limit = pack_for("MA").rule("ma_med_60_day", on="2024-03-15")
        assert limit.confirmed and "certification" in limit.summary and "501.140(3)(a)" in limit.citation
        six = Customer(customer_type="medical", allotment_override="6 oz", override_limit="ma_med_60_day")
        history = [PastLine(line=buds("h", 5 * GRAMS_PER_OUNCE), sold_at=AT - dt.timedelta(days=3))]
        decision = check_cart("MA", six, [buds("a", GRAMS_PER_OUNCE + 0.01)], at=AT, history=history)
        assert [u.code for u in decision.refused_by] == ["ma_med_60_day"]
        assert decision.usage("ma_med_60_day").cap == pytest.approx(6 * GRAMS_PER_OUNCE)
        assert decision.usage("ma_med_14_day").cap == pytest.approx(2.5 * GRAMS_PER_OUNCE)  # not an override target

    def test_allotment_override_replaces_the_medical_cap(self) -> None:
        patient = Customer(customer_type="medical", allotment_override="12 oz", override_limit="ma_med_60_day")
        history = [PastLine(line=buds("h", TEN_OZ), sold_at=AT - dt.timedelta(days=3))]
        decision = check_cart("MA", patient, [buds("a", GRAMS_PER_OUNCE)], at=AT, history=history)
        assert decision.allowed and decision.usage("ma_med_60_day").overridden
        assert decision.usage("ma_med_60_day").cap == pytest.approx(12 * GRAMS_PER_OUNCE)

    def test_fourteen_day_supply_is_advisory(self) -> None:
        history = [PastLine(line=buds("h", 3 * GRAMS_PER_OUNCE), sold_at=AT - dt.timedelta(days=2))]
        decision = check_cart("MA", MED, [buds("a", 1.0)], at=AT, history=history)
        assert decision.allowed and decision.usage("ma_med_14_day").exceeded
        assert any("ma_med_14_day" in w for w in decision.warnings)

    def test_returns_in_history_restore_the_medical_budget(self) -> None:
        sold = AT - dt.timedelta(days=10)
        sale = PastLine(line=buds("h", TEN_OZ), sold_at=sold, transaction_id="t")
        from fe_compliance.limits import LineKind

        back = PastLine(line=buds("h", TEN_OZ / 2), sold_at=sold, transaction_id="t", kind=LineKind.RETURN)
        decision = check_cart("MA", MED, [buds("a", TEN_OZ / 2)], at=AT, history=[sale, back])
        assert decision.allowed and decision.usage("ma_med_60_day").used == pytest.approx(TEN_OZ / 2)

    def test_before_the_first_rule_is_an_error(self) -> None:
        with pytest.raises(NoRulesInForceError):
            rules_for("MA", on=dt.date(2018, 11, 19))

    def test_batch_mode_warns(self) -> None:
        self.assert_reporting(real_time=True, at=AT)
