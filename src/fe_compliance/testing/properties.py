"""Reference properties: ready checks an auditor runs against a POS's own functions.

Each ``assert_*`` function runs a hypothesis search over cases drawn by :mod:`fe_compliance.testing.strategies`
and compares the POS with the library's reference (the state's :class:`~fe_compliance.limits.LimitEngine`, a
definition's :meth:`~fe_compliance.FlowerEquivalencyDefinition.calculate`, MassCIP counting). When the POS is
wrong it raises :class:`PropertyFailedError` (an ``AssertionError``) for the **smallest** case hypothesis could shrink
to, with that case written out and the library's explanation of the right answer.

The POS is a black box behind small adapter signatures (write a few lines of glue for your own POS):

* :class:`POSLimitCheck`: ``check(customer, cart, *, at, history) -> bool`` (or anything with ``.allowed``, so a
  :class:`~fe_compliance.limits.LimitEngine`'s ``check`` is itself a POSLimitCheck). An exception the POS raises
  counts as a refusal: refusing is always safe, never wrongly allowing.
* :class:`POSFlowerEquivalent`: ``fe(definition, amount) -> grams`` (a float, or a pint Quantity of mass).
* :class:`POSAllotment`: ``allotment(metrc_category, grams_concentration) -> grams`` for one MA medical package.

Tolerances: a cap is exceeded when the reference engine says so (beyond :data:`~fe_compliance.limits.CAP_TOLERANCE`,
one microgram); the costly-direction check forgives a POS refusal only where the cart comes within a nanogram of a
cap (float rounding of an exact-cap cart). FE and MassCIP figures agree when within ``rel_tolerance`` (1e-9) of
the reference or ``abs_tolerance`` grams (1 microgram).

Search length: each function takes ``max_examples`` and ``search`` (a :class:`hypothesis.settings`); by default
the search runs with the loaded hypothesis profile (so a profile you load in CI applies, see
``docs/auditors.md``), with the deadline off and one failure reported: the smallest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol

try:
    from hypothesis import HealthCheck, given, note, settings, target
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised in a subprocess with hypothesis hidden
    from ._extra import MissingExtraError

    raise MissingExtraError(__name__) from exc

import attrs

from ..categories import CustomerType
from ..equivalency import FlowerEquivalencyDefinition
from ..errors import FEComplianceError, InvalidValueError
from ..limits import CAP_TOLERANCE, CartDecision, CartLine, Customer, PastLine, WindowKind
from ..masscip import DEFAULT_TABLE, explain_masscip
from ..units import Q_, mass_to_grams
from .cases import CheckoutCase
from .reference import reference_engine
from .strategies import checkout_cases, definitions, masses

__all__ = [
    "CAP_SLACK",
    "POSAllotment",
    "POSFlowerEquivalent",
    "POSLimitCheck",
    "PropertyFailedError",
    "PropertyNotApplicableError",
    "assert_fe_agrees",
    "assert_masscip_agrees",
    "assert_never_allows_forbidden",
    "assert_never_refuses_allowed",
    "assert_order_independent",
    "assert_split_never_buys_more",
]

CAP_SLACK = 1e-9
"""Grams (or ml) over a cap within which a POS refusal is not reported as costly: float rounding of an exact-cap
cart, a billion times smaller than anything a scale weighs."""


class POSLimitCheck(Protocol):
    """A POS's checkout limit check: may ``customer`` buy ``cart`` at ``at``, given their ``history``?"""

    def __call__(
        self, customer: Customer, cart: Sequence[CartLine], *, at: dt.datetime, history: Sequence[PastLine]
    ) -> Any: ...


class POSFlowerEquivalent(Protocol):
    """A POS's FE calculation: the flower equivalent, in grams, of ``amount`` under ``definition``."""

    def __call__(self, definition: FlowerEquivalencyDefinition, amount: Any) -> Any: ...


class POSAllotment(Protocol):
    """A POS's MA medical allotment deduction for one package: grams counted against the patient."""

    def __call__(self, metrc_category: str, grams_concentration: Any) -> Any: ...


class PropertyFailedError(AssertionError):
    """A POS disagrees with the reference; the message holds the (shrunk) case and the reference's explanation."""


class PropertyNotApplicableError(FEComplianceError, ValueError):
    """The property has nothing to check for these rules (say, no window longer than one transaction)."""


# ------------------------------------------------------------------------------------------------- plumbing


