"""A synthetic rule pack ("ZZ") that uses every feature of the model, for the engine's own tests.

Real packs use only what their state needs; this one exercises elapsed-time windows, conditions on residency and
age, waivers, THC and volume sub-caps, line-flag exemptions and a customer type that is not researched.
"""

from __future__ import annotations

import datetime as dt

from fe_compliance.equivalency import FlowerEquivalencyDefinition
from fe_compliance.limits import (
    CountingBasis,
    CountingRule,
    CustomerCondition,
    Enforcement,
    Equivalency,
    ExemptProducts,
    Limit,
    Measure,
    NotResearched,
    ReportingRule,
    RollingConvention,
    RulePack,
    Window,
)

START = dt.date(2020, 1, 1)
CHANGE = dt.date(2022, 1, 1)


def rule_fields(code: str, **extra: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "code": code,
        "summary": f"summary of {code}",
        "citation": f"Test Code s.{code}",
        "effective": START,
        "confirmed": True,
    }
    fields.update(extra)
    return fields


def make_pack(*, medical_researched: bool = True) -> RulePack:
    rules: list[object] = [
        Limit(**rule_fields("rec_total"), customer_type="recreational", window=Window.transaction(), cap="10 g"),
        Limit(
            **rule_fields("rec_thc"),
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="1 g",
            measure=Measure.THC,
            categories=("Solid Edible",),
        ),
        Limit(
            **rule_fields("rec_liquid"),
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="500 ml",
            measure=Measure.VOLUME,
            categories=("Liquid Edible",),
        ),
        Limit(
            **rule_fields("rec_advisory", confirmed=False),
            customer_type="recreational",
            window=Window.rolling(30),
            cap="20 g",
            enforcement=Enforcement.ADVISORY,
        ),
        Equivalency(
            **rule_fields("rec_eq_edible"),
            definition=FlowerEquivalencyDefinition("Solid Edible", "all", "potency", "100 mg", "1 g"),
        ),
        ExemptProducts(**rule_fields("exempt"), categories=("Topical",), honor_line_flag=True),
        CountingRule(**rule_fields("counting"), customer_type="all", basis=CountingBasis.PACKAGE_FE),
        ReportingRule(**rule_fields("reporting", until=CHANGE), real_time_required=False),
        ReportingRule(**rule_fields("reporting", effective=CHANGE), real_time_required=True),
    ]
    if medical_researched:
        rules += [
            Limit(
                **rule_fields("med_resident"),
                customer_type="medical",
                window=Window.rolling(7, convention=RollingConvention.ELAPSED),
                cap="20 g",
                condition=CustomerCondition(resident=True),
                waived_by=("terminally_ill",),
            ),
            Limit(
                **rule_fields("med_visitor"),
                customer_type="medical",
                window=Window.rolling(7, convention=RollingConvention.ELAPSED),
                cap="10 g",
                condition=CustomerCondition(resident=False),
                waived_by=("terminally_ill",),
            ),
            Limit(
                **rule_fields("med_young_concentrate"),
                customer_type="medical",
                window=Window.calendar_day(),
                cap="2 g",
                measure=Measure.GRAMS_CONCENTRATION,
                categories=("Concentrate",),
                condition=CustomerCondition(min_age=18, max_age=20),
            ),
        ]
    else:
        rules.append(NotResearched(**rule_fields("med_not_researched"), customer_type="medical"))
    return RulePack(state="ZZ", name="Testland", time_zone="America/New_York", rules=rules, readings=("test",))
