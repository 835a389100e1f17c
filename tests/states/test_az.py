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
    batch_mode_warning,
)
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, flower

PHOENIX = ZoneInfo("America/Phoenix")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=PHOENIX)
REC = Customer(customer_type="recreational", customer_id="r")
PATIENT = Customer(customer_type="medical", customer_id="m")
OZ_2_5 = 2.5 * GRAMS_PER_OUNCE


def wax(line_id: str, grams: float, *, fe: float | None = None) -> CartLine:
    return CartLine(line_id=line_id, category="Concentrate", grams_concentration=grams, fe_grams=fe)


class TestAZ(StatePackTests):
    STATE = "AZ"

    # ---------------------------------------------------------------------------------------- adult-use

    def test_one_ounce_per_store_day(self) -> None:
        assert check_cart("AZ", REC, [flower("a", GRAMS_PER_OUNCE)], at=AT).allowed
        refused = check_cart("AZ", REC, [flower("a", GRAMS_PER_OUNCE + 0.01)], at=AT)
        assert [u.code for u in refused.refused_by] == ["az_rec_daily"]

    def test_the_day_restores_at_local_midnight(self) -> None:
        history = [PastLine(line=flower("h", GRAMS_PER_OUNCE), sold_at=dt.datetime(2024, 5, 1, 9, tzinfo=PHOENIX))]
        late = dt.datetime(2024, 5, 1, 23, 59, tzinfo=PHOENIX)
        assert not check_cart("AZ", REC, [flower("a", 0.5)], at=late, history=history).allowed
        next_day = dt.datetime(2024, 5, 2, 0, 0, tzinfo=PHOENIX)
        assert check_cart("AZ", REC, [flower("a", GRAMS_PER_OUNCE)], at=next_day, history=history).allowed

    def test_no_daylight_saving_in_phoenix(self) -> None:
        # 07:00 UTC on 2 May is midnight in Phoenix all year round (UTC-7, no DST).
        history = [PastLine(line=flower("h", GRAMS_PER_OUNCE), sold_at=dt.datetime(2024, 5, 1, 20, tzinfo=PHOENIX))]
        before = dt.datetime(2024, 5, 2, 6, 59, tzinfo=dt.UTC)
        after = dt.datetime(2024, 5, 2, 7, 0, tzinfo=dt.UTC)
        assert not check_cart("AZ", REC, [flower("a", 1.0)], at=before, history=history).allowed
        assert check_cart("AZ", REC, [flower("a", 1.0)], at=after, history=history).allowed

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
        assert check_cart("AZ", REC, [wax("w", 1.0)], at=AT, history=history).allowed
        assert not check_cart("AZ", REC, [wax("w", 1.01)], at=AT, history=history).allowed

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
        assert check_cart("AZ", PATIENT, [flower("a", 2.0)], at=AT, history=history).allowed
        refused = check_cart("AZ", PATIENT, [flower("a", 2.01)], at=AT, history=history)
        assert [u.code for u in refused.refused_by] == ["az_med_14_day"]

    def test_medical_restored_on_day_15(self) -> None:
        day1 = dt.datetime(2024, 5, 1, 21, tzinfo=PHOENIX)
        history = [PastLine(line=flower("h", OZ_2_5), sold_at=day1)]
        day14 = dt.datetime(2024, 5, 14, 23, 59, tzinfo=PHOENIX)
        day15 = dt.datetime(2024, 5, 15, 0, 0, tzinfo=PHOENIX)
        assert not check_cart("AZ", PATIENT, [flower("a", 1.0)], at=day14, history=history).allowed
        assert check_cart("AZ", PATIENT, [flower("a", OZ_2_5)], at=day15, history=history).allowed

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
        rules = rules_for("AZ", on=AT)
        assert rules.real_time_required is False and rules.reporting is not None
        assert not rules.reporting.confirmed and batch_mode_warning(rules, "batch") is None
