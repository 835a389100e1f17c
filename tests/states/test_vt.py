"""Vermont: adult-use 1 oz per transaction with the 2022 board statement's equivalents; medical not researched."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.limits import CartLine, Customer, LineDataError, NoRulesInForceError
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, edibles, flower, wax

BURLINGTON = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=BURLINGTON)
REC = Customer(customer_type="recreational", customer_id="r")


def gummies(line_id: str, count: float) -> CartLine:
    return edibles(line_id, count, thc="5 mg")


class TestVT(StatePackTests):
    STATE = "VT"

    def test_one_ounce_per_transaction(self) -> None:
        self.assert_cap(REC, GRAMS_PER_OUNCE, "vt_rec_transaction", at=AT)

    def test_history_does_not_count_per_transaction(self) -> None:
        self.assert_history_ignored(REC, GRAMS_PER_OUNCE, at=AT)

    def test_eight_grams_of_concentrate_is_one_ounce(self) -> None:
        decision = check_cart("VT", REC, [wax("w", 4.0)], at=AT)
        assert decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE / 2)
        with_flower = check_cart("VT", REC, [wax("w", 4.0), flower("f", GRAMS_PER_OUNCE / 2 + 0.01)], at=AT)
        assert [u.code for u in with_flower.refused_by] == ["vt_rec_transaction"]

    def test_concentrate_is_capped_at_the_reported_5_g_hashish_limit(self) -> None:
        decision = self.assert_cap(REC, 5.0, "vt_rec_concentrate", at=AT, line=wax)
        assert not decision.usage("vt_rec_concentrate").limit.confirmed
        assert "never-looser" in decision.usage("vt_rec_concentrate").limit.note
        big = CartLine(line_id="w", category="Concentrate", grams_concentration=6.0, fe_grams=1.0)
        assert [u.code for u in check_cart("VT", REC, [big], at=AT).refused_by] == ["vt_rec_concentrate"]

    def test_the_chart_reading_is_not_shipped(self) -> None:
        # 9 g of 90 % concentrate holds 8,100 mg of THC: inside the chart's 8,400 mg, over the statement's 8 g.
        assert not check_cart("VT", REC, [wax("w", 9.0, thc=8.1)], at=AT).allowed
        # 1,000 mg of edibles: inside the chart's 8,400 mg, over the statement's 800 mg.
        assert not check_cart("VT", REC, [gummies("g", 200)], at=AT).allowed

    def test_eight_hundred_mg_of_thc_in_edibles_is_one_ounce(self) -> None:
        decision = check_cart("VT", REC, [gummies("g", 160)], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        assert not check_cart("VT", REC, [gummies("g", 161)], at=AT).allowed

    def test_equivalents_are_flagged_with_the_conflict(self) -> None:
        decision = check_cart("VT", REC, [wax("w", 1.0)], at=AT)
        rule = decision.lines[0].rule
        assert rule is not None and not rule.confirmed and "8,400 mg" in rule.note
        assert any("UNCONFIRMED" in w for w in decision.warnings)

    def test_vape_cartridges_count_as_concentrate(self) -> None:
        carts = CartLine(line_id="v", category="Cartridges", grams_concentration=0.5, quantity=10)
        decision = check_cart("VT", REC, [carts], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(5.0 / 8.0 * GRAMS_PER_OUNCE)
        more = CartLine(line_id="v", category="Cartridges", grams_concentration=0.5, quantity=10.1)
        assert [u.code for u in check_cart("VT", REC, [more], at=AT).refused_by] == ["vt_rec_concentrate"]

    def test_topicals_need_a_package_fe(self) -> None:
        with pytest.raises(LineDataError):
            check_cart("VT", REC, [CartLine(line_id="t", category="Topical", thc_grams="50 mg")], at=AT)

    def test_medical_is_not_researched(self) -> None:
        rules = rules_for("VT", on=AT)
        gap = rules.not_researched("medical")
        assert gap is not None and gap.code == "vt_med_not_researched"
        assert not rules.covers("medical") and rules.covers("recreational")
        with pytest.raises(NoRulesInForceError) as info:
            check_cart("VT", Customer(customer_type="medical"), [flower("a", 1.0)], at=AT)
        assert info.value.field == "customer_type" and "not researched" in str(info.value)

    def test_the_pack_starts_with_adult_use_sales(self) -> None:
        assert pack_for("VT").earliest == dt.date(2022, 10, 1)
        with pytest.raises(NoRulesInForceError):
            check_cart("VT", REC, [flower("a", 1.0)], at=dt.datetime(2022, 9, 30, 23, 59, tzinfo=BURLINGTON))

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
