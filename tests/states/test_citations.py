"""Citations an auditor reads, checked against the sections the primary sources name (issue 8; ``state-rules.md``,
"Corrections from primary sources")."""

from __future__ import annotations

import pytest

from fe_compliance.limits import CartLine, Customer
from fe_compliance.states import check_cart, pack_for

# (state, rule code, a day it is in force, text its citation must hold, text it must not hold)
CITED = [
    ("NV", "nv_rec_daily", "2023-06-01", "NRS 678D.200", "678D.420"),
    ("NV", "nv_rec_daily", "2024-06-01", "NRS 678D.200", "678D.420"),
    ("NV", "nv_med_14_day", "2024-06-01", "NRS 678C.200", "NRS 453A.160 "),
    ("MI", "mi_rec_total", "2024-06-01", "R 420.506(3)", "333.27955"),
    ("MI", "mi_rec_concentrate", "2024-06-01", "R 420.506(3)", "333.27955"),
    ("MI", "mi_med_daily", "2024-06-01", "R 420.506(1)(a)", "R 420.505"),
    ("MI", "mi_med_monthly", "2024-06-01", "R 420.506(2)", "bulletin"),
    ("MI", "mi_med_eq_solid", "2024-06-01", "MCL 333.26424(c)", "2016 amendment"),
    ("MI", "mi_med_eq_solid", "2024-06-01", "R 420.501(1)(m)", "2016 amendment"),
    ("CO", "co_rec_transaction", "2024-06-01", "C.R.S. 44-10-601(3)(a)(I)", "Colorado Marijuana Code, retail"),
    ("CO", "co_rec_topicals", "2024-06-01", "C.R.S. 44-10-601(3)(a)(I)", "R 402"),
    ("IL", "il_med_14_day", "2024-06-01", "410 ILCS 130/10(a)(1)", "state-rules.md"),
    ("MA", "ma_rec_daily", "2024-06-01", "935 CMR 500.146(2)(a)", "@@"),
    ("MA", "ma_med_60_day", "2024-06-01", "935 CMR 501.140(3)(a)", "@@"),
]


@pytest.mark.parametrize(("state", "code", "day", "cited", "not_cited"), CITED)
def test_the_rule_cites_the_section_that_holds_it(state: str, code: str, day: str, cited: str, not_cited: str) -> None:
    rule = pack_for(state).rule(code, on=day)
    assert cited in rule.citation and not_cited not in rule.citation


@pytest.mark.parametrize(
    ("state", "code"),
    [("CO", "co_rec_topicals"), ("MI", "mi_med_monthly"), ("IL", "il_med_14_day"), ("MA", "ma_med_60_day")],
)
def test_rules_read_in_the_primary_text_are_confirmed(state: str, code: str) -> None:
    assert pack_for(state).rule(code).confirmed


def test_a_flagged_colorado_topical_is_exempt_under_a_confirmed_rule() -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    at = dt.datetime(2024, 6, 1, 12, tzinfo=ZoneInfo("America/Denver"))
    decision = check_cart(
        "CO", Customer(customer_type="recreational"), [CartLine(line_id="t", category="Topical", exempt=True)], at=at
    )
    assert decision.lines[0].exempt and "[UNCONFIRMED]" not in "\n".join(decision.explanation())
