"""What a counted line says about the rule that counted it, the category-mismatch check, missing-data errors that
name the field the rule reads, and ISO date texts where a date is asked (issue 8)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance import masscip, states
from fe_compliance.limits import (
    CartLine,
    CategoryMismatchError,
    Customer,
    InvalidDateError,
    LimitEngine,
    LineDataError,
    PastLine,
)

from .packs import make_pack

BOSTON = ZoneInfo("America/New_York")
AT = dt.datetime(2025, 6, 2, 12, tzinfo=BOSTON)
PATIENT = Customer(customer_type="medical", customer_id="P-1")
ADULT = Customer(customer_type="recreational", customer_id="A-1")


def ma_line(line_id: str, category: str, metrc: str, grams: float = 1.0) -> CartLine:
    return CartLine(line_id=line_id, category=category, metrc_category=metrc, grams_concentration=grams)


# -------------------------------------------------------------------------------- the rule that counted a line


@pytest.mark.parametrize("metrc", ["Tincture", "InfusedPreRoll", "Topical", "Kief"])
def test_a_masscip_line_through_a_flagged_entry_shows_its_citation_flag_and_a_warning(metrc: str) -> None:
    entry = masscip.DEFAULT_TABLE.lookup(metrc)
    assert entry.flagged
    category = "Flower" if metrc == "InfusedPreRoll" else "Concentrate"
    decision = states.engine("MA").check(PATIENT, [ma_line("x", category, metrc)], at=AT)
    count = decision.lines[0]
    assert count.counted_by is not None and count.counted_by.citation == entry.source
    assert count.status == str(entry.status) and count.flagged
    text = "\n".join(decision.explanation())
    assert f"[{str(entry.status).upper()}]" in text and entry.source in text
    assert any(entry.name in w and str(entry.status).upper() in w for w in decision.warnings)
    data = json.loads(json.dumps(decision.to_dict()))
    line = data["lines"][0]
    assert line["counted_by"]["citation"] == entry.source
    assert line["counted_by"]["status"] == str(entry.status) and line["counted_by"]["flagged"] is True
    assert line["warnings"] and set(line["warnings"]) <= set(data["warnings"])


def test_a_masscip_line_through_a_confirmed_entry_is_cited_and_not_flagged() -> None:
    decision = states.engine("MA").check(PATIENT, [ma_line("b", "Flower", "Buds", 3.5)], at=AT)
    count = decision.lines[0]
    assert count.counted_by is not None and count.counted_by.code == "MA-MASSCIP-FLOWER"
    assert count.status == "confirmed" and not count.flagged
    assert not any("MassCIP table entry" in w or "disagree" in w for w in decision.warnings)
    assert count.warnings == ()
    assert masscip.DEFAULT_TABLE.lookup("Buds").source in "\n".join(decision.explanation())


def test_every_counted_line_carries_the_rule_that_counted_it() -> None:
    engine = LimitEngine(make_pack())
    cart = [
        CartLine(line_id="fe", category="Flower", fe_grams=1.0),
        CartLine(line_id="def", category="Solid Edible", thc_grams=0.05),
    ]
    decision = engine.check(ADULT, cart, at=dt.datetime(2024, 5, 1, 12, tzinfo=BOSTON))
    counted = [c for c in decision.lines if c.counted is not None]
    assert len(counted) == 2
    for count, data in zip(counted, decision.to_dict()["lines"], strict=True):
        assert count.counted_by is not None and count.status in ("confirmed", "unconfirmed")
        assert data["counted_by"]["code"] == count.counted_by.code
    assert counted[0].counted_by == decision.counting.rule
    assert counted[1].rule is not None and counted[1].counted_by == counted[1].rule.rule


# ------------------------------------------------------------------------------------------- category mismatch


def test_a_concentrate_line_with_metrc_buds_warns_that_it_counts_by_the_metrc_category() -> None:
    line = ma_line("c", "Concentrate", "Buds", 2.0)
    decision = states.engine("MA").check(PATIENT, [line], at=AT)
    assert decision.lines[0].counted == pytest.approx(2.0)  # what MassCIP deducts: the Metrc category's x1
    warning = next(w for w in decision.warnings if "disagree" in w)
    assert "'Concentrate'" in warning and "'Buds'" in warning and "refuse_category_mismatch" in warning
    assert any("disagree" in w for w in decision.to_dict()["warnings"])


def test_a_flower_line_with_a_non_flower_metrc_category_warns_too() -> None:
    decision = states.engine("MA").check(PATIENT, [ma_line("f", "Flower", "Concentrate")], at=AT)
    assert any("disagree" in w for w in decision.warnings)


def test_agreeing_categories_do_not_warn() -> None:
    cart = [ma_line("f", "Flower", "Buds"), ma_line("c", "Concentrate", "Concentrate")]
    assert not any("disagree" in w for w in states.engine("MA").check(PATIENT, cart, at=AT).warnings)


def test_the_refuse_option_refuses_a_mismatched_line_naming_it() -> None:
    engine = states.engine("MA", refuse_category_mismatch=True)
    with pytest.raises(CategoryMismatchError) as info:
        engine.check(PATIENT, [ma_line("ok", "Flower", "Buds"), ma_line("c", "Concentrate", "Buds")], at=AT)
    assert info.value.field == "line 'c' metrc_category" and info.value.line_id == "c"
    assert engine.check(PATIENT, [ma_line("ok", "Flower", "Buds")], at=AT).allowed


def test_a_mismatched_history_line_counts_as_masscip_counted_it_without_refusing_the_cart() -> None:
    engine = states.engine("MA", refuse_category_mismatch=True)
    past = PastLine(line=ma_line("h", "Concentrate", "Buds", 10.0), sold_at=AT - dt.timedelta(days=1))
    decision = engine.check(PATIENT, [ma_line("f", "Flower", "Buds")], at=AT, history=[past])
    assert decision.usage("ma_med_60_day").used == pytest.approx(10.0)


def test_the_refuse_option_must_be_a_bool() -> None:
    with pytest.raises(Exception) as info:
        states.engine("MA", refuse_category_mismatch="yes")
    assert getattr(info.value, "field", None) == "refuse_category_mismatch"


# ------------------------------------------------------------------------------------------- missing-data errors


def test_a_missing_potency_names_thc_grams_and_the_fields_it_did_not_use() -> None:
    line = CartLine(line_id="t", category="Tincture", net_weight_grams=30.0, volume_ml=30.0)
    with pytest.raises(LineDataError) as info:
        states.engine("MA").check(ADULT, [line], at=AT)
    assert info.value.field == "line 't' thc_grams"
    message = str(info.value)
    assert "net_weight_grams=30" in message and "volume_ml=30" in message and "does not read" in message


def test_a_missing_masscip_amount_lists_what_the_line_gave() -> None:
    line = CartLine(line_id="m", category="Flower", metrc_category="Buds", fe_grams=3.5, net_weight_grams=3.5)
    with pytest.raises(LineDataError) as info:
        states.engine("MA").check(PATIENT, [line], at=AT)
    assert info.value.field == "line 'm' grams_concentration"
    assert "fe_grams=3.5" in str(info.value) and "net_weight_grams=3.5" in str(info.value)


def test_a_missing_sub_cap_measure_names_its_field_and_what_was_given() -> None:
    line = CartLine(line_id="c", category="Concentrate", fe_grams=5.0, thc_grams=0.8)
    with pytest.raises(LineDataError) as info:
        states.engine("MI").check(ADULT, [line], at=AT)
    assert info.value.field == "line 'c' grams_concentration"
    assert "thc_grams=0.8" in str(info.value)


# ------------------------------------------------------------------------------------------------- ISO dates


def test_rules_for_takes_an_iso_date_text() -> None:
    assert states.rules_for("MA", on="2025-06-01") is states.rules_for("MA", on=dt.date(2025, 6, 1))
    assert states.pack_for("MA").rule("ma_med_60_day", on="2025-06-01").code == "ma_med_60_day"


@pytest.mark.parametrize("bad", ["2025-06-31", "6/1/2025", "2025-06-01 10:00", "June 2025"])
def test_a_bad_date_text_is_an_invalid_date_error(bad: str) -> None:
    with pytest.raises(InvalidDateError) as info:
        states.rules_for("MA", on=bad)
    assert info.value.field == "on"


def test_customer_dates_take_iso_texts_and_refuse_others() -> None:
    customer = Customer(customer_type="medical", birth_date="1980-01-31", certification_date="2025-01-02")
    assert customer.birth_date == dt.date(1980, 1, 31) and customer.certification_date == dt.date(2025, 1, 2)
    with pytest.raises(InvalidDateError) as info:
        Customer(customer_type="medical", certification_date="01/02/2025")
    assert info.value.field == "certification_date"
    with pytest.raises(InvalidDateError):
        Customer(customer_type="medical", birth_date=dt.datetime(1980, 1, 31))


# ------------------------------------------------------------------------------------------------- properties


@given(
    weight=st.floats(min_value=0.001, max_value=50.0, allow_nan=False),
    share=st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
    quantity=st.integers(min_value=1, max_value=20),
)
def test_counting_a_concentrates_weight_as_thc_is_never_looser(weight: float, share: float, quantity: int) -> None:
    """For any THC content up to the product weight, the weight-only line counts at least what the THC line counts,
    so a cart the weight bound allows is allowed with the real THC too."""
    engine = states.engine("MA")
    thc_line = CartLine(line_id="w", category="Concentrate", grams_concentration=weight, thc_grams=weight * share)
    weight_line = CartLine(line_id="w", category="Concentrate", grams_concentration=weight)
    by_thc = engine.check(ADULT, [attrs.evolve(thc_line, quantity=quantity)], at=AT)
    by_weight = engine.check(ADULT, [attrs.evolve(weight_line, quantity=quantity)], at=AT)
    assert by_weight.lines[0].counted is not None and by_thc.lines[0].counted is not None
    assert by_weight.lines[0].counted >= by_thc.lines[0].counted
    assert by_thc.allowed or not by_weight.allowed
    assert any("upper bound" in w for w in by_weight.warnings) and not any("upper bound" in w for w in by_thc.warnings)


@given(first=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)), gap=st.integers(0, 40))
def test_mi_monthly_window_holds_any_two_days_of_one_calendar_month_or_30_days_apart(first: dt.date, gap: int) -> None:
    """The rolling-31-day reading is never looser than a calendar month or a rolling 30 days: whenever either of
    those would count an earlier 10 oz purchase, the MI window counts it too."""
    detroit = ZoneInfo("America/Detroit")
    second = first + dt.timedelta(days=gap)
    same_month = (first.year, first.month) == (second.year, second.month)
    within_30 = gap < 30
    sold = dt.datetime(first.year, first.month, first.day, 10, tzinfo=detroit)
    history = [PastLine(line=CartLine(line_id="h", category="Flower", fe_grams=283.49523125), sold_at=sold)]
    at = dt.datetime(second.year, second.month, second.day, 18, tzinfo=detroit)
    medical = Customer(customer_type="medical")
    decision = states.engine("MI").check(
        medical, [CartLine(line_id="a", category="Flower", fe_grams=0.1)], at=at, history=history
    )
    if same_month or within_30:
        assert "mi_med_monthly" in [u.code for u in decision.refused_by]


@given(day=st.dates(min_value=dt.date(2018, 11, 20), max_value=dt.date(2100, 1, 1)))
def test_an_iso_date_text_picks_the_same_rules_as_the_date(day: dt.date) -> None:
    assert states.rules_for("MA", on=day.isoformat()) is states.rules_for("MA", on=day)
