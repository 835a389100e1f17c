"""The pytest plugin, run in throw-away pytest sessions through pytester."""

from __future__ import annotations

import pytest

from fe_compliance import states

pytest.importorskip("fe_compliance.testing.pytest_plugin")


def test_options_pin_the_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import datetime as dt

        def test_pinned(fe_state, fe_date, fe_rules, fe_engine, fe_pack):
            assert fe_state == "MI"
            assert fe_date == dt.date(2024, 5, 1)
            assert fe_rules.state == "MI" and fe_rules.valid_from <= fe_date
            assert fe_pack.state == "MI"
            assert fe_engine.pack is fe_pack
            assert [lim.code for lim in fe_rules.limits_for("recreational")] == ["mi_rec_total", "mi_rec_concentrate"]
        """
    )
    result = pytester.runpytest("--fe-state=mi", "--fe-date=2024-05-01", "-p", "no:randomly")
    result.assert_outcomes(passed=1)


def test_ini_settings_work_like_the_options(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfe_state = MA\nfe_date = 2024-03-01\n")
    pytester.makepyfile(
        """
        def test_ini(fe_rules):
            assert fe_rules.state == "MA"
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_strategies_fixture_is_pinned_to_the_state_and_date(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import datetime as dt
        from hypothesis import given, settings

        def test_draws(fe_strategies, fe_engine):
            @settings(max_examples=15, database=None)
            @given(fe_strategies.checkout_cases(customer_type="medical"))
            def inner(case):
                assert case.state == "MA" and case.customer.customer_type.value == "medical"
                assert case.at.date() == dt.date(2024, 3, 1)
                fe_engine.check(case.customer, case.cart, at=case.at, history=case.history)
            inner()
        """
    )
    pytester.runpytest("--fe-state=MA", "--fe-date=2024-03-01").assert_outcomes(passed=1)


def test_the_marker_runs_the_test_for_every_state(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fe_every_state
        def test_each(fe_rules):
            assert fe_rules.limits_for
        """
    )
    result = pytester.runpytest("--fe-date=2025-01-01", "-v")
    result.assert_outcomes(passed=len(states.available()))
    for code in states.available():
        result.stdout.fnmatch_lines([f"*test_each?{code}? PASSED*"])


def test_the_marker_keeps_the_states_covering_a_customer_type(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fe_every_state(covering="medical")
        def test_medical(fe_state, fe_rules):
            assert fe_rules.covers("medical")
        """
    )
    result = pytester.runpytest("--fe-date=2025-01-01")
    import datetime as dt

    covering = [c for c in states.available() if states.rules_for(c, on=dt.date(2025, 1, 1)).covers("medical")]
    assert 0 < len(covering) < len(states.available())
    result.assert_outcomes(passed=len(covering))


def test_a_state_without_rules_on_the_date_is_skipped_by_the_marker_and_an_error_by_the_option(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fe_every_state
        def test_each(fe_rules):
            pass

        def test_pinned(fe_rules):
            pass
        """
    )
    # 2017-01-01: Michigan's pack starts in 2019, Colorado's in 2016
    result = pytester.runpytest("--fe-date=2017-01-01", "--fe-state=MI", "-rs")
    outcomes = result.parseoutcomes()
    assert outcomes["errors"] == 1  # test_pinned: --fe-state=MI has no rules on that day
    assert outcomes["passed"] == 1  # Colorado
    assert outcomes["skipped"] == len(states.available()) - 1
    result.stdout.fnmatch_lines(["*MI has no rules in force on 2017-01-01*"])


def test_missing_or_unknown_state_and_bad_date_are_clear_errors(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_needs_state(fe_state):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no state chosen: pass --fe-state=XX*"])
    result = pytester.runpytest("--fe-state=ZZ")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--fe-state:*ZZ*"])
    result = pytester.runpytest("--fe-date=yesterday")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--fe-date: 'yesterday' is not a date*"])


def test_the_marker_is_registered_for_strict_markers(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["*fe_every_state(covering=None)*"])
