"""Illinois: one converted adult-use budget (30 g residents, 15 g non-residents) with the statutory per-category
sub-caps, a store-day window, and medical 2.5 oz per rolling 14 days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.errors import MissingDataError
from fe_compliance.limits import CartLine, Customer, PastLine
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, edibles, flower, wax

CHICAGO = ZoneInfo("America/Chicago")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=CHICAGO)
RESIDENT = Customer(customer_type="recreational", customer_id="r", resident=True)
VISITOR = Customer(customer_type="recreational", customer_id="v", resident=False)
PATIENT = Customer(customer_type="medical", customer_id="m")
OZ_2_5 = 2.5 * GRAMS_PER_OUNCE


def gummies(line_id: str, count: float, *, fe: float | None = None) -> CartLine:
    return edibles(line_id, count, fe=fe)


class TestIL(StatePackTests):
    STATE = "IL"

    # ---------------------------------------------------------------------------------------- adult-use

    def test_residents_thirty_grams(self) -> None:
        self.assert_cap(RESIDENT, 30.0, "il_rec_resident", at=AT)

    def test_non_residents_half(self) -> None:
        decision = check_cart("IL", VISITOR, [flower("a", 15.0)], at=AT)
        assert decision.allowed and {u.code for u in decision.usages} == {
            "il_rec_nonresident",
            "il_rec_concentrate_nonresident",
            "il_rec_infused_nonresident",
        }
        self.assert_cap(VISITOR, 15.0, "il_rec_nonresident", at=AT)

    def test_unknown_residency_is_an_error(self) -> None:
        with pytest.raises(MissingDataError) as info:
            check_cart("IL", Customer(customer_type="recreational"), [flower("a", 1.0)], at=AT)
        assert info.value.field == "customer.resident"

    def test_five_grams_of_concentrate_is_the_whole_budget(self) -> None:
        decision = check_cart("IL", RESIDENT, [wax("w", 5.0)], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(30.0)
        refused = check_cart("IL", RESIDENT, [wax("w", 5.01)], at=AT)
        assert {u.code for u in refused.refused_by} == {"il_rec_resident", "il_rec_concentrate_resident"}
        assert check_cart("IL", VISITOR, [wax("w", 2.5)], at=AT).allowed
        assert not check_cart("IL", VISITOR, [wax("w", 2.51)], at=AT).allowed

    def test_five_hundred_mg_of_thc_in_infused_products(self) -> None:
        decision = check_cart("IL", RESIDENT, [gummies("g", 50)], at=AT)
        assert decision.allowed and decision.usage("il_rec_infused_resident").requested == pytest.approx(0.5)
        assert not check_cart("IL", RESIDENT, [gummies("g", 51)], at=AT).allowed
        assert check_cart("IL", VISITOR, [gummies("g", 25)], at=AT).allowed
        assert not check_cart("IL", VISITOR, [gummies("g", 26)], at=AT).allowed

    def test_sub_caps_hold_whatever_fe_the_pos_assigned(self) -> None:
        # A POS that gives concentrate its own weight as FE: the budget would allow 6 g, the statute does not.
        refused = check_cart("IL", RESIDENT, [wax("w", 6.0, fe=6.0)], at=AT)
        assert [u.code for u in refused.refused_by] == ["il_rec_concentrate_resident"]
        edible = check_cart("IL", RESIDENT, [gummies("g", 60, fe=0.1)], at=AT)
        assert [u.code for u in edible.refused_by] == ["il_rec_infused_resident"]

    def test_cumulative_is_one_converted_budget(self) -> None:
        # Half the flower and half the concentrate fill the budget exactly.
        assert check_cart("IL", RESIDENT, [flower("f", 15.0), wax("w", 2.5)], at=AT).allowed
        # Per-category caps would allow this cart; the converted reading refuses it (documented choice).
        refused = check_cart("IL", RESIDENT, [flower("f", 15.0), wax("w", 3.0)], at=AT)
        assert [u.code for u in refused.refused_by] == ["il_rec_resident"]
        assert not refused.usage("il_rec_resident").limit.confirmed

    def test_the_vendor_page_figures_are_not_shipped(self) -> None:
        assert not check_cart("IL", RESIDENT, [flower("f", 60.0)], at=AT).allowed
        assert not check_cart("IL", RESIDENT, [wax("w", 10.0)], at=AT).allowed
        caps = {limit.cap_value for limit in rules_for("IL", on=AT).limits_for("recreational")}
        assert not caps & {60.0, 10.0, 1.0}

    def test_topicals_count_as_infused_products(self) -> None:
        balm = CartLine(line_id="t", category="Topical", thc_grams="100 mg", quantity=5)
        decision = check_cart("IL", RESIDENT, [balm], at=AT)
        assert decision.allowed and decision.usage("il_rec_infused_resident").requested == pytest.approx(0.5)
        assert not check_cart("IL", RESIDENT, [balm, flower("f", 0.1)], at=AT).allowed

    def test_adult_use_day_restores_at_local_midnight(self) -> None:
        self.assert_restored(
            RESIDENT,
            flower("h", 30.0),
            sold_at=dt.datetime(2024, 5, 1, 8, tzinfo=CHICAGO),
            last=dt.datetime(2024, 5, 1, 23, 59, tzinfo=CHICAGO),
            restored=dt.datetime(2024, 5, 2, 0, 0, tzinfo=CHICAGO),
            probe=0.5,
        )

    def test_a_second_sale_the_same_day_counts(self) -> None:
        history = [PastLine(line=wax("h", 4.0), sold_at=AT - dt.timedelta(hours=2))]
        refused = check_cart("IL", RESIDENT, [wax("w", 1.01)], at=AT, history=history)
        assert "il_rec_concentrate_resident" in {u.code for u in refused.refused_by}

    # ------------------------------------------------------------------------------------------ medical

    def test_medical_two_and_a_half_ounces_in_fourteen_days(self) -> None:
        history = [PastLine(line=flower("h", OZ_2_5 - 1.0), sold_at=AT - dt.timedelta(days=13))]
        self.assert_cap(PATIENT, 1.0, "il_med_14_day", at=AT, history=history)

    def test_medical_restored_on_day_15(self) -> None:
        self.assert_restored(
            PATIENT,
            flower("h", OZ_2_5),
            sold_at=dt.datetime(2024, 5, 1, 21, tzinfo=CHICAGO),
            last=dt.datetime(2024, 5, 14, 23, 59, tzinfo=CHICAGO),
            restored=dt.datetime(2024, 5, 15, 0, 0, tzinfo=CHICAGO),
        )

    def test_medical_needs_no_residency(self) -> None:
        assert check_cart("IL", Customer(customer_type="medical"), [flower("a", 1.0)], at=AT).allowed

    def test_a_waiver_is_an_allotment_override(self) -> None:
        waived = Customer(customer_type="medical", allotment_override="5 oz", override_limit="il_med_14_day")
        history = [PastLine(line=flower("h", OZ_2_5), sold_at=AT - dt.timedelta(days=3))]
        decision = check_cart("IL", waived, [flower("a", GRAMS_PER_OUNCE)], at=AT, history=history)
        assert decision.allowed and decision.usage("il_med_14_day").overridden

    def test_medical_lines_without_fe_use_the_adult_use_ratios_flagged(self) -> None:
        decision = check_cart("IL", PATIENT, [wax("w", 5.0)], at=AT)
        assert decision.lines[0].counted == pytest.approx(30.0)
        assert decision.lines[0].rule is not None and decision.lines[0].rule.code == "il_med_eq_concentrate"
        assert not decision.lines[0].rule.confirmed

    # ------------------------------------------------------------------------------------- dates, reporting

    def test_the_pack_starts_with_adult_use_sales(self) -> None:
        assert pack_for("IL").earliest == dt.date(2020, 1, 1)
        assert check_cart("IL", RESIDENT, [flower("a", 1.0)], at=dt.datetime(2020, 1, 1, 6, tzinfo=CHICAGO)).allowed

    def test_unconfirmed_rules_warn_in_the_decision(self) -> None:
        decision = check_cart("IL", RESIDENT, [flower("a", 1.0)], at=AT)
        assert any("il_rec_resident is UNCONFIRMED" in w for w in decision.warnings)

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
