"""Missouri (flagged): adult-use 3 oz per transaction counted in MME (3.5 g flower = 1 g concentrate = 100 mg
THC); medical not modelled."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.limits import (
    CartLine,
    Customer,
)
from fe_compliance.states import check_cart, pack_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, edibles, flower, wax

ST_LOUIS = ZoneInfo("America/Chicago")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=ST_LOUIS)
REC = Customer(customer_type="recreational", customer_id="r")
THREE_OZ = 3 * GRAMS_PER_OUNCE
MMES_IN_THREE_OZ = THREE_OZ / 3.5  # 24.2996...


def gummies(line_id: str, count: float) -> CartLine:
    return edibles(line_id, count, thc="100 mg")


class TestMO(StatePackTests):
    STATE = "MO"

    def test_three_ounces_per_transaction(self) -> None:
        self.assert_cap(REC, THREE_OZ, "mo_rec_transaction", at=AT)

    def test_history_does_not_count_per_transaction(self) -> None:
        self.assert_history_ignored(REC, THREE_OZ, at=AT)

    def test_one_gram_of_concentrate_is_one_mme(self) -> None:
        decision = check_cart("MO", REC, [wax("w", 1.0)], at=AT)
        assert decision.lines[0].counted == pytest.approx(3.5)
        # 3 oz holds 24.3 MME: 24 g of concentrate fit, 24.31 g do not.
        assert check_cart("MO", REC, [wax("w", 24.0)], at=AT).allowed
        assert not check_cart("MO", REC, [wax("w", MMES_IN_THREE_OZ + 0.01)], at=AT).allowed

    def test_one_hundred_mg_of_thc_is_one_mme(self) -> None:
        decision = check_cart("MO", REC, [gummies("g", 24)], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(24 * 3.5)
        assert not check_cart("MO", REC, [gummies("g", 25)], at=AT).allowed

    def test_mixed_cart_at_the_budget(self) -> None:
        cart = [wax("w", 10.0), gummies("g", 10), flower("f", THREE_OZ - 70.0)]
        decision = check_cart("MO", REC, cart, at=AT)
        assert decision.allowed and decision.usage("mo_rec_transaction").total == pytest.approx(THREE_OZ)

    def test_topicals_count_by_thc(self) -> None:
        balm = CartLine(line_id="t", category="Topical", thc_grams="100 mg")
        assert check_cart("MO", REC, [balm], at=AT).lines[0].counted == pytest.approx(3.5)

    def test_medical_is_not_modelled(self) -> None:
        self.assert_not_modelled("medical", "rolling 30 days", at=AT)

    def test_every_number_is_unconfirmed(self) -> None:
        self.assert_every_number_unconfirmed(at=AT)

    def test_the_pack_starts_with_adult_use_sales(self) -> None:
        assert pack_for("MO").earliest == dt.date(2023, 2, 3)

    def test_real_time_reporting_required_and_batch_warns(self) -> None:
        self.assert_reporting(real_time=True, at=AT)
