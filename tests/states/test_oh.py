"""Ohio (flagged): adult-use 2.5 oz of plant material and 15 g of extract tracked separately per store day; medical
not modelled."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.limits import (
    CartLine,
    Customer,
    LineDataError,
    NoRulesInForceError,
)
from fe_compliance.states import check_cart, pack_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, flower, wax

COLUMBUS = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 10, 1, 12, tzinfo=COLUMBUS)
REC = Customer(customer_type="recreational", customer_id="r")
OZ_2_5 = 2.5 * GRAMS_PER_OUNCE


def extract(line_id: str, grams: float, *, fe: float | None = None) -> CartLine:
    return wax(line_id, grams, fe=fe, category="Extract")


class TestOH(StatePackTests):
    STATE = "OH"

    def test_two_and_a_half_ounces_per_store_day(self) -> None:
        self.assert_cap(REC, OZ_2_5, "oh_rec_daily", at=AT)

    def test_the_day_restores_at_local_midnight(self) -> None:
        self.assert_restored(
            REC,
            flower("h", OZ_2_5),
            sold_at=dt.datetime(2024, 10, 1, 9, tzinfo=COLUMBUS),
            last=dt.datetime(2024, 10, 1, 23, 59, tzinfo=COLUMBUS),
            restored=dt.datetime(2024, 10, 2, 0, 0, tzinfo=COLUMBUS),
            probe=0.5,
        )

    def test_extract_sub_cap_fifteen_grams(self) -> None:
        decision = self.assert_cap(REC, 15.0, "oh_rec_extract", at=AT, line=extract)
        assert decision.usage("oh_rec_extract").requested == 15.0

    def test_extract_sub_cap_holds_whatever_fe_the_pos_assigned(self) -> None:
        refused = check_cart("OH", REC, [extract("x", 16.0, fe=1.0)], at=AT)
        assert [u.code for u in refused.refused_by] == ["oh_rec_extract"]

    def test_extract_is_tracked_separately_from_plant_material(self) -> None:
        both = check_cart("OH", REC, [extract("x", 15.0), flower("f", OZ_2_5)], at=AT)
        assert both.allowed and both.usage("oh_rec_daily").total == pytest.approx(OZ_2_5)
        assert both.usage("oh_rec_extract").total == 15.0
        more_flower = check_cart("OH", REC, [extract("x", 15.0), flower("f", OZ_2_5 + 0.01)], at=AT)
        assert [u.code for u in more_flower.refused_by] == ["oh_rec_daily"]
        more_extract = check_cart("OH", REC, [extract("x", 15.01), flower("f", OZ_2_5)], at=AT)
        assert [u.code for u in more_extract.refused_by] == ["oh_rec_extract"]
        assert both.lines[0].method == "not_counted"

    def test_other_products_count_toward_the_plant_budget(self) -> None:
        edibles = CartLine(line_id="e", category="Edibles", fe_grams=1.0, quantity=10)
        decision = check_cart("OH", REC, [edibles, flower("f", OZ_2_5 - 10.0)], at=AT)
        assert decision.allowed and decision.usage("oh_rec_daily").total == pytest.approx(OZ_2_5)
        refused = check_cart("OH", REC, [edibles, flower("f", OZ_2_5 - 9.99)], at=AT)
        assert [u.code for u in refused.refused_by] == ["oh_rec_daily"]

    def test_an_override_does_not_lift_the_extract_cap(self) -> None:
        big = Customer(customer_type="recreational", allotment_override="5 oz")
        decision = check_cart("OH", big, [extract("x", 20.0), flower("f", OZ_2_5)], at=AT)
        assert decision.usage("oh_rec_daily").overridden
        assert [u.code for u in decision.refused_by] == ["oh_rec_extract"]

    def test_edibles_need_a_package_fe(self) -> None:
        with pytest.raises(LineDataError):
            check_cart("OH", REC, [CartLine(line_id="e", category="Edibles", thc_grams="100 mg")], at=AT)

    def test_every_number_is_unconfirmed(self) -> None:
        self.assert_every_number_unconfirmed(at=AT)  # every limit and FE definition, whatever its customer type

    def test_medical_is_not_modelled(self) -> None:
        self.assert_not_modelled("medical", "45-day", at=AT)

    def test_the_pack_starts_with_adult_use_sales(self) -> None:
        assert pack_for("OH").earliest == dt.date(2024, 8, 6)
        with pytest.raises(NoRulesInForceError):
            check_cart("OH", REC, [flower("a", 1.0)], at=dt.datetime(2024, 8, 5, 12, tzinfo=COLUMBUS))

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
