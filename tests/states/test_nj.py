"""New Jersey: adult-use 28.35 g per transaction with 4 g / 1,000 mg equivalents; medical 84 g per rolling 30 days,
waived for terminally ill patients."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.limits import TERMINALLY_ILL, CartLine, Customer, LineDataError, PastLine
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, edibles, flower, wax

NEWARK = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=NEWARK)
REC = Customer(customer_type="recreational", customer_id="r")
PATIENT = Customer(customer_type="medical", customer_id="m")
NJ_OUNCE = 28.35


def chocolates(line_id: str, count: float, category: str = "Edibles") -> CartLine:
    return edibles(line_id, count, thc="100 mg", category=category)


class TestNJ(StatePackTests):
    STATE = "NJ"

    # ---------------------------------------------------------------------------------------- adult-use

    def test_adult_use_28_35_grams_per_transaction(self) -> None:
        self.assert_cap(REC, NJ_OUNCE, "nj_rec_transaction", at=AT)
        assert check_cart("NJ", REC, [flower("a", GRAMS_PER_OUNCE)], at=AT).allowed

    def test_adult_use_history_does_not_count(self) -> None:
        self.assert_history_ignored(REC, NJ_OUNCE, at=AT)

    def test_four_grams_of_concentrate_is_one_ounce(self) -> None:
        decision = self.assert_cap(REC, 4.0, "nj_rec_transaction", at=AT, line=wax)
        assert decision.lines[0].counted == pytest.approx(NJ_OUNCE)

    def test_the_press_release_five_grams_is_not_shipped(self) -> None:
        assert not check_cart("NJ", REC, [wax("w", 5.0)], at=AT).allowed
        rule = pack_for("NJ").rule("nj_rec_eq_concentrate")
        assert not rule.confirmed and "2022-04-21" in rule.citation

    def test_vape_oil_counts_as_concentrate(self) -> None:
        carts = CartLine(line_id="v", category="Vape Cartridges", grams_concentration=0.5, quantity=8)
        decision = check_cart("NJ", REC, [carts], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(NJ_OUNCE)
        more = CartLine(line_id="v", category="Vape Cartridges", grams_concentration=0.5, quantity=9)
        assert not check_cart("NJ", REC, [more], at=AT).allowed

    def test_one_thousand_mg_of_ingestibles_is_one_ounce(self) -> None:
        assert check_cart("NJ", REC, [chocolates("c", 10)], at=AT).allowed
        assert not check_cart("NJ", REC, [chocolates("c", 11)], at=AT).allowed
        mixed = [chocolates("c", 5), chocolates("t", 2.5, "Tinctures"), flower("f", NJ_OUNCE / 4)]
        decision = check_cart("NJ", REC, mixed, at=AT)
        assert decision.allowed and decision.usage("nj_rec_transaction").total == pytest.approx(NJ_OUNCE)

    def test_non_ingested_infused_products_need_a_package_fe(self) -> None:
        lotion = CartLine(line_id="l", category="Infused Non-Edible", thc_grams="100 mg")
        with pytest.raises(LineDataError) as info:
            check_cart("NJ", REC, [lotion], at=AT)
        assert info.value.line_id == "l"

    # ------------------------------------------------------------------------------------------ medical

    def test_medical_84_grams_in_30_days(self) -> None:
        history = [PastLine(line=flower("h", 80.0), sold_at=AT - dt.timedelta(days=29))]
        self.assert_cap(PATIENT, 4.0, "nj_med_30_day", at=AT, history=history)

    def test_medical_restored_on_day_31(self) -> None:
        self.assert_restored(
            PATIENT,
            flower("h", 84.0),
            sold_at=dt.datetime(2024, 5, 1, 19, tzinfo=NEWARK),
            last=dt.datetime(2024, 5, 30, 23, 59, tzinfo=NEWARK),
            restored=dt.datetime(2024, 5, 31, 0, 0, tzinfo=NEWARK),
        )

    def test_terminally_ill_patients_are_exempt(self) -> None:
        patient = Customer(customer_type="medical", customer_id="t", exemptions=(TERMINALLY_ILL,))
        history = [PastLine(line=flower("h", 84.0), sold_at=AT - dt.timedelta(days=2))]
        decision = check_cart("NJ", patient, [flower("a", 56.0)], at=AT, history=history)
        assert decision.allowed
        usage = decision.usage("nj_med_30_day")
        assert usage.waived and usage.total == pytest.approx(140.0)

    def test_the_exemption_does_not_apply_to_adult_use(self) -> None:
        customer = Customer(customer_type="recreational", exemptions=(TERMINALLY_ILL,))
        assert not check_cart("NJ", customer, [flower("a", 30.0)], at=AT).allowed

    def test_medical_concentrate_without_fe_uses_the_adult_use_ratio_flagged(self) -> None:
        decision = check_cart("NJ", PATIENT, [wax("w", 4.0)], at=AT)
        assert decision.lines[0].counted == pytest.approx(NJ_OUNCE)
        assert decision.lines[0].rule is not None and decision.lines[0].rule.code == "nj_med_eq_concentrate"

    # ------------------------------------------------------------------------------------- dates, reporting

    def test_the_pack_starts_on_the_press_release_date(self) -> None:
        assert pack_for("NJ").earliest == dt.date(2022, 4, 21)
        assert rules_for("NJ", on=dt.date(2022, 4, 21)).valid_from == dt.date(2022, 4, 21)

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
