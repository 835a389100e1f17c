"""Each reference property passes the library's own reference and catches a POS with one deliberate bug.

The bug-catching runs search without shrinking (``FAST``: derandomized, so the same cases every run) to keep the
normal suite short; ``test_the_counterexample_is_shrunk_and_explained`` runs a full search with shrinking.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import Phase, settings

from fe_compliance import states
from fe_compliance.masscip import masscip_grams
from fe_compliance.testing import properties as p

from . import wrong_pos as w

FAST = settings(derandomize=True, database=None, phases=[Phase.explicit, Phase.generate])
"""Search settings for the bug-catching tests: the same cases every run, no shrinking."""
SEARCH = 150
"""Examples a bug-catching search may take before the test fails for not finding the bug."""
REFERENCE_RUN = max(20, settings().max_examples // 3)
"""Examples for the runs that pass the reference itself: 20 in the normal run, a third of the profile's
``max_examples`` under a longer profile (``HYPOTHESIS_PROFILE=thorough pytest tests/testing``: about 660)."""


def caught(run: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(p.PropertyFailedError) as info:
        run(*args, search=FAST, max_examples=SEARCH, **kwargs)  # type: ignore[operator]
    return str(info.value)


# ------------------------------------------------------------------------------- the reference passes them all


@pytest.mark.parametrize(
    ("state", "customer_type"), [("MI", "recreational"), ("MA", "medical"), ("IL", None), ("CO", None)]
)
def test_the_reference_engine_passes_both_directions(state: str, customer_type: str | None) -> None:
    check = w.reference(state)
    p.assert_never_allows_forbidden(check, state=state, customer_type=customer_type, max_examples=REFERENCE_RUN,
                                    search=FAST)
    p.assert_never_refuses_allowed(check, state=state, customer_type=customer_type, max_examples=REFERENCE_RUN,
                                   search=FAST)


def test_the_reference_engine_is_order_independent_and_split_proof() -> None:
    p.assert_order_independent(w.reference("MI"), state="MI", max_examples=REFERENCE_RUN, search=FAST)
    p.assert_split_never_buys_more(w.reference("MA"), state="MA", max_examples=REFERENCE_RUN, search=FAST)


def test_the_reference_fe_and_masscip_pass() -> None:
    p.assert_fe_agrees(w.fe_right, max_examples=REFERENCE_RUN, search=FAST)
    p.assert_masscip_agrees(masscip_grams, max_examples=REFERENCE_RUN, search=FAST)
    p.assert_masscip_agrees(w.masscip_right, max_examples=REFERENCE_RUN, search=FAST)


# ---------------------------------------------------------------------------------- each bug is caught


def test_a_forgotten_sub_cap_is_caught() -> None:
    text = caught(p.assert_never_allows_forbidden, w.forgets_sub_cap("MI", "mi_rec_concentrate"), state="MI",
                  customer_type="recreational")
    assert "the POS allowed a cart the state's rules forbid" in text
    assert "refused by: mi_rec_concentrate" in text
    citation = states.pack_for("MI").rule("mi_rec_concentrate", on=dt.date(2024, 5, 1)).citation
    assert citation in text  # the reference explanation carries the rule's citation


def test_a_window_one_day_short_is_caught() -> None:
    text = caught(p.assert_never_allows_forbidden, w.window_one_day_short("MA", "ma_med_60_day"), state="MA",
                  customer_type="medical")
    assert "refused by: ma_med_60_day" in text
    assert "history:" in text and "history: none" not in text  # only a past sale can show a short window


def test_an_override_that_lifts_a_sub_cap_is_caught() -> None:
    text = caught(p.assert_never_allows_forbidden, w.override_lifts_sub_caps("MI"), state="MI",
                  customer_type="recreational")
    assert "allotment override" in text and "refused by: mi_rec_concentrate" in text


def test_a_return_given_back_twice_is_caught() -> None:
    text = caught(p.assert_never_allows_forbidden, w.return_given_back_twice("MA"), state="MA",
                  customer_type="medical")
    assert "RETURN of" in text


def test_a_refusal_at_exactly_the_cap_is_caught_in_the_costly_direction() -> None:
    text = caught(p.assert_never_refuses_allowed, w.refuses_at_the_cap("MI"), state="MI")
    assert "the POS refused a cart the state's rules allow" in text and text.count("ALLOWED:") == 1


def test_a_forgotten_sub_cap_never_refuses_an_allowed_cart() -> None:
    """The two directions are separate: a POS that only ever allows more passes the costly one."""
    p.assert_never_refuses_allowed(w.forgets_sub_cap("MI", "mi_rec_concentrate"), state="MI", max_examples=60,
                                   search=FAST)


def test_an_order_dependent_decision_is_caught() -> None:
    text = caught(p.assert_order_independent, w.sub_cap_only_when_a_concentrate_comes_first("MI",
                  "mi_rec_concentrate"), state="MI", customer_type="recreational")
    assert "depends on the order of the lines" in text


def test_a_daily_limit_checked_per_sale_is_caught_by_the_split_property() -> None:
    text = caught(p.assert_split_never_buys_more, w.ignores_history("MA"), state="MA", customer_type="recreational")
    assert "as two sales" in text and "ma_rec_daily" in text


def test_splitting_is_not_checked_where_every_limit_is_per_transaction() -> None:
    with pytest.raises(p.PropertyNotApplicableError) as info:
        p.assert_split_never_buys_more(w.ignores_history("MI"), state="MI", customer_type="recreational")
    assert "per-transaction" in str(info.value) and info.value.field == "state"
    # the same POS bug is law there: per transaction, history never counts, and the other properties agree
    p.assert_never_allows_forbidden(w.ignores_history("MI"), state="MI", customer_type="recreational",
                                    max_examples=REFERENCE_RUN, search=FAST)


def test_an_fe_reading_mg_as_g_is_caught() -> None:
    text = caught(p.assert_fe_agrees, w.fe_reads_mg_as_g)
    assert "the POS's flower equivalent differs from the reference" in text
    assert " mg" in text or " lb" in text or " oz" in text or " kg" in text  # the unit it misread is shown
    assert "flower equivalent =" in text  # the reference explanation


def test_an_ounce_of_28_g_is_caught_by_the_fe_tolerance() -> None:
    text = caught(p.assert_fe_agrees, w.fe_ounce_as_28_g)
    assert "oz" in text


def test_a_definition_can_be_pinned() -> None:
    from fe_compliance import FlowerEquivalencyDefinition

    edibles = FlowerEquivalencyDefinition("Solid Edible", "all", "grams_concentration", "16 oz", "1 oz")
    text = caught(p.assert_fe_agrees, w.fe_reads_mg_as_g, definition=edibles)
    assert "16 oz of Solid Edible" in text or "16 ounce" in text


def test_masscip_mg_as_g_and_a_forgotten_multiplier_are_caught() -> None:
    text = caught(p.assert_masscip_agrees, w.masscip_reads_mg_as_g)
    assert "differs from MassCIP counting" in text
    assert "x 5.3 =" in text or "x 1 =" in text  # the reference arithmetic, flower or not
    text = caught(p.assert_masscip_agrees, w.masscip_forgets_multiplier_for("Kief"))
    assert "'Kief'" in text and "5.3" in text


# ------------------------------------------------------------------------------------ the report itself


def test_the_counterexample_is_shrunk_and_explained() -> None:
    """A full search (with shrinking) ends on the smallest case: one concentrate line just over 15 g, no history."""
    search = settings(derandomize=True, database=None)
    with pytest.raises(p.PropertyFailedError) as info:
        p.assert_never_allows_forbidden(
            w.forgets_sub_cap("MI", "mi_rec_concentrate"), state="MI", customer_type="recreational",
            on=dt.date(2024, 5, 1), max_examples=SEARCH, search=search,
        )
    text = str(info.value)
    cart = text.split("cart:")[1].split("POS:")[0].strip().splitlines()
    assert len(cart) == 1, text
    assert "history: none" in text
    assert "x 1:" in cart[0]
    assert "REFUSED: MI cart of 1 line(s)" in text


def test_a_crashing_pos_counts_as_refusing() -> None:
    def crashes(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("terminal offline")

    p.assert_never_allows_forbidden(crashes, state="MI", max_examples=20, search=FAST)
    text = caught(p.assert_never_refuses_allowed, crashes, state="MI")
    assert "raised RuntimeError: terminal offline" in text


def test_a_pos_answer_that_is_not_a_yes_or_no_is_an_error() -> None:
    from fe_compliance import FEComplianceError

    with pytest.raises(FEComplianceError) as info:
        p.assert_never_refuses_allowed(lambda *a, **k: "yes", state="MI", max_examples=5, search=FAST)
    assert info.value.field == "pos_check"
