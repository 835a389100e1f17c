"""Arizona (flagged): adult-use 1 oz of which at most 5 g of concentrate per store day; medical 2.5 oz per rolling
14 days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.limits import (
    CartLine,
    Customer,
    Limit,
    LineDataError,
    NoRulesInForceError,
    PastLine,
)
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, flower, wax

PHOENIX = ZoneInfo("America/Phoenix")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=PHOENIX)
REC = Customer(customer_type="recreational", customer_id="r")
PATIENT = Customer(customer_type="medical", customer_id="m")
OZ_2_5 = 2.5 * GRAMS_PER_OUNCE


class TestAZ(StatePackTests):
    STATE = "AZ"

    # ---------------------------------------------------------------------------------------- adult-use

    def test_one_ounce_per_store_day(self) -> None:
        self.assert_cap(REC, GRAMS_PER_OUNCE, "az_rec_daily", at=AT)

    def test_the_day_restores_at_local_midnight(self) -> None:
        self.assert_restored(
            REC,
            flower("h", GRAMS_PER_OUNCE),
            sold_at=dt.datetime(2024, 5, 1, 9, tzinfo=PHOENIX),
            last=dt.datetime(2024, 5, 1, 23, 59, tzinfo=PHOENIX),
            restored=dt.datetime(2024, 5, 2, 0, 0, tzinfo=PHOENIX),
            probe=0.5,
        )

    def test_no_daylight_saving_in_phoenix(self) -> None:
        # 07:00 UTC on 2 May is midnight in Phoenix all year round (UTC-7, no DST).
        self.assert_restored(
            REC,
            flower("h", GRAMS_PER_OUNCE),
            sold_at=dt.datetime(2024, 5, 1, 20, tzinfo=PHOENIX),
            last=dt.datetime(2024, 5, 2, 6, 59, tzinfo=dt.UTC),
            restored=dt.datetime(2024, 5, 2, 7, 0, tzinfo=dt.UTC),
        )

    def test_of_which_at_most_five_grams_of_concentrate(self) -> None:
        decision = check_cart("AZ", REC, [wax("w", 5.0), flower("f", GRAMS_PER_OUNCE - 5.0)], at=AT)
        assert decision.allowed
        assert decision.usage("az_rec_daily").total == pytest.approx(GRAMS_PER_OUNCE)
        assert decision.usage("az_rec_concentrate").requested == 5.0
        refused = check_cart("AZ", REC, [wax("w", 5.01)], at=AT)
        assert [u.code for u in refused.refused_by] == ["az_rec_concentrate"]
        over_total = check_cart("AZ", REC, [wax("w", 5.0), flower("f", GRAMS_PER_OUNCE - 4.99)], at=AT)
        assert [u.code for u in over_total.refused_by] == ["az_rec_daily"]

    def test_concentrate_sub_cap_counts_the_day(self) -> None:
        history = [PastLine(line=wax("h", 4.0), sold_at=AT - dt.timedelta(hours=1))]
        self.assert_cap(REC, 1.0, "az_rec_concentrate", at=AT, line=wax, history=history)

    def test_an_override_does_not_lift_the_concentrate_sub_cap(self) -> None:
        big = Customer(customer_type="recreational", allotment_override="2 oz")
        decision = check_cart("AZ", big, [wax("w", 6.0)], at=AT)
        assert decision.usage("az_rec_daily").overridden
        assert [u.code for u in decision.refused_by] == ["az_rec_concentrate"]

    def test_edibles_need_a_package_fe(self) -> None:
        with pytest.raises(LineDataError):
            check_cart("AZ", REC, [CartLine(line_id="e", category="Edibles", thc_grams="100 mg")], at=AT)

    # ------------------------------------------------------------------------------------------ medical

    def test_medical_two_and_a_half_ounces_in_fourteen_days(self) -> None:
        history = [PastLine(line=flower("h", OZ_2_5 - 2.0), sold_at=AT - dt.timedelta(days=13))]
        self.assert_cap(PATIENT, 2.0, "az_med_14_day", at=AT, history=history)

    def test_medical_restored_on_day_15(self) -> None:
        self.assert_restored(
            PATIENT,
            flower("h", OZ_2_5),
            sold_at=dt.datetime(2024, 5, 1, 21, tzinfo=PHOENIX),
            last=dt.datetime(2024, 5, 14, 23, 59, tzinfo=PHOENIX),
            restored=dt.datetime(2024, 5, 15, 0, 0, tzinfo=PHOENIX),
        )

    def test_medical_concentrate_counts_by_weight(self) -> None:
        decision = check_cart("AZ", PATIENT, [wax("w", 10.0)], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(10.0)
        assert not any(u.limit.categories for u in decision.usages)  # no medical concentrate sub-cap

    # ------------------------------------------------------------------------------------- dates, reporting

    def test_statutory_citations_but_flagged(self) -> None:
        rules = rules_for("AZ", on=AT)
        assert {limit.citation for limit in rules.of_type(Limit)} == {"A.R.S. 36-2852(A)(1)", "A.R.S. 36-2816(A)"}
        assert all(not limit.confirmed for limit in rules.of_type(Limit))

    def test_the_pack_starts_with_adult_use_sales(self) -> None:
        assert pack_for("AZ").earliest == dt.date(2021, 1, 22)
        with pytest.raises(NoRulesInForceError):
            check_cart("AZ", PATIENT, [flower("a", 1.0)], at=dt.datetime(2021, 1, 21, 12, tzinfo=PHOENIX))

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
