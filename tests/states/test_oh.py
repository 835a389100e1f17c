"""Ohio (flagged): 10 whole-day units per store day across all forms from 2024-08-06 to 2025-06-03; from
2025-06-04 2.5 oz of plant material and 15 g of extract tracked separately, 15,000 mg of THC in other products;
medical not modelled."""

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
AT = dt.datetime(2024, 10, 1, 12, tzinfo=COLUMBUS)  # whole-day units
LATER = dt.datetime(2025, 7, 1, 12, tzinfo=COLUMBUS)  # 2.5 oz
REC = Customer(customer_type="recreational", customer_id="r")
OZ_2_5 = 2.5 * GRAMS_PER_OUNCE
WDU = 2.83
DAY_WDU = 10 * WDU


def extract(line_id: str, grams: float, *, fe: float | None = None, thc: float | None = None) -> CartLine:
    return wax(line_id, grams, fe=fe, category="Extract", thc=thc)


def thc_line(line_id: str, category: str, thc_mg: float, quantity: float = 1.0) -> CartLine:
    """A line of ``thc_mg`` of THC per unit; extract forms also carry 1 g of product weight (the extract cap)."""
    weight = 1.0 if category in ("Concentrate", "Combined Inhalable", "Vape") else None
    return CartLine(
        line_id=line_id, category=category, thc_grams=thc_mg / 1000.0, grams_concentration=weight, quantity=quantity
    )