def _settings(max_examples: int | None, base: settings | None) -> settings:
    start = settings() if base is None else base
    return settings(
        start,
        max_examples=start.max_examples if max_examples is None else max_examples,
        deadline=None,
        report_multiple_bugs=False,
        suppress_health_check=[
            *start.suppress_health_check,
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )


def _run(
    test: Callable[..., None],
    strategy: st.SearchStrategy[Any],
    max_examples: int | None,
    search: settings | None,
) -> None:
    _settings(max_examples, search)(given(strategy)(test))()


def _pos_allowed(pos: POSLimitCheck, case: CheckoutCase, cart: Sequence[CartLine] | None = None,
                 history: Sequence[PastLine] | None = None, at: dt.datetime | None = None) -> tuple[bool, str]:
    """The POS's answer as (allowed, how it said so); an exception is a refusal, reported with its text."""
    try:
        answer = pos(
            case.customer,
            list(case.cart if cart is None else cart),
            at=case.at if at is None else at,
            history=list(case.history if history is None else history),
        )
    except Exception as exc:  # any failure of the POS is a refusal: never a sale allowed by a crash
        return False, f"raised {type(exc).__name__}: {exc}"
    allowed = getattr(answer, "allowed", answer)
    if not isinstance(allowed, bool):
        raise InvalidValueError(
            "pos_check", answer, "a POS limit check must return True/False (or an object with .allowed)"
        )
    return allowed, "allowed" if allowed else "refused"


def _reference(case: CheckoutCase) -> CartDecision:
    return reference_engine(case.state).check(case.customer, case.cart, at=case.at, history=case.history)


def _over(decision: CartDecision) -> float:
    """How far the cart goes past its nearest enforced cap (negative: room left)."""
    overs = [u.total - u.cap for u in decision.usages if u.enforced and not u.waived and u.requested > 0]
    return max(overs, default=-math.inf)


def _report(title: str, case: CheckoutCase, pos_said: str, decision: CartDecision | None) -> str:
    text = [title, "", "counterexample (the smallest hypothesis found):", case.describe(), "", f"POS: {pos_said}"]
    if decision is not None:
        text += ["", "reference (fe_compliance) explanation:", *decision.explanation()]
    return "\n".join(text)


def _cases(
    state: str, customer_type: CustomerType | str | None, on: dt.date | None, edge: str = "both"
) -> st.SearchStrategy[Any]:
    return checkout_cases(state=state, on=on, customer_type=customer_type, edge=edge)


def _safe_reference(case: CheckoutCase) -> CartDecision | None:
    try:
        return _reference(case)
    except FEComplianceError:
        return None


# ------------------------------------------------------------------------------------------- limit checks


def assert_never_allows_forbidden(
    pos_check: POSLimitCheck,
    *,
    state: str,
    customer_type: CustomerType | str | None = None,
    on: dt.date | None = None,
    max_examples: int | None = None,
    search: settings | None = None,
) -> None:
    """The unsafe direction: ``pos_check`` never allows a cart the state's rules forbid.

    Carts are drawn under the rules of ``state`` on ``on`` (or on drawn dates, leaning on rule change dates) for
    ``customer_type`` (or both), with histories spread over the longest window and carts topped up to just around
    the tightest cap. Fails with the smallest cart the POS allows and the reference refuses."""

    def test(case: CheckoutCase) -> None:
        decision = _safe_reference(case)
        if decision is None:
            return
        over = _over(decision)
        if math.isfinite(over):
            target(min(max(over, -1e6), 1.0), label="grams past the nearest cap")
        if decision.allowed:
            return
        allowed, said = _pos_allowed(pos_check, case)
        if allowed:
            raise PropertyFailedError(
                _report("the POS allowed a cart the state's rules forbid", case, said, decision)
            )

    _run(test, _cases(state, customer_type, on, "over"), max_examples, search)


def assert_never_refuses_allowed(
    pos_check: POSLimitCheck,
    *,
    state: str,
    customer_type: CustomerType | str | None = None,
    on: dt.date | None = None,
    max_examples: int | None = None,
    search: settings | None = None,
) -> None:
    """The costly direction: ``pos_check`` never refuses a cart the state's rules allow (carts within
    :data:`CAP_SLACK` of a cap excepted). Fails with the smallest cart the POS refuses and the reference allows."""

    def test(case: CheckoutCase) -> None:
        decision = _safe_reference(case)
        if decision is None or not decision.allowed or _over(decision) > CAP_SLACK:
            return
        allowed, said = _pos_allowed(pos_check, case)
        if not allowed:
            raise PropertyFailedError(_report("the POS refused a cart the state's rules allow", case, said, decision))

    _run(test, _cases(state, customer_type, on, "under"), max_examples, search)


def assert_order_independent(
    pos_check: POSLimitCheck,
    *,
    state: str,
    customer_type: CustomerType | str | None = None,
    on: dt.date | None = None,
    max_examples: int | None = None,
    search: settings | None = None,
) -> None:
    """``pos_check`` gives the same answer whatever the order of the cart's lines and of the history's lines."""

    cases = _cases(state, customer_type, on)

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[CheckoutCase, tuple[CartLine, ...], tuple[PastLine, ...]]:
        case = draw(cases)
        return case, tuple(draw(st.permutations(case.cart))), tuple(draw(st.permutations(case.history)))

    def test(drawn: tuple[CheckoutCase, tuple[CartLine, ...], tuple[PastLine, ...]]) -> None:
        case, cart, history = drawn
        first, said_first = _pos_allowed(pos_check, case)
        second, said_second = _pos_allowed(pos_check, case, cart=cart, history=history)
        if first != second:
            reordered = attrs.evolve(case, cart=cart, history=history)
            raise PropertyFailedError(
                _report(
                    "the POS's answer depends on the order of the lines",
                    case,
                    f"{said_first} in this order; {said_second} in this order:\n{reordered.describe()}",
                    _safe_reference(case),
                )
            )

    _run(test, pairs(), max_examples, search)


def _windowed(decision: CartDecision) -> list[str]:
    return [u.code for u in decision.refused_by if u.limit.window.kind is not WindowKind.TRANSACTION]


def assert_split_never_buys_more(
    pos_check: POSLimitCheck,
    *,
    state: str,
    customer_type: CustomerType | str | None = None,
    on: dt.date | None = None,
    max_examples: int | None = None,
    search: settings | None = None,
) -> None:
    """Where a limit's window is longer than one transaction (a day, rolling N days, a month), buying a cart the
    rules refuse as two sales inside that window is refused too: the POS never allows both halves, the second
    checked with the first in its history. (Per-transaction limits are left out: there two sales are two windows,
    which is the law, not a defect.) Raises :class:`PropertyNotApplicableError` when the rules for this state,
    customer type and date have no window longer than a transaction."""
    probe = _probe_windows(state, customer_type, on)
    if not probe:
        raise PropertyNotApplicableError(
            f"{state} ({customer_type or 'any customer'}) has only per-transaction limits"
            + (f" on {on}" if on else "")
            + ": two sales are two windows there, so splitting a cart is allowed by law; nothing to check",
            field="state",
            value=state,
        )

    two_or_more = _cases(state, customer_type, on).filter(_has_two_lines)

    @st.composite
    def splits(draw: st.DrawFn) -> tuple[CheckoutCase, int, int]:
        case = draw(two_or_more)
        return case, draw(st.integers(1, len(case.cart) - 1), label="cut"), draw(st.integers(0, 60), label="minutes")

    def test(drawn: tuple[CheckoutCase, int, int]) -> None:
        case, cut, minutes = drawn
        decision = _safe_reference(case)
        if decision is None or not _windowed(decision):
            return
        first_half, second_half = case.cart[:cut], case.cart[cut:]
        first_ok, _ = _pos_allowed(pos_check, case, cart=first_half)
        if not first_ok:
            return
        later = case.at + dt.timedelta(minutes=minutes)
        zone = case.rules.pack.zone
        if later.astimezone(zone).date() != case.at.astimezone(zone).date():
            later = case.at  # both sales on the same store day, inside every window
        sold = [PastLine(line=line, sold_at=case.at, transaction_id="split-1") for line in first_half]
        second_ok, _ = _pos_allowed(pos_check, case, cart=second_half, history=[*case.history, *sold], at=later)
        if second_ok:
            raise PropertyFailedError(
                _report(
                    f"the POS allowed as two sales (lines {[li.line_id for li in first_half]} then "
                    f"{[li.line_id for li in second_half]}, {minutes} min apart) a cart the rules refuse as one "
                    f"by {', '.join(_windowed(decision))}",
                    case,
                    "allowed both sales",
                    decision,
                )
            )

    _run(test, splits(), max_examples, search)


def _has_two_lines(case: CheckoutCase) -> bool:
    return len(case.cart) >= 2


def _probe_windows(state: str, customer_type: CustomerType | str | None, on: dt.date | None) -> bool:
    """Whether any rules of ``state`` (on ``on``) have a window longer than a transaction for the customer type."""
    from .. import states

    pack = states.pack_for(state)
    periods = [pack.in_force(on)] if on is not None else list(pack.periods)
    types = [CustomerType.parse(customer_type)] if customer_type is not None else [
        CustomerType.MEDICAL, CustomerType.RECREATIONAL]
    return any(
        limit.enforced and limit.window.kind is not WindowKind.TRANSACTION
        for rules in periods
        for ct in types
        if rules.covers(ct)
        for limit in rules.limits_for(ct)
    )


# --------------------------------------------------------------------------------------- FE and MassCIP figures


def _grams_of(answer: Any, field: str) -> float:
    if isinstance(answer, bool):
        raise InvalidValueError(field, answer, "expected grams (a float or a Quantity of mass)")
    if isinstance(answer, (int, float)):
        return float(answer)
    return mass_to_grams(answer, field=field)


def _agree(pos: float, reference: float, rel_tolerance: float, abs_tolerance: float) -> bool:
    return math.isclose(pos, reference, rel_tol=rel_tolerance, abs_tol=abs_tolerance)


def assert_fe_agrees(
    pos_fe: POSFlowerEquivalent,
    *,
    definition: FlowerEquivalencyDefinition | None = None,
    amounts: st.SearchStrategy[Any] | None = None,
    rel_tolerance: float = 1e-9,
    abs_tolerance: float = CAP_TOLERANCE,
    max_examples: int | None = None,
    search: settings | None = None,
) -> None:
    """``pos_fe(definition, amount)`` agrees with the reference FE within ``rel_tolerance`` (relative) or
    ``abs_tolerance`` grams, for ``definition`` (or drawn definitions in mixed units) and amounts of its
    based-on field written in mg, g, kg, oz and lb (or ``amounts``)."""
    defs = st.just(definition) if definition is not None else definitions()
    values = amounts if amounts is not None else masses(max_grams=5_000.0)

    def test(drawn: tuple[FlowerEquivalencyDefinition, Any]) -> None:
        d, amount = drawn
        reference = d.calculate(amount)
        try:
            answer = _grams_of(pos_fe(d, amount), "pos_fe")
        except Exception as exc:
            said = f"raised {type(exc).__name__}: {exc}"
            answer = math.nan
        else:
            said = f"{answer!r} g"
        note(f"reference: {reference.flower_equivalent_grams!r} g")
        if not _agree(answer, reference.flower_equivalent_grams, rel_tolerance, abs_tolerance):
            raise PropertyFailedError(
                "\n".join(
                    [
                        "the POS's flower equivalent differs from the reference",
                        "",
                        "counterexample (the smallest hypothesis found):",
                        f"definition: {d.describe()}",
                        f"{d.based_on}: {amount:~P}",
                        "",
                        f"POS: {said}",
                        f"reference: {reference.flower_equivalent_grams!r} g "
                        f"(tolerance: relative {rel_tolerance:g} or {abs_tolerance:g} g)",
                        "",
                        "reference (fe_compliance) explanation:",
                        *reference.explanation(),
                    ]
                )
            )

    _run(test, st.tuples(defs, values), max_examples, search)


def assert_masscip_agrees(
    pos_allotment: POSAllotment,
    *,
    categories: Sequence[str] | None = None,
    rel_tolerance: float = 1e-9,
    abs_tolerance: float = CAP_TOLERANCE,
    max_examples: int | None = None,
    search: settings | None = None,
) -> None:
    """For MA medical: ``pos_allotment(metrc_category, grams_concentration)`` agrees with MassCIP counting
    (grams/concentration as it is for flower, x 5.3 for every other counted Metrc category; seed
    ``000_ccfae62b51cd6f41.txt``) for the counted categories of MassCIP's table (or ``categories``), with the
    grams/concentration written in mg, g, oz and lb."""
    names = tuple(categories) if categories is not None else tuple(e.name for e in DEFAULT_TABLE if e.counted)
    amounts = masses(min_grams=0.0, max_grams=500.0, units=("gram", "milligram", "ounce", "pound"))
    round_amounts = st.sampled_from((1.0, 3.5, 0.5, 28.0)).map(lambda g: Q_(g, "gram"))

    def test(drawn: tuple[str, Any]) -> None:
        category, amount = drawn
        reference = explain_masscip(category, amount)
        try:
            answer = _grams_of(pos_allotment(category, amount), "pos_allotment")
        except Exception as exc:
            said = f"raised {type(exc).__name__}: {exc}"
            answer = math.nan
        else:
            said = f"{answer!r} g"
        if not _agree(answer, reference.grams, rel_tolerance, abs_tolerance):
            raise PropertyFailedError(
                "\n".join(
                    [
                        "the POS's MA medical allotment differs from MassCIP counting",
                        "",
                        "counterexample (the smallest hypothesis found):",
                        f"Metrc category {category!r}, grams/concentration {amount:~P}",
                        "",
                        f"POS: {said}",
                        f"reference: {reference.grams!r} g",
                        "",
                        "reference (fe_compliance) explanation:",
                        reference.explain(),
                    ]
                )
            )

    _run(test, st.tuples(st.sampled_from(names), round_amounts | amounts), max_examples, search)
