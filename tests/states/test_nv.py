"""Nevada: SB 277 changes the adult-use limit on 2024-01-01; one budget with a linear trade-off; medical 14 days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.limits import CartLine, Customer, WindowKind
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, flower, wax

VEGAS = ZoneInfo("America/Los_Angeles")
AT = dt.datetime(2024, 6, 1, 12, tzinfo=VEGAS)
OLD = dt.datetime(2023, 6, 1, 12, tzinfo=VEGAS)
REC = Customer(customer_type="recreational", customer_id="r")
MED = Customer(customer_type="medical", customer_id="m")


class TestNV(StatePackTests):
    STATE = "NV"

    def test_sb_277_changes_the_rules_on_2024_01_01(self) -> None:
        before = rules_for("NV", on=dt.date(2023, 12, 31))
        after = rules_for("NV", on=dt.date(2024, 1, 1))
        assert before is not after
        assert before.budgets_for("recreational")[0].cap_value == pytest.approx(GRAMS_PER_OUNCE)
        assert after.budgets_for("recreational")[0].cap_value == pytest.approx(2.5 * GRAMS_PER_OUNCE)
        ratio = {rs: rs.definitions().lookup("Concentrate", "recreational").ratio for rs in (before, after)}
        assert ratio[before] == pytest.approx(8.0) and ratio[after] == pytest.approx(10.0)
        assert pack_for("NV").change_dates == (dt.date(2017, 7, 1), dt.date(2024, 1, 1))

    def test_the_store_day_picks_the_rules(self) -> None:
        # 05:00 UTC on 1 January 2024 is still 31 December in Las Vegas: the old 1 oz limit applies.
        utc_new_year = dt.datetime(2024, 1, 1, 5, tzinfo=dt.UTC)
        decision = check_cart("NV", REC, [flower("a", 2 * GRAMS_PER_OUNCE)], at=utc_new_year)
        assert not decision.allowed and decision.rules.valid_until == dt.date(2024, 1, 1)
        morning = dt.datetime(2024, 1, 1, 8, tzinfo=VEGAS)
        assert check_cart("NV", REC, [flower("a", 2 * GRAMS_PER_OUNCE)], at=morning).allowed

    def test_a_quarter_ounce_of_concentrate_takes_the_whole_budget(self) -> None:
        quarter = 0.25 * GRAMS_PER_OUNCE
        decision = check_cart("NV", REC, [wax("w", quarter)], at=AT)
        assert decision.allowed
        assert decision.lines[0].counted == pytest.approx(2.5 * GRAMS_PER_OUNCE)
        assert not check_cart("NV", REC, [wax("w", quarter), flower("f", 0.1)], at=AT).allowed

    def test_linear_trade_off_half_and_half(self) -> None:
        half_flower = flower("f", 1.25 * GRAMS_PER_OUNCE)
        half_wax = wax("w", 0.125 * GRAMS_PER_OUNCE)
        decision = check_cart("NV", REC, [half_flower, half_wax], at=AT)
        assert decision.allowed
        assert decision.usage("nv_rec_daily").total == pytest.approx(2.5 * GRAMS_PER_OUNCE)

    def test_before_2024_an_eighth_of_concentrate_is_the_budget(self) -> None:
        self.assert_cap(REC, 0.125 * GRAMS_PER_OUNCE, "nv_rec_daily", at=OLD, line=wax)

    def test_other_products_by_thc_7087_mg(self) -> None:
        edibles = CartLine(line_id="e", category="Edibles", thc_grams="100 mg", quantity=70)
        decision = check_cart("NV", REC, [edibles], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(7000 / 7087 * 2.5 * GRAMS_PER_OUNCE)
        more = CartLine(line_id="e", category="Edibles", thc_grams="100 mg", quantity=71)
        assert not check_cart("NV", REC, [more], at=AT).allowed

    def test_pre_2024_no_flower_figure_is_the_charts_3543_mg(self) -> None:
        edibles = CartLine(line_id="e", category="Edibles", thc_grams="3543 mg")
        decision = check_cart("NV", REC, [edibles], at=OLD)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        rule = decision.lines[0].rule
        assert rule is not None and rule.confirmed and "chart" in rule.citation
        # 3,543.5 mg is within 1/8 oz of THC (3,543.7 mg) but over the chart's figure: refused
        over = CartLine(line_id="e", category="Edibles", thc_grams="3543.5 mg")
        assert not check_cart("NV", REC, [over], at=OLD).allowed

    def test_citations_follow_the_statutes(self) -> None:
        pack = pack_for("NV")
        for day in ("2023-06-01", "2024-06-01"):
            assert "NRS 678D.200" in pack.rule("nv_rec_daily", on=day).citation
        medical = pack.rule("nv_med_14_day")
        assert medical.citation.startswith("NRS 678C.200") and "repealed" in medical.citation
        assert all("678D.420" not in r.citation and not r.citation.startswith("NRS 453A") for r in pack.rules)

    def test_adult_use_counts_the_store_day_flagged_as_a_reading(self) -> None:
        # The sources give no window (NRS 678D.200 seen in the index only): a full 2.5 oz in the morning leaves
        # nothing for the afternoon, and the room comes back at local midnight.
        morning = dt.datetime(2024, 6, 1, 9, tzinfo=VEGAS)
        self.assert_restored(
            REC,
            flower("h", 2.5 * GRAMS_PER_OUNCE),
            sold_at=morning,
            last=dt.datetime(2024, 6, 1, 23, 59, tzinfo=VEGAS),
            restored=dt.datetime(2024, 6, 2, 0, 0, tzinfo=VEGAS),
        )
        for rules in pack_for("NV").periods:
            limit = rules.budgets_for("recreational")[0]
            assert limit.code == "nv_rec_daily" and limit.window.kind is WindowKind.CALENDAR_DAY
            assert not limit.confirmed and "single package" in limit.note

    def test_medical_fourteen_days_restored_on_day_15(self) -> None:
        self.assert_restored(
            MED,
            flower("h", 2.5 * GRAMS_PER_OUNCE),
            sold_at=dt.datetime(2024, 6, 1, 20, tzinfo=VEGAS),
            last=dt.datetime(2024, 6, 14, 23, 59, tzinfo=VEGAS),
            restored=dt.datetime(2024, 6, 15, 0, 0, tzinfo=VEGAS),
        )

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
