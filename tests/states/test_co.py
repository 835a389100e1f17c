"""Colorado: adult-use 1 oz per transaction with 8 g / 800 mg equivalents and non-psychoactive topicals exempt;
medical from 2022-01-01 (HB21-1317) with a 2 oz daily budget and age-banded concentrate sub-caps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fe_compliance.errors import MissingDataError, UnknownCategoryError
from fe_compliance.limits import (
    CartLine,
    Customer,
    LimitKind,
    LineDataError,
    NoRulesInForceError,
    PastLine,
)
from fe_compliance.states import check_cart, pack_for, rules_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, edibles, flower, wax

DENVER = ZoneInfo("America/Denver")
AT = dt.datetime(2024, 5, 1, 12, tzinfo=DENVER)
REC = Customer(customer_type="recreational", customer_id="r")
VISITOR = Customer(customer_type="recreational", customer_id="v", resident=False)
ADULT_PATIENT = Customer(customer_type="medical", customer_id="m", birth_date=dt.date(1980, 1, 1))
YOUNG_PATIENT = Customer(customer_type="medical", customer_id="y", birth_date=dt.date(2004, 6, 1))  # 19 on AT
MINOR_PATIENT = Customer(customer_type="medical", customer_id="k", birth_date=dt.date(2010, 1, 1))
TWO_OZ = 2 * GRAMS_PER_OUNCE


def gummies(line_id: str, count: float) -> CartLine:
    return edibles(line_id, count)


class TestCO(StatePackTests):
    STATE = "CO"

    # ---------------------------------------------------------------------------------------- adult-use

    def test_adult_use_one_ounce_per_transaction(self) -> None:
        self.assert_cap(REC, GRAMS_PER_OUNCE, "co_rec_transaction", at=AT)

    def test_adult_use_history_does_not_count(self) -> None:
        decision = self.assert_history_ignored(REC, GRAMS_PER_OUNCE, at=AT)
        assert decision.usage("co_rec_transaction").used == 0.0

    def test_non_residents_have_the_same_limit(self) -> None:
        self.assert_cap(VISITOR, GRAMS_PER_OUNCE, "co_rec_transaction", at=AT)
        # no adult-use limit depends on residency, so an unknown residency is no error
        assert all(limit.condition.is_any for limit in rules_for("CO", on=AT).limits_for("recreational"))

    def test_eight_grams_of_concentrate_is_one_ounce(self) -> None:
        decision = check_cart("CO", REC, [wax("w", 8.0)], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        assert not check_cart("CO", REC, [wax("w", 8.01)], at=AT).allowed
        half = check_cart("CO", REC, [wax("w", 4.0), flower("f", GRAMS_PER_OUNCE / 2)], at=AT)
        assert half.allowed and half.usage("co_rec_transaction").total == pytest.approx(GRAMS_PER_OUNCE)

    def test_vape_cartridges_count_as_concentrate(self) -> None:
        carts = CartLine(line_id="v", category="Cartridges", grams_concentration=0.5, quantity=16)
        decision = check_cart("CO", REC, [carts], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        more = CartLine(line_id="v", category="Cartridges", grams_concentration=0.5, quantity=17)
        assert not check_cart("CO", REC, [more], at=AT).allowed

    def test_eight_hundred_mg_of_thc_in_edibles_is_one_ounce(self) -> None:
        decision = check_cart("CO", REC, [gummies("g", 80)], at=AT)
        assert decision.allowed and decision.lines[0].counted == pytest.approx(GRAMS_PER_OUNCE)
        assert decision.lines[0].rule is not None and not decision.lines[0].rule.confirmed
        assert not check_cart("CO", REC, [gummies("g", 81)], at=AT).allowed

    def test_package_fe_wins_over_the_equivalents(self) -> None:
        decision = check_cart("CO", REC, [wax("w", 8.0, fe=10.0)], at=AT)
        assert decision.lines[0].counted == 10.0 and decision.lines[0].method == "package_fe"

    def test_non_psychoactive_topicals_are_exempt_for_adult_use(self) -> None:
        balm = CartLine(line_id="t", category="Topicals", quantity=20, exempt=True)
        decision = check_cart("CO", REC, [balm, flower("f", GRAMS_PER_OUNCE)], at=AT)
        assert decision.allowed and decision.lines[0].exempt
        assert decision.lines[0].rule is not None and decision.lines[0].rule.code == "co_rec_topicals"
        rule = rules_for("CO", on=AT).exemptions_for("recreational")[0]
        assert not rule.categories and rule.honor_line_flag and rule.flag_categories == {"Topical"}

    def test_the_exempt_flag_exempts_only_topicals(self) -> None:
        marked_flower = CartLine(line_id="f", category="Flower", fe_grams=GRAMS_PER_OUNCE + 0.01, exempt=True)
        refused = check_cart("CO", REC, [marked_flower], at=AT)
        assert not refused.lines[0].exempt
        assert [u.code for u in refused.refused_by] == ["co_rec_transaction"]
        marked_edible = CartLine(line_id="g", category="Edibles", exempt=True)
        with pytest.raises(LineDataError) as info:
            check_cart("CO", REC, [marked_edible], at=AT)
        assert info.value.line_id == "g"

    def test_a_non_psychoactive_category_name_is_unknown_not_exempt(self) -> None:
        balm = CartLine(line_id="t", category="Non-Psychoactive Topical", quantity=20)
        with pytest.raises(UnknownCategoryError) as info:
            check_cart("CO", REC, [balm], at=AT)
        assert "'t'" in str(info.value)

    def test_the_topical_exemption_is_adult_use_only(self) -> None:
        balm = CartLine(line_id="t", category="Topical", exempt=True)
        with pytest.raises(LineDataError):
            check_cart("CO", ADULT_PATIENT, [balm], at=AT)
        counted = CartLine(line_id="t", category="Topical", exempt=True, fe_grams=1.0)
        decision = check_cart("CO", ADULT_PATIENT, [counted], at=AT)
        assert not decision.lines[0].exempt and decision.usage("co_med_daily").requested == 1.0

    def test_a_topical_flagged_exempt_by_the_pos_is_exempt(self) -> None:
        balm = CartLine(line_id="t", category="Topical", exempt=True)
        assert check_cart("CO", REC, [balm, flower("f", GRAMS_PER_OUNCE)], at=AT).allowed

    def test_a_plain_topical_counts_and_needs_data(self) -> None:
        with pytest.raises(LineDataError) as info:
            check_cart("CO", REC, [CartLine(line_id="t", category="Topical")], at=AT)
        assert info.value.line_id == "t"
        patch = CartLine(line_id="t", category="Topical", fe_grams=1.0)
        assert not check_cart("CO", REC, [patch, flower("f", GRAMS_PER_OUNCE)], at=AT).allowed

    # ------------------------------------------------------------------------------------------ medical

    def test_medical_is_not_modelled_before_hb21_1317(self) -> None:
        with pytest.raises(NoRulesInForceError) as info:
            check_cart("CO", ADULT_PATIENT, [flower("a", 1.0)], at=dt.datetime(2021, 12, 31, 23, 30, tzinfo=DENVER))
        assert info.value.field == "customer_type"
        assert check_cart("CO", ADULT_PATIENT, [flower("a", 1.0)], at=dt.datetime(2022, 1, 1, 0, 5, tzinfo=DENVER))
        assert pack_for("CO").change_dates == (dt.date(2016, 10, 1), dt.date(2022, 1, 1))

    def test_the_store_day_picks_the_medical_rules(self) -> None:
        # 05:00 UTC on 1 January 2022 is still 31 December in Denver.
        with pytest.raises(NoRulesInForceError):
            check_cart("CO", ADULT_PATIENT, [flower("a", 1.0)], at=dt.datetime(2022, 1, 1, 5, tzinfo=dt.UTC))

    def test_medical_two_ounces_per_store_day(self) -> None:
        self.assert_cap(ADULT_PATIENT, TWO_OZ, "co_med_daily", at=AT)

    def test_medical_day_restores_at_local_midnight(self) -> None:
        self.assert_restored(
            ADULT_PATIENT,
            flower("h", TWO_OZ),
            sold_at=dt.datetime(2024, 5, 1, 9, tzinfo=DENVER),
            last=dt.datetime(2024, 5, 1, 23, 59, tzinfo=DENVER),
            restored=dt.datetime(2024, 5, 2, 0, 0, tzinfo=DENVER),
        )

    def test_medical_concentrate_eight_grams_from_age_21(self) -> None:
        ok = self.assert_cap(ADULT_PATIENT, 8.0, "co_med_concentrate", at=AT, line=wax)
        assert ok.usage("co_med_concentrate").requested == 8.0

    def test_medical_concentrate_sub_cap_is_daily(self) -> None:
        history = [PastLine(line=wax("h", 6.0), sold_at=dt.datetime(2024, 5, 1, 8, tzinfo=DENVER))]
        self.assert_cap(ADULT_PATIENT, 2.0, "co_med_concentrate", at=AT, line=wax, history=history)
        tomorrow = dt.datetime(2024, 5, 2, 0, 0, tzinfo=DENVER)
        assert check_cart("CO", ADULT_PATIENT, [wax("w", 8.0)], at=tomorrow, history=history).allowed

    def test_medical_concentrate_two_grams_aged_18_to_20(self) -> None:
        decision = self.assert_cap(YOUNG_PATIENT, 2.0, "co_med_concentrate_18_20", at=AT, line=wax)
        assert [u.code for u in decision.usages if u.limit.kind is LimitKind.SUB_CAP] == ["co_med_concentrate_18_20"]

    def test_the_21st_birthday_lifts_the_concentrate_cap_to_eight_grams(self) -> None:
        patient = Customer(customer_type="medical", birth_date=dt.date(2003, 5, 2))
        eve = dt.datetime(2024, 5, 1, 23, 0, tzinfo=DENVER)
        birthday = dt.datetime(2024, 5, 2, 0, 30, tzinfo=DENVER)
        assert not check_cart("CO", patient, [wax("w", 3.0)], at=eve).allowed
        assert check_cart("CO", patient, [wax("w", 8.0)], at=birthday).allowed

    def test_vape_cartridges_count_in_the_medical_concentrate_cap(self) -> None:
        carts = CartLine(line_id="v", category="Vape Cartridges", grams_concentration=1.0, quantity=3)
        refused = check_cart("CO", YOUNG_PATIENT, [carts], at=AT)
        assert [u.code for u in refused.refused_by] == ["co_med_concentrate_18_20"]

    def test_under_18_the_two_gram_cap_applies_flagged(self) -> None:
        decision = check_cart("CO", MINOR_PATIENT, [wax("w", 2.0)], at=AT)
        assert decision.allowed
        usage = decision.usage("co_med_concentrate_under_18")
        assert not usage.limit.confirmed and any("co_med_concentrate_under_18" in w for w in decision.warnings)
        assert not check_cart("CO", MINOR_PATIENT, [wax("w", 2.01)], at=AT).allowed

    def test_medical_customer_without_birth_date_is_an_error(self) -> None:
        with pytest.raises(MissingDataError) as info:
            check_cart("CO", Customer(customer_type="medical"), [flower("a", 1.0)], at=AT)
        assert info.value.field == "customer.birth_date"

    def test_medical_flower_and_concentrate_are_separate_limits(self) -> None:
        # HB21-1317's "2 oz of flower and 8 g of concentrate": both in full on one day, and not a gram more of either.
        both = check_cart("CO", ADULT_PATIENT, [wax("w", 8.0), flower("f", TWO_OZ)], at=AT)
        assert both.allowed
        assert both.usage("co_med_daily").requested == pytest.approx(TWO_OZ)
        assert both.usage("co_med_concentrate").requested == 8.0
        more_flower = check_cart("CO", ADULT_PATIENT, [wax("w", 8.0), flower("f", TWO_OZ + 0.01)], at=AT)
        assert [u.code for u in more_flower.refused_by] == ["co_med_daily"]
        more_wax = check_cart("CO", ADULT_PATIENT, [wax("w", 8.01), flower("f", TWO_OZ)], at=AT)
        assert [u.code for u in more_wax.refused_by] == ["co_med_concentrate"]
        daily = rules_for("CO", on=AT).budgets_for("medical")
        assert [b.code for b in daily] == ["co_med_daily"] and daily[0].categories is not None
        assert not {"Concentrate", "Combined Inhalable"} & daily[0].categories and "Flower" in daily[0].categories

    def test_medical_concentrate_needs_no_fe_but_its_weight(self) -> None:
        decision = check_cart("CO", ADULT_PATIENT, [wax("w", 8.0, fe=99.0)], at=AT)
        assert decision.allowed and decision.usage("co_med_daily").requested == 0.0
        assert decision.lines[0].method == "not_counted" and not decision.lines[0].exempt
        assert decision.lines[0].counted is None
        assert "counted toward no budget" in "\n".join(decision.explanation())
        no_weight = CartLine(line_id="w", category="Concentrate", fe_grams=1.0)
        with pytest.raises(LineDataError) as info:
            check_cart("CO", ADULT_PATIENT, [no_weight], at=AT)
        assert info.value.line_id == "w" and "grams_concentration" in str(info.value)

    def test_medical_concentrate_history_counts_only_toward_its_cap(self) -> None:
        history = [PastLine(line=wax("h", 8.0), sold_at=dt.datetime(2024, 5, 1, 8, tzinfo=DENVER))]
        decision = check_cart("CO", ADULT_PATIENT, [flower("f", TWO_OZ)], at=AT, history=history)
        assert decision.allowed and decision.usage("co_med_daily").used == 0.0
        assert decision.usage("co_med_concentrate").used == 8.0

    def test_medical_edibles_need_a_package_fe(self) -> None:
        with pytest.raises(LineDataError) as info:
            check_cart("CO", ADULT_PATIENT, [gummies("g", 10)], at=AT)
        assert info.value.line_id == "g"
        with_fe = CartLine(line_id="g", category="Edibles", fe_grams=3.5, quantity=10)
        assert check_cart("CO", ADULT_PATIENT, [with_fe], at=AT).allowed

    def test_an_override_replaces_the_budget_not_the_concentrate_cap(self) -> None:
        patient = Customer(customer_type="medical", birth_date=dt.date(1980, 1, 1), allotment_override="4 oz")
        decision = check_cart("CO", patient, [flower("f", 3 * GRAMS_PER_OUNCE), wax("w", 9.0)], at=AT)
        assert decision.usage("co_med_daily").overridden and not decision.usage("co_med_daily").exceeded
        assert [u.code for u in decision.refused_by] == ["co_med_concentrate"]

    # ---------------------------------------------------------------------------------------- reporting

    def test_real_time_reporting_required_and_safe_harbour_documented(self) -> None:
        rules = self.assert_reporting(real_time=True, at=AT)
        assert rules.reporting is not None and "44-10-501(1)(b)(II)" in rules.reporting.note
