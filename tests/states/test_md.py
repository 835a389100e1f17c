"""Maryland (flagged): medical 120 g or 36 g of THC per rolling 30 days, restored on day 31; adult-use not
researched."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.limits import (
    CartLine,
    Customer,
    LineDataError,
    PastLine,
)
from fe_compliance.states import check_cart, pack_for

from .common import StatePackTests, flower

BALTIMORE = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=BALTIMORE)
PATIENT = Customer(customer_type="medical", customer_id="m")


def vape(line_id: str, thc: float, *, fe: float | None = None, quantity: float = 1) -> CartLine:
    return CartLine(line_id=line_id, category="Vape Cartridges", thc_grams=thc, fe_grams=fe, quantity=quantity)


class TestMD(StatePackTests):
    STATE = "MD"

    def test_120_grams_of_flower_in_30_days(self) -> None:
        history = [PastLine(line=flower("h", 100.0), sold_at=AT - dt.timedelta(days=29))]
        self.assert_cap(PATIENT, 20.0, "md_med_30_day", at=AT, history=history)

    def test_restored_on_day_31(self) -> None:
        self.assert_restored(
            PATIENT,
            flower("h", 120.0),
            sold_at=dt.datetime(2024, 5, 1, 20, tzinfo=BALTIMORE),
            last=dt.datetime(2024, 5, 30, 23, 59, tzinfo=BALTIMORE),
            restored=dt.datetime(2024, 5, 31, 0, 0, tzinfo=BALTIMORE),
        )

    def test_36_grams_of_thc_is_the_whole_budget(self) -> None:
        decision = check_cart("MD", PATIENT, [vape("v", 0.9, quantity=40)], at=AT)
        assert decision.allowed and decision.usage("md_med_30_day").requested == pytest.approx(120.0)
        assert decision.usage("md_med_thc").requested == pytest.approx(36.0)
        assert not check_cart("MD", PATIENT, [vape("v", 0.9, quantity=41)], at=AT).allowed

    def test_linear_trade_off_half_and_half(self) -> None:
        decision = check_cart("MD", PATIENT, [flower("f", 60.0), vape("v", 18.0)], at=AT)
        assert decision.allowed and decision.usage("md_med_30_day").total == pytest.approx(120.0)
        assert not check_cart("MD", PATIENT, [flower("f", 60.0), vape("v", 18.1)], at=AT).allowed

    def test_thc_sub_cap_holds_whatever_fe_the_pos_assigned(self) -> None:
        refused = check_cart("MD", PATIENT, [vape("v", 37.0, fe=10.0)], at=AT)
        assert [u.code for u in refused.refused_by] == ["md_med_thc"]

    def test_a_non_flower_line_needs_its_thc(self) -> None:
        with pytest.raises(LineDataError) as info:
            check_cart("MD", PATIENT, [CartLine(line_id="e", category="Edibles", fe_grams=1.0)], at=AT)
        assert info.value.line_id == "e" and info.value.field.endswith("thc_grams")

    def test_adult_use_is_not_researched(self) -> None:
        self.assert_not_modelled("recreational", "adult-use", at=AT)

    def test_every_number_is_unconfirmed(self) -> None:
        self.assert_every_number_unconfirmed(at=AT)  # every limit and FE definition, whatever its customer type

    def test_the_pack_starts_on_the_chosen_date(self) -> None:
        assert pack_for("MD").earliest == dt.date(2023, 7, 1)

    def test_real_time_reporting_required_and_batch_warns(self) -> None:
        self.assert_reporting(real_time=True, at=AT)
