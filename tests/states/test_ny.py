"""New York (flagged): adult-use 3 oz of flower and 24 g of concentrate as separate limits per store day; medical not
modelled."""

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
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, flower
from .common import wax as common_wax

NYC = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=NYC)
REC = Customer(customer_type="recreational", customer_id="r")
THREE_OZ = 3 * GRAMS_PER_OUNCE


def wax(line_id: str, grams: float, *, fe: float | None = None) -> CartLine:
    return common_wax(line_id, grams, fe=fe, category="Concentrated Cannabis")


class TestNY(StatePackTests):
    STATE = "NY"

    def test_three_ounces_per_store_day(self) -> None:
        self.assert_cap(REC, THREE_OZ, "ny_rec_daily", at=AT)

    def test_the_day_restores_at_local_midnight(self) -> None:
        self.assert_restored(
            REC,
            flower("h", THREE_OZ),
            sold_at=dt.datetime(2024, 5, 1, 9, tzinfo=NYC),
            last=dt.datetime(2024, 5, 1, 23, 59, tzinfo=NYC),
            restored=dt.datetime(2024, 5, 2, 0, 0, tzinfo=NYC),
            probe=0.5,
        )

    def test_concentrate_sub_cap_24_grams(self) -> None:
        decision = self.assert_cap(REC, 24.0, "ny_rec_concentrate", at=AT, line=wax)
        assert decision.usage("ny_rec_concentrate").requested == 24.0

    def test_concentrate_sub_cap_counts_the_day(self) -> None:
        history = [PastLine(line=wax("h", 20.0), sold_at=AT - dt.timedelta(hours=2))]
        self.assert_cap(REC, 4.0, "ny_rec_concentrate", at=AT, line=wax, history=history)

    def test_flower_and_concentrate_are_separate_limits(self) -> None:
        both = check_cart("NY", REC, [wax("w", 24.0), flower("f", THREE_OZ)], at=AT)
        assert both.allowed and both.usage("ny_rec_daily").total == pytest.approx(THREE_OZ)
        assert both.usage("ny_rec_concentrate").total == 24.0
        more_flower = check_cart("NY", REC, [wax("w", 24.0), flower("f", THREE_OZ + 0.01)], at=AT)
        assert [u.code for u in more_flower.refused_by] == ["ny_rec_daily"]
        more_wax = check_cart("NY", REC, [wax("w", 24.01), flower("f", THREE_OZ)], at=AT)
        assert [u.code for u in more_wax.refused_by] == ["ny_rec_concentrate"]

    def test_an_override_lifts_the_flower_budget_not_the_concentrate_cap(self) -> None:
        big = Customer(customer_type="recreational", allotment_override="4 oz")
        decision = check_cart("NY", big, [flower("f", 4 * GRAMS_PER_OUNCE), wax("w", 25.0)], at=AT)
        assert decision.usage("ny_rec_daily").overridden and not decision.usage("ny_rec_daily").exceeded
        assert [u.code for u in decision.refused_by] == ["ny_rec_concentrate"]

    def test_sub_cap_holds_whatever_fe_the_pos_assigned(self) -> None:
        refused = check_cart("NY", REC, [wax("w", 25.0, fe=2.0)], at=AT)
        assert [u.code for u in refused.refused_by] == ["ny_rec_concentrate"]

    def test_edibles_need_a_package_fe(self) -> None:
        with pytest.raises(LineDataError):
            check_cart("NY", REC, [CartLine(line_id="e", category="Edibles", thc_grams="100 mg")], at=AT)

    def test_medical_is_not_modelled(self) -> None:
        self.assert_not_modelled("medical", "60-day", at=AT)

    def test_every_number_is_unconfirmed(self) -> None:
        self.assert_every_number_unconfirmed(at=AT)

    def test_the_pack_starts_with_licensed_sales(self) -> None:
        assert pack_for("NY").earliest == dt.date(2022, 12, 29)

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
