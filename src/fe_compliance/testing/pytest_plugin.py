"""The fe-compliance pytest plugin: an auditor's tests pinned to a state and a date.

Registered under the ``pytest11`` entry point, so it is active wherever fe-compliance is installed. It stays
light: importing it imports neither hypothesis nor any rule pack; they load when a test first uses a fixture (or
the marker). Disable it with ``-p no:fe_compliance``.

Options (or the same names as ini settings: ``fe_state``, ``fe_date``)::

    --fe-state=MA      the state whose rules the fixtures serve
    --fe-date=2024-05-01   the date the rules are taken in force on (default: today)

Fixtures: ``fe_state`` (the code), ``fe_date``, ``fe_pack`` (its :class:`~fe_compliance.limits.RulePack`),
``fe_rules`` (the :class:`~fe_compliance.limits.RuleSet` in force on ``fe_date``), ``fe_engine`` (the reference
:class:`~fe_compliance.limits.LimitEngine`) and ``fe_strategies`` (the hypothesis strategies pinned to that state
and date, :class:`~fe_compliance.testing.strategies.PinnedStrategies`; needs the ``testing`` extra).

Marker: ``@pytest.mark.fe_every_state`` runs the test once for every state the library ships (``fe_state`` takes
each code in turn); ``@pytest.mark.fe_every_state(covering="medical")`` keeps the states whose rules on
``fe_date`` cover that customer type. A state with no rules in force on ``fe_date`` is skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

MARKER = "fe_every_state"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fe-compliance", "fe-compliance: state rules for auditors' tests")
    group.addoption("--fe-state", dest="fe_state", default=None, help="state whose rules the fe_* fixtures serve")
    group.addoption(
        "--fe-date", dest="fe_date", default=None, help="date (YYYY-MM-DD) the rules are in force on; default today"
    )
    parser.addini("fe_state", "default for --fe-state", default="")
    parser.addini("fe_date", "default for --fe-date", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(covering=None): run the test once for every state fe-compliance ships (fixture fe_state); "
        "covering='medical' or 'recreational' keeps the states whose rules on --fe-date cover that customer",
    )
    _date(config)  # a malformed --fe-date stops the run at once, not in the middle of it


def _setting(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(name) or config.getini(name)
    return str(value).strip() or None if value else None


def _date(config: pytest.Config) -> dt.date:
    text = _setting(config, "fe_date")
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(f"--fe-date: {text!r} is not a date (expected YYYY-MM-DD)") from None


def _states_covering(covering: str | None, on: dt.date) -> list[str]:
    from .. import states
    from ..errors import FEComplianceError

    codes = list(states.available())
    if covering is None:
        return codes
    kept = []
    for code in codes:
        try:
            if states.rules_for(code, on=on).covers(covering):
                kept.append(code)
        except FEComplianceError:  # no rules yet on that date: the fixture skips it, saying so
            kept.append(code)
    return kept


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker(MARKER)
    if marker is None:
        return
    covering = marker.kwargs.get("covering")
    if marker.args or set(marker.kwargs) - {"covering"}:
        raise pytest.UsageError(f"@pytest.mark.{MARKER} takes only covering='medical' or 'recreational'")
    if "fe_state" not in metafunc.fixturenames:
        metafunc.fixturenames.append("fe_state")
    codes = _states_covering(covering, _date(metafunc.config))
    metafunc.parametrize("fe_state", codes, indirect=True, ids=codes)


@pytest.fixture
def fe_state(request: pytest.FixtureRequest) -> str:
    """The state code: the marker's current state, else ``--fe-state`` (or the ``fe_state`` ini setting)."""
    from .. import states
    from ..errors import FEComplianceError

    param = getattr(request, "param", None)
    chosen = param if param is not None else _setting(request.config, "fe_state")
    if chosen is None:
        pytest.fail(
            "no state chosen: pass --fe-state=XX (or set fe_state in the ini file), or mark the test "
            f"@pytest.mark.{MARKER}",
            pytrace=False,
        )
    try:
        return states.pack_for(str(chosen)).state
    except FEComplianceError as exc:
        pytest.fail(f"--fe-state: {exc} (states: {', '.join(states.available())})", pytrace=False)


@pytest.fixture
def fe_date(request: pytest.FixtureRequest) -> dt.date:
    """The date the rules are taken in force on: ``--fe-date`` (or the ``fe_date`` ini setting), else today."""
    return _date(request.config)


@pytest.fixture
def fe_pack(fe_state: str) -> Any:
    """Every dated rule of the state (:class:`~fe_compliance.limits.RulePack`)."""
    from .. import states

    return states.pack_for(fe_state)


@pytest.fixture
def fe_rules(request: pytest.FixtureRequest, fe_pack: Any, fe_date: dt.date) -> Any:
    """The :class:`~fe_compliance.limits.RuleSet` in force on ``fe_date``; a state with no rules yet on that day
    is skipped when the marker chose it, and an error when ``--fe-state`` did."""
    from ..limits import NoRulesInForceError

    try:
        return fe_pack.in_force(fe_date)
    except NoRulesInForceError as exc:
        if getattr(request, "param", None) is not None or request.node.get_closest_marker(MARKER) is not None:
            pytest.skip(f"{fe_pack.state} has no rules in force on {fe_date}: {exc}")
        pytest.fail(f"--fe-date: {exc}", pytrace=False)


@pytest.fixture
def fe_engine(fe_rules: Any) -> Any:
    """The reference :class:`~fe_compliance.limits.LimitEngine` of the state (the library's own decision)."""
    from .reference import reference_engine

    return reference_engine(fe_rules.state)


@pytest.fixture
def fe_strategies(fe_rules: Any, fe_date: dt.date) -> Any:
    """Hypothesis strategies pinned to the state and date (needs ``pip install 'fe-compliance[testing]'``)."""
    from .strategies import PinnedStrategies

    return PinnedStrategies(state=fe_rules.state, on=fe_date)
