"""Michigan: total cap with a concentrate sub-cap, daily medical cap, advisory monthly cap, MMMA equivalents."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.limits import (
    BatchReportingWarning,
    CartLine,
    Customer,
    LimitEngine,
    LineDataError,
    PastLine,
    batch_mode_warning,
    warn_if_batch,
)
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, concentrate, flower

DETROIT = ZoneInfo("America/Detroit")
AT = dt.datetime(2024, 5, 1, 12, 0, tzinfo=DETROIT)
REC = Customer(customer_type="recreational", customer_id="r1")
MED = Customer(customer_type="medical", customer_id="m1")
OZ_2_5 = 2.5 * GRAMS_PER_OUNCE


class TestMI(StatePackTests):
    STATE = "MI"

    # ---------------------------------------------------------------------------------------- adult-use

    def test_adult_use_total_is_2_5_oz_per_transaction(self) -> None:
        self.assert_cap(REC, OZ_2_5, "mi_rec_total", at=AT, over=0.001)
        refused = check_cart("MI", REC, [flower("a", OZ_2_5 + 0.001)], at=AT)
        assert not refused.allowed and refused.usage("mi_rec_total").remaining == pytest.approx(-0.001)

    def test_concentrate_sub_cap_overlaps_the_total(self) -> None:
        # 15 g of concentrate (FE 15 g by weight) and 55 g of flower: under both caps.
        wax = CartLine(line_id="w", category="Concentrate", grams_concentration=15.0, fe_grams=15.0)
        ok = check_cart("MI", REC, [wax, flower("f", 55.0)], at=AT)
        assert ok.allowed
        assert ok.usage("mi_rec_concentrate").requested == 15.0
        assert ok.usage("mi_rec_total").requested == 70.0
        more = CartLine(line_id="w", category="Concentrate", grams_concentration=15.5, fe_grams=15.5)
        refused = check_cart("MI", REC, [more], at=AT)
        assert [u.code for u in refused.refused_by] == ["mi_rec_concentrate"]

    def test_vape_cartridges_count_in_the_concentrate_sub_cap(self) -> None:
        carts = CartLine(line_id="v", category="Vape Cartridges", quantity=16, grams_concentration=1.0, fe_grams=1.0)
        decision = check_cart("MI", REC, [carts], at=AT)
        assert decision.lines[0].category == "Combined Inhalable"
        assert not decision.allowed and decision.refused_by[0].code == "mi_rec_concentrate"

    def test_allotment_override_never_disables_the_sub_cap(self) -> None:
        big = Customer(customer_type="recreational", customer_id="r2", allotment_override="200 g")
        wax = CartLine(line_id="w", category="Concentrate", grams_concentration=16.0, fe_grams=16.0)
        decision = check_cart("MI", big, [wax, flower("f", 80.0)], at=AT)
        total = decision.usage("mi_rec_total")
        assert total.overridden and total.cap == 200.0 and not total.exceeded
        sub = decision.usage("mi_rec_concentrate")
        assert not sub.overridden and sub.cap == 15.0 and sub.refuses
        assert not decision.allowed

    def test_an_override_cannot_name_a_sub_cap(self) -> None:
        sneaky = Customer(customer_type="recreational", allotment_override="200 g", override_limit="mi_rec_concentrate")
        with pytest.raises(InvalidValueError) as info:
            check_cart("MI", sneaky, [flower("f", 1.0)], at=AT)
        assert info.value.field == "override_limit"

    def test_adult_use_history_does_not_count_per_transaction(self) -> None:
        decision = self.assert_history_ignored(REC, OZ_2_5, at=AT)
        assert decision.usage("mi_rec_total").used == 0.0

    # ------------------------------------------------------------------------------------------ medical

    def test_medical_daily_cap_restores_at_local_midnight(self) -> None:
        late = dt.datetime(2024, 5, 1, 23, 30, tzinfo=DETROIT)  # 03:30 UTC on 2 May
        history = [PastLine(line=flower("old", OZ_2_5), sold_at=late)]
        same_day = dt.datetime(2024, 5, 1, 23, 50, tzinfo=DETROIT)
        assert not check_cart("MI", MED, [flower("a", 1.0)], at=same_day, history=history).allowed
        next_day = dt.datetime(2024, 5, 2, 0, 10, tzinfo=DETROIT)
        decision = check_cart("MI", MED, [flower("a", 1.0)], at=next_day, history=history)
        assert decision.allowed and decision.usage("mi_med_daily").used == 0.0

    def test_store_time_zone_decides_the_day(self) -> None:
        # 19:30 in Detroit is 23:30 UTC; an hour later it is still 1 May in Detroit but 2 May in UTC.
        sold = dt.datetime(2024, 5, 1, 19, 30, tzinfo=DETROIT)
        history = [PastLine(line=flower("old", OZ_2_5), sold_at=sold)]
        later = dt.datetime(2024, 5, 1, 20, 30, tzinfo=DETROIT)
        detroit_store = LimitEngine(pack_for("MI"))
        assert not detroit_store.check(MED, [flower("a", 1.0)], at=later, history=history).allowed
        utc_store = LimitEngine(pack_for("MI"), store_tz="UTC")
        decision = utc_store.check(MED, [flower("a", 1.0)], at=later, history=history)
        assert decision.allowed and decision.usage("mi_med_daily").used == 0.0
        assert decision.store_date == dt.date(2024, 5, 2)

    def test_a_later_history_line_still_counts(self) -> None:
        # Clock skew between terminals must never open a gap: a sale stamped after `at` counts in its window.
        sold = dt.datetime(2024, 5, 1, 15, 0, tzinfo=DETROIT)
        history = [PastLine(line=flower("old", OZ_2_5), sold_at=sold)]
        earlier = dt.datetime(2024, 5, 1, 14, 59, tzinfo=DETROIT)
        assert not check_cart("MI", MED, [flower("a", 1.0)], at=earlier, history=history).allowed

    def test_monthly_cap_is_enforced_confirmed_and_cited(self) -> None:
        history = [
            PastLine(line=flower(f"d{i}", OZ_2_5), sold_at=AT - dt.timedelta(days=i + 1)) for i in range(4)
        ]  # 10 oz in the last four days, each within the 2.5 oz daily cap
        decision = check_cart("MI", MED, [flower("a", 1.0)], at=AT, history=history)
        monthly = decision.usage("mi_med_monthly")
        assert not decision.allowed and [u.code for u in decision.refused_by] == ["mi_med_monthly"]
        assert monthly.enforced and monthly.limit.confirmed and monthly.limit.citation == "Mich Admin Code R 420.506(2)"
        assert monthly.cap == pytest.approx(10 * GRAMS_PER_OUNCE)
        assert "rolling 31" in monthly.limit.note and "never looser" in monthly.limit.note
        assert "[UNCONFIRMED]" not in str(monthly.limit.rule)

    def test_a_patient_cannot_buy_2_5_oz_every_day(self) -> None:
        history = [PastLine(line=flower(f"d{i}", OZ_2_5), sold_at=AT - dt.timedelta(days=i + 1)) for i in range(3)]
        assert check_cart("MI", MED, [flower("a", OZ_2_5)], at=AT, history=history).allowed  # 10 oz exactly
        fourth = [*history, PastLine(line=flower("d3", OZ_2_5), sold_at=AT - dt.timedelta(days=4))]
        refused = check_cart("MI", MED, [flower("a", 0.01)], at=AT, history=fourth)
        assert [u.code for u in refused.refused_by] == ["mi_med_monthly"]

    def test_monthly_window_is_31_rolling_days_restored_on_day_32(self) -> None:
        day1 = dt.datetime(2024, 1, 1, 10, tzinfo=DETROIT)
        history = [PastLine(line=flower("big", 10 * GRAMS_PER_OUNCE), sold_at=day1)]
        day31 = dt.datetime(2024, 1, 31, 23, 59, tzinfo=DETROIT)  # a rolling 30 days would already allow this
        day32 = dt.datetime(2024, 2, 1, 0, 0, tzinfo=DETROIT)
        assert not check_cart("MI", MED, [flower("a", 0.1)], at=day31, history=history).allowed
        decision = check_cart("MI", MED, [flower("a", 0.1)], at=day32, history=history)
        assert decision.allowed and decision.usage("mi_med_monthly").used == 0

    def test_monthly_reading_is_never_looser_than_a_calendar_month(self) -> None:
        # 10 oz at the end of a month and more at the start of the next: a calendar month would allow it.
        history = [
            PastLine(line=flower("end", 10 * GRAMS_PER_OUNCE), sold_at=dt.datetime(2024, 4, 30, 18, tzinfo=DETROIT))
        ]
        first = dt.datetime(2024, 5, 1, 10, tzinfo=DETROIT)
        assert not check_cart("MI", MED, [flower("a", 1.0)], at=first, history=history).allowed

    # ------------------------------------------------------------------------------------- equivalents

    def test_liquid_counts_by_volume_36_floz_per_ounce(self) -> None:
        drink = CartLine(line_id="d", category="Beverage", volume_ml="36 floz")
        decision = check_cart("MI", MED, [drink], at=AT)
        assert decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        assert decision.lines[0].rule is not None and decision.lines[0].rule.code == "mi_med_eq_liquid_edible"
        assert "36 fl" in pack_for("MI").rule("mi_med_eq_liquid_edible").summary

    def test_solid_infused_counts_by_net_weight(self) -> None:
        gummies = CartLine(line_id="g", category="Edibles", net_weight_grams="16 oz")
        decision = check_cart("MI", MED, [gummies], at=AT)
        assert decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)

    def test_package_fe_wins_over_the_pack_equivalents(self) -> None:
        drink = CartLine(line_id="d", category="Liquid Edible", volume_ml="36 floz", fe_grams=2.0)
        assert check_cart("MI", MED, [drink], at=AT).lines[0].counted == 2.0

    def test_a_liquid_without_fe_or_volume_is_an_error(self) -> None:
        drink = CartLine(line_id="d9", category="Liquid Edible", net_weight_grams=300.0)
        with pytest.raises(LineDataError) as info:
            check_cart("MI", MED, [drink], at=AT)
        assert info.value.line_id == "d9" and "volume_ml" in str(info.value)

    def test_adult_use_equivalents_are_flagged(self) -> None:
        rules = rules_for("MI", on=AT)
        assert all(not e.confirmed for e in rules.equivalencies_for("recreational") if e.code.startswith("mi_rec"))
        medical = {e.code: e.confirmed for e in rules.equivalencies_for("medical")}
        assert medical.pop("mi_med_eq_cartridge") is False  # the gaseous-form reading
        assert medical.pop("mi_med_eq_concentrate") is False  # concentrate as usable marihuana: a reading
        assert medical and all(medical.values())

    def test_cartridges_count_as_the_gaseous_form_7_g_per_ounce(self) -> None:
        carts = CartLine(line_id="v", category="Vape Cartridge", grams_concentration="3.5 g", quantity=2)
        decision = check_cart("MI", MED, [carts], at=AT)
        assert decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        assert decision.lines[0].rule is not None and decision.lines[0].rule.code == "mi_med_eq_cartridge"
        self.assert_cap(
            MED,
            7.0 * 2.5,
            "mi_med_daily",
            at=AT,
            line=lambda i, g: CartLine(line_id=i, category="Combined Inhalable", grams_concentration=g),
        )
        # adult-use: the 15 g concentrate sub-cap still counts cartridge weight, the total their FE
        rec = check_cart("MI", REC, [CartLine(line_id="v", category="Vape Cartridge", grams_concentration=15.0)], at=AT)
        assert rec.allowed and rec.usage("mi_rec_concentrate").requested == 15.0
        assert rec.usage("mi_rec_total").requested == pytest.approx(15.0 / 7.0 * GRAMS_PER_OUNCE)

    def test_concentrate_counts_by_weight_toward_the_total(self) -> None:
        wax = CartLine(line_id="w", category="Concentrate", grams_concentration=10.0)
        decision = check_cart("MI", REC, [wax], at=AT)
        assert decision.usage("mi_rec_total").requested == 10.0

    # ---------------------------------------------------------------------------------------- reporting

    def test_batch_mode_warns(self) -> None:
        self.assert_reporting(real_time=True, at=AT)
        assert batch_mode_warning(pack_for("MI"), "Batch", on=AT) is not None
        assert batch_mode_warning(pack_for("MI"), "Real Time", on=AT) is None
        with pytest.warns(BatchReportingWarning, match="real-time"):
            warn_if_batch(rules_for("MI", on=AT), "batch")

    def test_concentrate_helper_lines_count_in_sub_cap(self) -> None:
        decision = check_cart("MI", REC, [concentrate("c", 5.0)], at=AT)
        assert decision.usage("mi_rec_concentrate").requested == 5.0