class TestOH(StatePackTests):
    STATE = "OH"

    # --------------------------------------------------------------- 2024-08-06 .. 2025-06-03: whole-day units

    def test_ten_whole_day_units_of_plant_material_per_store_day(self) -> None:
        self.assert_cap(REC, DAY_WDU, "oh_rec_daily", at=AT)

    def test_two_and_a_half_ounces_were_not_allowed_at_launch(self) -> None:
        refused = check_cart("OH", REC, [flower("f", OZ_2_5)], at=dt.datetime(2024, 8, 6, 10, tzinfo=COLUMBUS))
        assert [u.code for u in refused.refused_by] == ["oh_rec_daily"]

    @pytest.mark.parametrize(
        ("category", "mg"),
        [
            ("Solid Edible", 110.0),
            ("Liquid Edible", 110.0),
            ("Tincture", 110.0),
            ("Concentrate", 590.0),
            ("Combined Inhalable", 590.0),
            ("Topical", 295.0),
            ("Infused Non-Edible", 295.0),
        ],
    )
    def test_each_form_counts_by_its_whole_day_unit(self, category: str, mg: float) -> None:
        ten = check_cart("OH", REC, [thc_line("x", category, mg, quantity=10)], at=AT)
        assert ten.allowed and ten.usage("oh_rec_daily").requested == pytest.approx(DAY_WDU)
        assert ten.lines[0].counted_by is not None and ten.lines[0].status == "unconfirmed"
        eleven = check_cart("OH", REC, [thc_line("x", category, mg, quantity=11)], at=AT)
        assert "oh_rec_daily" in [u.code for u in eleven.refused_by]

    def test_units_add_up_across_forms(self) -> None:
        cart = [flower("f", 5 * WDU), thc_line("e", "Edibles", 110.0, quantity=3), thc_line("v", "Vape", 590.0, 2)]
        decision = check_cart("OH", REC, cart, at=AT)
        assert decision.allowed and decision.usage("oh_rec_daily").requested == pytest.approx(DAY_WDU)
        more = check_cart("OH", REC, [*cart, thc_line("t", "Topical", 1.0)], at=AT)
        assert [u.code for u in more.refused_by] == ["oh_rec_daily"]

    def test_a_concentrate_without_thc_counts_its_weight_as_thc_with_a_warning(self) -> None:
        decision = check_cart("OH", REC, [extract("x", 0.59)], at=AT)  # 0.59 g read as 590 mg THC: one unit
        assert decision.lines[0].counted == pytest.approx(WDU)
        assert decision.lines[0].method == "fe_definition_weight_bound"
        assert any("upper bound" in w for w in decision.warnings)

    def test_a_suppository_needs_a_package_fe(self) -> None:
        with pytest.raises(LineDataError) as info:
            check_cart("OH", REC, [thc_line("s", "Suppository", 100.0)], at=AT)
        assert info.value.field == "line 's' fe_grams"

    def test_the_extract_cap_also_applies_at_launch(self) -> None:
        refused = check_cart("OH", REC, [extract("x", 15.01, fe=1.0)], at=AT)
        assert "oh_rec_extract" in [u.code for u in refused.refused_by]

    def test_the_day_restores_at_local_midnight(self) -> None:
        self.assert_restored(
            REC,
            flower("h", DAY_WDU),
            sold_at=dt.datetime(2024, 10, 1, 9, tzinfo=COLUMBUS),
            last=dt.datetime(2024, 10, 1, 23, 59, tzinfo=COLUMBUS),
            restored=dt.datetime(2024, 10, 2, 0, 0, tzinfo=COLUMBUS),
            probe=0.5,
        )

    # ------------------------------------------------------------------------------- the change, 2025-06-04

    def test_the_stricter_rule_holds_through_the_reported_change_day(self) -> None:
        june_3 = dt.datetime(2025, 6, 3, 23, 59, tzinfo=COLUMBUS)
        june_4 = dt.datetime(2025, 6, 4, 0, 0, tzinfo=COLUMBUS)
        assert not check_cart("OH", REC, [flower("f", DAY_WDU + 0.01)], at=june_3).allowed
        assert check_cart("OH", REC, [flower("f", OZ_2_5)], at=june_4).allowed
        assert pack_for("OH").rule("oh_rec_daily", on="2025-06-03").until == dt.date(2025, 6, 4)
        assert "30 June" in pack_for("OH").rule("oh_rec_daily", on="2025-06-03").note

    # ----------------------------------------------------------------------------- from 2025-06-04: 2.5 oz

    def test_two_and_a_half_ounces_per_store_day(self) -> None:
        self.assert_cap(REC, OZ_2_5, "oh_rec_daily", at=LATER)

    def test_extract_sub_cap_fifteen_grams(self) -> None:
        decision = self.assert_cap(REC, 15.0, "oh_rec_extract", at=LATER, line=lambda i, g: extract(i, g, thc=1.0))
        assert decision.usage("oh_rec_extract").requested == 15.0

    def test_extract_sub_cap_holds_whatever_fe_the_pos_assigned(self) -> None:
        refused = check_cart("OH", REC, [extract("x", 16.0, fe=1.0, thc=1.0)], at=LATER)
        assert [u.code for u in refused.refused_by] == ["oh_rec_extract"]

    def test_extract_is_tracked_separately_from_plant_material(self) -> None:
        both = check_cart("OH", REC, [extract("x", 15.0, thc=0.5), flower("f", OZ_2_5)], at=LATER)
        assert both.allowed and both.usage("oh_rec_daily").total == pytest.approx(OZ_2_5)
        assert both.usage("oh_rec_extract").total == 15.0
        more_flower = check_cart("OH", REC, [extract("x", 15.0, thc=0.5), flower("f", OZ_2_5 + 0.01)], at=LATER)
        assert [u.code for u in more_flower.refused_by] == ["oh_rec_daily"]
        more_extract = check_cart("OH", REC, [extract("x", 15.01, thc=0.5), flower("f", OZ_2_5)], at=LATER)
        assert [u.code for u in more_extract.refused_by] == ["oh_rec_extract"]
        assert both.lines[0].method == "not_counted"

    def test_fifteen_thousand_mg_of_thc_in_the_other_products(self) -> None:
        gummies = CartLine(line_id="g", category="Edibles", fe_grams=0.1, thc_grams=1.0, quantity=15)
        assert check_cart("OH", REC, [gummies], at=LATER).allowed
        over = CartLine(line_id="g", category="Edibles", fe_grams=0.1, thc_grams=1.0, quantity=15.01)
        assert [u.code for u in check_cart("OH", REC, [over], at=LATER).refused_by] == ["oh_rec_thc"]
        # the never-looser reading: plant material's THC counts too
        strong = CartLine(line_id="f", category="Flower", grams_concentration=OZ_2_5, fe_grams=OZ_2_5, thc_grams=15.01)
        assert [u.code for u in check_cart("OH", REC, [strong], at=LATER).refused_by] == ["oh_rec_thc"]
        assert "never-looser" in pack_for("OH").rule("oh_rec_thc").note

    def test_other_products_count_toward_the_plant_budget(self) -> None:
        edibles = CartLine(line_id="e", category="Edibles", fe_grams=1.0, thc_grams=0.1, quantity=10)
        decision = check_cart("OH", REC, [edibles, flower("f", OZ_2_5 - 10.0)], at=LATER)
        assert decision.allowed and decision.usage("oh_rec_daily").total == pytest.approx(OZ_2_5)
        refused = check_cart("OH", REC, [edibles, flower("f", OZ_2_5 - 9.99)], at=LATER)
        assert [u.code for u in refused.refused_by] == ["oh_rec_daily"]

    def test_an_override_does_not_lift_the_extract_cap(self) -> None:
        big = Customer(customer_type="recreational", allotment_override="5 oz")
        decision = check_cart("OH", big, [extract("x", 20.0, thc=0.5), flower("f", OZ_2_5)], at=LATER)
        assert decision.usage("oh_rec_daily").overridden
        assert [u.code for u in decision.refused_by] == ["oh_rec_extract"]

    def test_edibles_need_a_package_fe_after_the_change(self) -> None:
        with pytest.raises(LineDataError) as info:
            check_cart("OH", REC, [CartLine(line_id="e", category="Edibles", thc_grams="100 mg")], at=LATER)
        assert info.value.field == "line 'e' fe_grams"

    def test_every_number_is_unconfirmed(self) -> None:
        self.assert_every_number_unconfirmed(at=AT)  # every limit and FE definition, whatever its customer type
        self.assert_every_number_unconfirmed(at=LATER)

    def test_medical_is_not_modelled(self) -> None:
        self.assert_not_modelled("medical", "45-day", at=AT)

    def test_the_pack_starts_with_adult_use_sales(self) -> None:
        assert pack_for("OH").earliest == dt.date(2024, 8, 6)
        with pytest.raises(NoRulesInForceError):
            check_cart("OH", REC, [flower("a", 1.0)], at=dt.datetime(2024, 8, 5, 12, tzinfo=COLUMBUS))

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)
