"""The rule-pack model: every rule kind refuses what cannot be right, and packs refuse contradictions."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from fe_compliance.categories import CustomerType
from fe_compliance.equivalency import FlowerEquivalencyDefinition
from fe_compliance.errors import InvalidQuantityError, InvalidValueError
from fe_compliance.limits import (
    CartLine,
    CountingBasis,
    CountingRule,
    Customer,
    CustomerCondition,
    Enforcement,
    Equivalency,
    ExemptProducts,
    InvalidRuleError,
    Limit,
    LimitEngine,
    LimitKind,
    Measure,
    NoRulesInForceError,
    PastLine,
    ReportingRule,
    RulePack,
    VolumeEquivalency,
    Window,
)

from .packs import CHANGE, START, make_pack, rule_fields


def budget(code: str = "b", **extra: object) -> Limit:
    fields = {**rule_fields(code), "customer_type": "recreational", "window": Window.transaction(), "cap": "1 oz"}
    fields.update(extra)
    return Limit(**fields)  # type: ignore[arg-type]


BASE = (
    CountingRule(**rule_fields("c"), customer_type="all", basis=CountingBasis.PACKAGE_FE),
    ReportingRule(**rule_fields("r"), real_time_required=True),
)


def pack(*rules: object, **extra: object) -> RulePack:
    return RulePack(state="ZZ", name="Z", time_zone="UTC", rules=(*BASE, *rules), **extra)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------------ windows


def test_window_lengths_are_checked() -> None:
    with pytest.raises(InvalidRuleError):
        Window.rolling(0)
    with pytest.raises(InvalidRuleError):
        Window.rolling(True)  # type: ignore[arg-type]
    with pytest.raises(InvalidRuleError):
        Window(kind=Window.transaction().kind, days=3)
    with pytest.raises(InvalidRuleError):
        Window(kind=Window.calendar_day().kind, anchor_selectable=True)
    with pytest.raises(InvalidRuleError):
        Window(kind=Window.calendar_month().kind, days=30)
    with pytest.raises(InvalidRuleError):
        Window(kind=Window.calendar_month().kind, anchor_selectable=True)


def test_window_descriptions_state_the_restore_convention() -> None:
    assert "restored on day 31" in Window.rolling(30).describe()
    assert "certification date" in Window.rolling(60, anchor_selectable=True).describe()
    assert "local midnight" in Window.calendar_day().describe()
    assert "1st of the next month" in Window.calendar_month().describe()
    assert str(Window.calendar_month()) == "calendar month"


# -------------------------------------------------------------------------------------------------------- rules


def test_dates_are_dates_and_end_after_they_start() -> None:
    with pytest.raises(InvalidRuleError):
        budget(effective=dt.datetime(2020, 1, 1))
    with pytest.raises(InvalidRuleError):
        Limit(**rule_fields("b", until=START), customer_type="medical", window=Window.transaction(), cap="1 oz")
    with pytest.raises(InvalidRuleError):
        budget(citation="  ")


def test_caps_must_match_their_measure() -> None:
    with pytest.raises(InvalidQuantityError):
        budget(cap="5 floz")
    with pytest.raises(InvalidQuantityError):
        budget(cap="5 g", measure=Measure.VOLUME, categories=("Liquid Edible",))
    with pytest.raises(InvalidQuantityError):
        budget(cap="0 g")
    assert budget(cap="36 floz", measure=Measure.VOLUME, categories=("Liquid Edible",)).cap_value == pytest.approx(
        1064.6470642
    )


def test_budget_or_sub_cap() -> None:
    assert budget().kind is LimitKind.BUDGET
    assert budget(categories=("Concentrate",)).kind is LimitKind.SUB_CAP
    assert budget(measure=Measure.THC).kind is LimitKind.SUB_CAP
    with pytest.raises(InvalidRuleError):
        budget(categories=())


def test_evolve_keeps_a_rule_valid() -> None:
    limit = budget()
    moved = attrs.evolve(limit, cap="2 oz")
    assert moved.cap_value == pytest.approx(2 * 28.349523125)
    assert attrs.evolve(limit).cap_value == limit.cap_value


def test_customer_condition_is_checked() -> None:
    with pytest.raises(InvalidRuleError):
        CustomerCondition(min_age=21, max_age=18)
    assert CustomerCondition(resident=False, min_age=18, max_age=20).describe() == "non-residents, aged 18-20"
    assert CustomerCondition().is_any


def test_unconfirmed_rules_say_so_in_their_citation_rule() -> None:
    assert "[UNCONFIRMED]" in budget(confirmed=False).rule.summary
    assert "[UNCONFIRMED]" not in budget().rule.summary


def test_volume_equivalency_ratio() -> None:
    rule = VolumeEquivalency(
        **rule_fields("v"), category="Liquid Edible", customer_type="all", volume="36 floz", equivalent_flower="1 oz"
    )
    assert rule.grams_per_ml * 1064.6470642 == pytest.approx(28.349523125)
    with pytest.raises(InvalidQuantityError):
        VolumeEquivalency(
            **rule_fields("v"), category="Liquid Edible", customer_type="all", volume="36 g", equivalent_flower="1 oz"
        )


# -------------------------------------------------------------------------------------------------------- packs


def test_state_code_is_two_upper_case_letters() -> None:
    for bad in ("zz", "ZZZ", "", 12):
        with pytest.raises(InvalidRuleError):
            RulePack(state=bad, name="Z", time_zone="UTC", rules=BASE)  # type: ignore[arg-type]


def test_a_pack_needs_rules_and_a_known_zone() -> None:
    with pytest.raises(InvalidRuleError):
        RulePack(state="ZZ", name="Z", time_zone="UTC", rules=())
    with pytest.raises(InvalidValueError):
        RulePack(state="ZZ", name="Z", time_zone="Nowhere/Special", rules=BASE)
    with pytest.raises(InvalidRuleError):
        RulePack(state="ZZ", name="Z", time_zone="UTC", rules=("not a rule",))  # type: ignore[arg-type]


def test_versions_of_a_rule_must_not_overlap() -> None:
    with pytest.raises(InvalidRuleError):
        pack(budget(), budget(effective=CHANGE))
    ok = pack(budget(until=CHANGE), budget(effective=CHANGE, cap="2 oz"))
    assert ok.change_dates == (START, CHANGE)
    assert ok.in_force(CHANGE - dt.timedelta(days=1)).budgets_for("rec")[0].cap_value == pytest.approx(28.349523125)
    assert ok.in_force(CHANGE).budgets_for("rec")[0].cap_value == pytest.approx(2 * 28.349523125)
    assert ok.rule("b").effective == CHANGE and ok.rule("b", on=START).until == CHANGE


def test_rules_name_known_categories() -> None:
    with pytest.raises(InvalidRuleError):
        pack(budget(), budget("s", categories=("Moonrocks",)))
    with pytest.raises(InvalidRuleError):
        pack(budget(), budget("s", categories=("Concentrates",)))  # an alias, not the canonical name


def test_two_equivalencies_for_one_key_at_once_are_refused() -> None:
    def eq(code: str) -> Equivalency:
        return Equivalency(
            **rule_fields(code),
            definition=FlowerEquivalencyDefinition("Concentrate", "all", "grams_concentration", "1 g", "3 g"),
        )

    with pytest.raises(InvalidRuleError):
        pack(budget(), eq("a"), eq("b"))


def test_one_reporting_rule_at_a_time() -> None:
    with pytest.raises(InvalidRuleError):
        pack(budget(), ReportingRule(**rule_fields("r2"), real_time_required=False))


def test_before_the_first_rule_is_an_error_naming_the_date() -> None:
    with pytest.raises(NoRulesInForceError) as info:
        make_pack().in_force(dt.date(2019, 12, 31))
    assert "2020-01-01" in str(info.value) and info.value.field == "on"


def test_rule_sets_are_built_once_per_period() -> None:
    zz = make_pack()
    assert zz.in_force(dt.date(2020, 5, 1)) is zz.in_force(dt.date(2021, 12, 31))
    assert zz.in_force(dt.date(2021, 12, 31)) is not zz.in_force(CHANGE)
    assert len(zz.periods) == 2


def test_counting_rule_missing_for_a_type_is_an_error() -> None:
    only_medical = RulePack(
        state="ZZ",
        name="Z",
        time_zone="UTC",
        rules=(
            CountingRule(**rule_fields("c"), customer_type="medical", basis=CountingBasis.PACKAGE_FE),
            budget(customer_type="medical"),
        ),
    )
    with pytest.raises(NoRulesInForceError):
        only_medical.in_force(START).counting_rule("recreational")
    assert not only_medical.in_force(START).covers("recreational")


def test_lookups_take_the_customer_served_and_include_rules_for_all() -> None:
    shared = budget("shared", customer_type="all", window=Window.calendar_day(), cap="3 oz")
    both = pack(budget("rec_only"), budget("med_only", customer_type="medical"), shared).in_force(START)
    assert [r.code for r in both.limits_for("recreational")] == ["rec_only", "shared"]
    assert [r.code for r in both.limits_for("medical")] == ["med_only", "shared"]
    assert [r.code for r in both.budgets_for(CustomerType.MEDICAL)] == ["med_only", "shared"]
    assert {r.code for r in both.of_type(Limit)} == {"rec_only", "med_only", "shared"}
    engine = LimitEngine(pack(budget("rec_only"), budget("med_only", customer_type="medical"), shared))
    at = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    history = [PastLine(line=CartLine(line_id="h", category="Flower", fe_grams=70.0), sold_at=at)]
    decision = engine.check(
        Customer(customer_type="medical"),
        [CartLine(line_id="a", category="Flower", fe_grams=25.0)],
        at=at,
        history=history,
    )
    assert decision.codes() == ("med_only", "shared") and [u.code for u in decision.refused_by] == ["shared"]


@pytest.mark.parametrize(
    "lookup",
    [
        "limits_for",
        "budgets_for",
        "sub_caps_for",
        "equivalencies_for",
        "volume_rules_for",
        "exemptions_for",
        "not_researched",
        "counting_rule",
        "covers",
    ],
)
@pytest.mark.parametrize("asked", ["all", CustomerType.ALL])
def test_asking_a_lookup_for_all_is_an_error_not_an_empty_answer(lookup: str, asked: object) -> None:
    rules = make_pack().in_force(START)
    with pytest.raises(InvalidValueError) as info:
        getattr(rules, lookup)(asked)
    assert info.value.field == "customer_type" and "of_type" in str(info.value)


# --------------------------------------------------------------------------------------------------- exemptions


def test_an_exemption_by_property_needs_no_category() -> None:
    by_flag = ExemptProducts(**rule_fields("x"), honor_line_flag=True, flag_categories=("Topical",))
    assert by_flag.categories == frozenset() and by_flag.flag_categories == {"Topical"}
    assert by_flag.flag_applies("topical") and not by_flag.flag_applies("Flower")
    anywhere = ExemptProducts(**rule_fields("y"), honor_line_flag=True)
    assert anywhere.flag_applies("Flower") and anywhere.flag_categories is None
    by_category = ExemptProducts(**rule_fields("z"), categories="Topical")
    assert by_category.categories == {"Topical"} and not by_category.flag_applies("Topical")


def test_an_exemption_must_exempt_something() -> None:
    with pytest.raises(InvalidRuleError) as info:
        ExemptProducts(**rule_fields("x"))
    assert info.value.field == "categories" and "exempts nothing" in str(info.value)
    with pytest.raises(InvalidRuleError):
        ExemptProducts(**rule_fields("x"), categories=())
    with pytest.raises(InvalidRuleError) as flag:
        ExemptProducts(**rule_fields("x"), categories=("Topical",), flag_categories=("Topical",))
    assert flag.value.field == "flag_categories"
    with pytest.raises(InvalidRuleError):
        ExemptProducts(**rule_fields("x"), honor_line_flag=True, flag_categories=())
    with pytest.raises(InvalidRuleError):
        ExemptProducts(**rule_fields("x"), honor_line_flag="yes")  # type: ignore[arg-type]


def test_flag_categories_must_be_known_to_the_pack() -> None:
    with pytest.raises(InvalidRuleError) as info:
        pack(budget(), ExemptProducts(**rule_fields("x"), honor_line_flag=True, flag_categories=("Balms",)))
    assert info.value.value == "Balms"


def test_the_line_flag_exempts_only_the_flag_categories() -> None:
    engine = LimitEngine(
        pack(budget(), ExemptProducts(**rule_fields("x"), honor_line_flag=True, flag_categories=("Topical",)))
    )
    at = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    rec = Customer(customer_type="recreational")
    balm = CartLine(line_id="t", category="Topicals", exempt=True)
    plain = CartLine(line_id="p", category="Topical", fe_grams=1.0)
    marked = CartLine(line_id="f", category="Flower", fe_grams=29.0, exempt=True)
    decision = engine.check(rec, [balm, plain, marked], at=at)
    assert [c.exempt for c in decision.lines] == [True, False, False]
    assert decision.lines[0].rule is not None and decision.lines[0].rule.code == "x"
    assert decision.usage("b").requested == 30.0 and not decision.allowed


@pytest.mark.parametrize(
    ("field", "value"),
    [("confirmed", "yes"), ("window", "daily"), ("measure", "thc"), ("condition", {}), ("enforcement", "advisory")],
)
def test_a_wrongly_typed_rule_field_is_a_rule_error_naming_it(field: str, value: object) -> None:
    with pytest.raises(InvalidRuleError) as info:
        budget(**{field: value})
    assert info.value.field == field


# ------------------------------------------------------------------------------------------ category budgets

FLOWER_ETC = ("Flower", "Solid Edible", "Liquid Edible", "Tincture", "Infused Non-Edible", "Topical", "Suppository")
CONCENTRATES = ("Concentrate", "Combined Inhalable")


def flower_budget(**extra: object) -> Limit:
    fields: dict[str, object] = {
        "customer_type": "medical",
        "window": Window.calendar_day(),
        "cap": "2 oz",
        "categories": FLOWER_ETC,
        "kind": LimitKind.BUDGET,
    }
    fields.update(extra)
    return budget("flower", **fields)


def concentrate_cap(**extra: object) -> Limit:
    fields: dict[str, object] = {
        "customer_type": "medical",
        "window": Window.calendar_day(),
        "cap": "8 g",
        "measure": Measure.GRAMS_CONCENTRATION,
        "categories": CONCENTRATES,
    }
    fields.update(extra)
    return budget("concentrate", **fields)


def test_a_budget_may_cover_some_categories_only() -> None:
    limit = flower_budget()
    assert limit.kind is LimitKind.BUDGET and limit.categories == set(FLOWER_ETC)
    assert attrs.evolve(limit).kind is LimitKind.BUDGET
    assert attrs.evolve(limit, kind=None).kind is LimitKind.SUB_CAP  # the default for a limit with categories
    assert budget(kind=LimitKind.SUB_CAP).kind is LimitKind.SUB_CAP
    with pytest.raises(InvalidRuleError) as info:
        flower_budget(measure=Measure.THC, cap="1 g")
    assert info.value.field == "kind" and "COUNTED" in str(info.value)
    with pytest.raises(InvalidRuleError):
        flower_budget(kind="budget")


def test_category_caps_without_kind_leave_the_customer_without_a_budget() -> None:
    # Why the packs could not use a counted limit with categories before: it is a sub-cap, so the customer type
    # has no budget, the pack does not cover it and the engine refuses to decide (and no override could lift it).
    caps_only = pack(budget(), flower_budget(kind=None), concentrate_cap()).in_force(START)
    assert not caps_only.budgets_for("medical") and not caps_only.covers("medical")
    engine = LimitEngine(pack(budget(), flower_budget(kind=None), concentrate_cap()))
    with pytest.raises(NoRulesInForceError):
        engine.check(Customer(customer_type="medical"), [], at=dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC))


def test_separate_flower_and_concentrate_limits() -> None:
    engine = LimitEngine(pack(budget(), flower_budget(), concentrate_cap()))
    at = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    patient = Customer(customer_type="medical")
    oz2 = 2 * 28.349523125
    wax = CartLine(line_id="w", category="Concentrate", grams_concentration=8.0)
    both = engine.check(patient, [CartLine(line_id="f", category="Flower", fe_grams=oz2), wax], at=at)
    assert both.allowed and both.usage("flower").requested == pytest.approx(oz2)
    assert both.usage("concentrate").requested == 8.0 and both.lines[1].method == "not_counted"
    over = engine.check(patient, [CartLine(line_id="f", category="Flower", fe_grams=oz2 + 0.01), wax], at=at)
    assert [u.code for u in over.refused_by] == ["flower"]
    lifted = Customer(customer_type="medical", allotment_override="3 oz", override_limit="flower")
    allowed = engine.check(lifted, [CartLine(line_id="f", category="Flower", fe_grams=oz2 + 0.01), wax], at=at)
    assert allowed.allowed and allowed.usage("flower").overridden and not allowed.usage("concentrate").overridden
    edible = CartLine(line_id="e", category="Solid Edible", fe_grams=oz2 + 0.01)
    assert [u.code for u in engine.check(patient, [edible], at=at).refused_by] == ["flower"]


def test_every_category_must_reach_an_enforced_limit() -> None:
    with pytest.raises(InvalidRuleError) as info:
        pack(budget(), flower_budget())
    assert info.value.field == "categories" and info.value.value == "Concentrate"
    with pytest.raises(InvalidRuleError):
        pack(budget(), flower_budget(), concentrate_cap(enforcement=Enforcement.ADVISORY))
    exempted = ExemptProducts(**rule_fields("x"), customer_type="medical", categories=CONCENTRATES)
    assert pack(budget(), flower_budget(), exempted).in_force(START).covers("medical")
    # A customer type with no budget at all is not checked here: the engine refuses it as not covered.
    assert not pack(budget(), concentrate_cap()).in_force(START).covers("medical")
