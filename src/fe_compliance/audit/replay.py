"""Replaying a sales export, customer by customer, through the rules in force on each sale's day.

Each cart (the sale lines of one transaction of one customer at one time) is decided as
:meth:`LimitEngine.check <fe_compliance.limits.LimitEngine.check>` would decide it given every exported line before
it: the same rule set, the same limits and conditions, the same counting (through the engine's
:meth:`~fe_compliance.limits.LimitEngine.line_amounts`) and the same window starts. What differs is the cost: the
history is not re-added per cart. Per customer and limit a :class:`~fe_compliance.limits.running.RunningWindow`
keeps the exact total of the window, so a line costs a few integer additions, and the totals convert to the very
floats the engine's ``math.fsum`` gives. When the rules in force change (a new period, a birthday that changes which
limits apply) the customer's sums are rebuilt from the lines still inside the longest window of the pack.

What counts: every exported sale, allowed or not (the audit measures what happened). A return gives back, from its
own time on, in the windows of the sale it returns, at most what that sale took there (the engine's rule); a void
takes its transaction out of every window from its own time on. Memory holds, per customer, only the lines inside
the longest window of the pack, and customers idle for longer are dropped.

A cart that exceeds a limit becomes one :class:`Violation` per limit, with the engine's own explanation of that
cart (``LimitEngine.check`` is called only then, with the history the replay holds). Violations go to a callback as
they are found. A cart the engine could not decide (missing data, an unknown category, no rules in force) is
reported row by row as an input error, and is not counted later.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from ..errors import FEComplianceError, InvalidValueError, MissingDataError
from ..limits import CAP_TOLERANCE, Customer, LimitEngine, LineKind, PastLine, WindowKind
from ..limits.errors import NoRulesInForceError
from ..limits.lines import CartLine
from ..limits.rules import Limit, PeriodAnchor, RollingConvention
from ..limits.running import RunningWindow, WindowEntry, exact_units, units_value
from ..limits.timeutil import local_midnight_ts, local_time
from .errors import AuditInputError
from .rows import SaleRow

__all__ = ["ADVISORY", "CONFIRMED", "UNCONFIRMED", "LimitFigures", "Replayer", "SaleOutcome", "Violation"]

CONFIRMED: Final = "confirmed"
UNCONFIRMED: Final = "unconfirmed"
ADVISORY: Final = "advisory"
_INF: Final = math.inf
_DAY: Final = 86_400.0


def limit_status(limit: Limit, enforce_advisory: bool) -> str:
    """``advisory`` (not enforced), ``unconfirmed`` (enforced, no primary source) or ``confirmed`` (law)."""
    if not (limit.enforced or enforce_advisory):
        return ADVISORY
    return CONFIRMED if limit.confirmed else UNCONFIRMED


@attrs.frozen(slots=True, kw_only=True)
class LimitFigures:
    """One limit's figures for one replayed cart (as the engine's ``LimitUsage`` has them)."""

    code: str
    cap: float
    used: float
    requested: float
    total: float
    window_start: float | None
    enforced: bool
    exceeded: bool
    waived: bool
    overridden: bool


@attrs.frozen(slots=True, kw_only=True)
class SaleOutcome:
    """A replayed cart: whose, when, the decision and every applying limit's figures (for tests and tracing)."""

    customer_id: str
    transaction_id: str
    at: dt.datetime
    line_ids: tuple[str, ...]
    allowed: bool
    limits: tuple[LimitFigures, ...]


@attrs.frozen(slots=True, kw_only=True)
class Violation:
    """A cart that went over one limit: who, which sale, when, the limit and its figures, and why.

    ``status`` is ``confirmed``, ``unconfirmed`` or ``advisory`` (see :func:`limit_status`); ``explanation`` the
    engine's explanation of that cart with its history, rule citations included; ``lines`` how each line counted;
    ``sources`` the ``file:line`` of each row; ``traces`` the gram extraction traces of vendor rows.
    """

    customer_id: str
    customer_type: str
    transaction_id: str
    sold_at: str
    store_date: str
    line_ids: tuple[str, ...]
    code: str
    status: str
    kind: str
    window: str
    window_start: str | None
    unit: str
    cap: float
    used: float
    requested: float
    total: float
    over_by: float
    citation: str
    rule_summary: str
    lines: tuple[dict[str, Any], ...]
    explanation: tuple[str, ...]
    warnings: tuple[str, ...]
    sources: tuple[str, ...]
    traces: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = attrs.asdict(self, recurse=False)
        for key in ("line_ids", "lines", "explanation", "warnings", "sources"):
            out[key] = list(out[key])
        out["traces"] = [list(t) for t in self.traces]
        return out


class _Held:
    """One sale line the replay still holds: its returns, whether void, and its entry in each window."""

    __slots__ = ("entries", "line", "line_id", "returns", "sold_at", "timestamp", "transaction_id", "voided")

    def __init__(self, row: SaleRow, line: CartLine) -> None:
        self.timestamp = row.timestamp
        self.sold_at = row.sold_at
        self.transaction_id = row.transaction_id
        self.line_id = row.line_id
        self.line = line
        self.returns: list[CartLine] = []
        self.voided = False
        self.entries: dict[int, WindowEntry] = {}

    def own(self, line: CartLine) -> CartLine:
        return line if line.line_id == self.line_id else attrs.evolve(line, line_id=self.line_id)


class _CustomerState:
    __slots__ = ("applicable", "config", "customer", "held", "last", "plan", "windows")

    def __init__(self, customer: Customer) -> None:
        self.customer = customer
        self.held: deque[_Held] = deque()
        self.config: tuple[int, tuple[int, ...]] | None = None
        self.plan: Any = None
        self.windows: dict[int, RunningWindow] = {}
        self.last = -_INF
        self.applicable: tuple[Any, Any] | None = None

    def past_lines(self) -> list[PastLine]:
        """The history as the engine reads it: every sale line not void, and each of its returns."""
        out: list[PastLine] = []
        for held in self.held:
            if held.voided:
                continue
            out.append(PastLine(line=held.own(held.line), sold_at=held.sold_at, transaction_id=held.transaction_id))
            out.extend(
                PastLine(
                    line=held.own(r), sold_at=held.sold_at, transaction_id=held.transaction_id, kind=LineKind.RETURN
                )
                for r in held.returns
            )
        return out


def _horizon_days(engine: LimitEngine) -> int:
    """The longest window of any limit of the pack, in days (a month as 31), plus two days for DST and the start of
    the first day: lines older than this are in no window of any period."""
    longest = 1
    for rules in engine.pack._sets:
        for limit in rules.of_type(Limit):
            window = limit.window
            if window.kind is WindowKind.ROLLING_DAYS:
                longest = max(longest, window.days or 1)
            elif window.kind is WindowKind.CALENDAR_MONTH:
                longest = max(longest, 31)
    return longest + 2


class Replayer:
    """Decides each cart of an export in time order, keeping per customer only what its windows hold.

    ``customers`` maps customer ids to :class:`~fe_compliance.limits.Customer` records (``None``: the rows carry the
    customer type and nothing else is known, so a limit that depends on residency, age or caregiver status makes
    the cart an input error). ``on_violation`` receives each :class:`Violation` as it is found, ``on_error`` each
    :class:`AuditInputError`, ``on_sale`` (optional, for tests, tracing and charts) every cart's
    :class:`SaleOutcome`, or only those of the customers in ``trace`` when it is given.
    """

    def __init__(
        self,
        engine: LimitEngine,
        *,
        customers: Mapping[str, Customer] | None = None,
        on_violation: Callable[[Violation], None],
        on_error: Callable[[AuditInputError], None],
        on_sale: Callable[[SaleOutcome], None] | None = None,
        trace: set[str] | None = None,
    ) -> None:
        if not isinstance(engine, LimitEngine):
            raise InvalidValueError("engine", engine, "expected a LimitEngine")
        self.engine = engine
        self.customers = customers
        self.on_violation = on_violation
        self.on_error = on_error
        self.on_sale = on_sale
        self.trace = trace
        self.horizon = _horizon_days(engine) * _DAY
        self._states: OrderedDict[str, _CustomerState] = OrderedDict()
        self._pending: dict[tuple[str, str], list[SaleRow]] = {}
        self._pending_ts = -_INF
        self._amounts: dict[tuple[int, tuple[int, ...], int], tuple[CartLine, dict[int, tuple[float, int]]]] = {}
        self._starts: dict[tuple[int, dt.date], float] = {}
        self._day_span: tuple[float, float, dt.date] = (_INF, -_INF, dt.date.min)
        self._rules_by_day: dict[dt.date, Any] = {}
        self._age_rules: dict[int, bool] = {}
        self.customer_ids: set[str] = set()
        self.counts = {"rows": 0, "sales": 0, "returns": 0, "voids": 0, "carts": 0, "unmatched": 0}
        self.violations_by_code: dict[str, int] = {}
        self.violations_by_status = {CONFIRMED: 0, UNCONFIRMED: 0, ADVISORY: 0}
        self.carts_in_violation = 0
        self.unmatched: list[str] = []
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None

    # --------------------------------------------------------------------------------------------------- feed

    def feed(self, row: SaleRow) -> None:
        """Take the next row (rows come in sale-time order)."""
        counts = self.counts
        counts["rows"] += 1
        if row.timestamp != self._pending_ts:
            self._flush_all()
            self._pending_ts = row.timestamp
        if self.first is None:
            self.first = row.sold_at
        self.last = row.sold_at
        self.customer_ids.add(row.customer_id)
        if row.kind == "sale":
            counts["sales"] += 1
            key = (row.customer_id, row.transaction_id)
            cart = self._pending.get(key)
            if cart is None:
                self._flush_customer(row.customer_id)
                self._pending[key] = [row]
            else:
                cart.append(row)
            return
        self._flush_customer(row.customer_id)
        if row.kind == "return":
            counts["returns"] += 1
            self._return(row)
        else:
            counts["voids"] += 1
            self._void(row)

    def finish(self) -> None:
        """Decide the carts still pending (call once after the last row)."""
        self._flush_all()

    def _flush_all(self) -> None:
        pending = self._pending
        if pending:
            self._pending = {}
            for rows in pending.values():
                self._check(rows)

    def _flush_customer(self, customer_id: str) -> None:
        pending = self._pending
        for key in [k for k in pending if k[0] == customer_id] if len(pending) < 64 else self._keys_of(customer_id):
            self._check(pending.pop(key))

    def _keys_of(self, customer_id: str) -> list[tuple[str, str]]:
        return [k for k in self._pending if k[0] == customer_id]

    # ---------------------------------------------------------------------------------------------- customers

    def _customer(self, row: SaleRow) -> Customer:
        if self.customers is not None:
            found = self.customers.get(row.customer_id)
            if found is None:
                raise AuditInputError(
                    row.source, row.lineno, "customer_id", row.customer_id, "is not in the customers file"
                )
            if row.customer_type and row.customer_type.lower() != str(found.customer_type):
                raise AuditInputError(
                    row.source, row.lineno, "customer_type", row.customer_type,
                    f"contradicts the customers file ({found.customer_type})",
                )
            return found
        if not row.customer_type:
            raise AuditInputError(
                row.source, row.lineno, "customer_type", "",
                "is required without a customers file (medical or recreational)",
            )
        try:
            # Without a customers file nothing but the type is known: caregiver status is unknown, not False.
            return Customer(customer_type=row.customer_type, customer_id=row.customer_id, caregiver=None)
        except FEComplianceError as exc:
            raise AuditInputError(row.source, row.lineno, "customer_type", row.customer_type, str(exc)) from exc

    def _state(self, row: SaleRow) -> _CustomerState:
        states = self._states
        state = states.get(row.customer_id)
        if state is None:
            state = _CustomerState(self._customer(row))
            states[row.customer_id] = state
        else:
            states.move_to_end(row.customer_id)
        return state

    def _drop_idle(self, now: float) -> None:
        """Forget customers with nothing in any window (the least recently active come first)."""
        states = self._states
        cutoff = now - self.horizon
        while states:
            customer_id, state = next(iter(states.items()))
            if state.last >= cutoff:
                break
            del states[customer_id]

    @property
    def active_customers(self) -> int:
        return len(self._states)

    # ------------------------------------------------------------------------------------------------ returns

    def _return(self, row: SaleRow) -> None:
        state = self._states.get(row.customer_id)
        # returns are rare and a customer holds few lines: a scan beats an index kept for every line
        held = None
        if state is not None:
            key = (row.of_transaction, row.line_id)
            cutoff = row.timestamp - self.horizon  # older lines are in no window: as if forgotten (see _drop_idle)
            held = next(
                (h for h in state.held if (h.transaction_id, h.line_id) == key and h.timestamp >= cutoff), None
            )
        if state is None or held is None or held.voided or row.line is None:
            self._unmatched(row, "no sale of that line is held (not in the export, void, or outside every window)")
            return
        held.returns.append(row.line)
        state.last = row.timestamp
        if state.plan is not None:
            try:
                self._settle(state, held)
            except FEComplianceError as exc:
                held.returns.pop()
                self._settle(state, held)
                self.on_error(AuditInputError(row.source, row.lineno, exc.field or "line", exc.value, str(exc)))

    def _void(self, row: SaleRow) -> None:
        state = self._states.get(row.customer_id)
        cutoff = row.timestamp - self.horizon  # as in _return: whether the customer was dropped must not matter
        helds = [] if state is None else [
            h for h in state.held if h.transaction_id == row.of_transaction and h.timestamp >= cutoff
        ]
        if state is None or not helds:
            self._unmatched(row, "no sale of that transaction is held (not in the export or outside every window)")
            return
        for held in helds:
            held.voided = True
            for n, entry in held.entries.items():
                window = state.windows.get(n)
                if window is not None:
                    window.change(entry, 0)

    def _unmatched(self, row: SaleRow, why: str) -> None:
        self.counts["unmatched"] += 1
        if len(self.unmatched) < 1000:
            self.unmatched.append(f"{row.where()}: {row.kind} of transaction {row.of_transaction!r}: {why}")

    # ---------------------------------------------------------------------------------------------- counting

    def _line_amounts(self, state: _CustomerState, line: CartLine) -> dict[int, tuple[float, int]]:
        """limit index -> (amount, exact units) of ``line`` under the state's plan and active limits (cached)."""
        config = state.config
        assert config is not None
        key = (config[0], config[1], id(line))
        found = self._amounts.get(key)
        if found is not None and found[0] is line:
            return found[1]
        amounts = {
            member: (amount, exact_units(amount))
            for member, amount in self.engine.line_amounts(state.plan, line, set(config[1]))
        }
        if len(self._amounts) > 200_000:
            self._amounts.clear()
        self._amounts[key] = (line, amounts)
        return amounts

    def _net(self, state: _CustomerState, held: _Held, n: int) -> int | None:
        """What ``held`` adds to limit ``n`` net of its returns (the engine's give-back), or None if nothing."""
        sold = self._line_amounts(state, held.line).get(n)
        if held.voided:
            return 0 if sold is not None else None
        gives = [a[n] for a in (self._line_amounts(state, r) for r in held.returns) if n in a]
        if not gives:
            return None if sold is None else sold[1]
        if sold is None:
            return 0
        if math.fsum(g[0] for g in gives) <= sold[0]:
            return sold[1] - sum(g[1] for g in gives)
        return 0

    def _settle(self, state: _CustomerState, held: _Held) -> None:
        for n, entry in held.entries.items():
            net = self._net(state, held, n)
            state.windows[n].change(entry, 0 if net is None else net)

    def _rebuild(
        self, state: _CustomerState, plan: Any, active: list[int], config: tuple[int, tuple[int, ...]]
    ) -> None:
        state.config = config
        state.plan = plan
        limits = plan.limits
        state.windows = {i: RunningWindow() for i in active if limits[i].window.kind is not WindowKind.TRANSACTION}
        try:
            for held in state.held:
                held.entries = {}
                if held.voided:
                    continue
                for n, window in state.windows.items():
                    net = self._net(state, held, n)
                    if net is not None:
                        held.entries[n] = window.add(held.timestamp, net)
        except FEComplianceError:
            state.config = None
            raise

    # -------------------------------------------------------------------------------------------------- check

    def _window_start(self, limit: Limit, ts: float, day: dt.date, customer: Customer) -> float:
        window = limit.window
        if window.kind is WindowKind.TRANSACTION:
            return _INF
        engine = self.engine
        if (window.kind is WindowKind.ROLLING_DAYS and window.convention is RollingConvention.ELAPSED) or (
            window.anchor_selectable and engine.period_anchor is PeriodAnchor.CERTIFICATION_DATE
        ):
            return engine._window_start(limit, ts, day, customer)
        key = (id(limit), day)
        start = self._starts.get(key)
        if start is None:
            if len(self._starts) > 100_000:
                self._starts.clear()
            start = self._starts[key] = engine._window_start(limit, ts, day, customer)
        return start

    def _day(self, row: SaleRow) -> dt.date:
        """The store-local day of the row; rows come in time order, so the current day's span answers almost all."""
        ts = row.timestamp
        span = self._day_span
        if span[0] <= ts < span[1]:
            return span[2]
        day = local_time(row.sold_at, self.engine.zone, field="sold_at").date()
        zone = self.engine.zone
        start = local_midnight_ts(day, zone)
        end = local_midnight_ts(day + dt.timedelta(days=1), zone)
        self._day_span = (start, end, day)
        return day

    def _limits_for(
        self, state: _CustomerState, day: dt.date
    ) -> tuple[Any, list[int], list[bool], list[float], list[bool]]:
        """The plan and the engine's applicable limits for the customer on ``day``, cached per customer while the
        rule set is the same (and, where a limit depends on age, the day too)."""
        engine = self.engine
        rules = self._rules_by_day.get(day)
        if rules is None:
            if len(self._rules_by_day) > 4096:
                self._rules_by_day.clear()
            rules = self._rules_by_day[day] = engine.pack.in_force(day)
        key = (id(rules), day) if self._age_matters(rules) else (id(rules), None)
        cached = state.applicable
        if cached is not None and cached[0] == key:
            hit: tuple[Any, list[int], list[bool], list[float], list[bool]] = cached[1]
            return hit
        customer = state.customer
        ct = customer.customer_type
        gap = rules.not_researched(ct)
        if gap is not None:
            raise NoRulesInForceError(
                f"customer_type: the {engine.pack.state} pack does not cover {ct} customers: {gap.summary} "
                f"[{gap.citation}]",
                field="customer_type",
                value=ct,
            )
        plan = engine._plan(rules, ct)
        active, waived, caps, overridden = engine._applicable(plan, customer, day)
        found = (plan, active, waived, caps, overridden)
        state.applicable = (key, found)
        return found

    def _age_matters(self, rules: Any) -> bool:
        known = self._age_rules.get(id(rules))
        if known is None:
            known = self._age_rules[id(rules)] = any(limit.condition.needs_age for limit in rules.of_type(Limit))
        return known

    def _check(self, rows: list[SaleRow]) -> None:
        self.counts["carts"] += 1
        first = rows[0]
        try:
            self._decide(rows)
        except AuditInputError as exc:
            self.on_error(exc)
            for row in rows[1:]:
                self.on_error(
                    AuditInputError(row.source, row.lineno, "cart", row.transaction_id, f"not replayed: {exc}")
                )
        except FEComplianceError as exc:
            for row in rows:
                self.on_error(
                    AuditInputError(
                        row.source, row.lineno, exc.field or "cart", exc.value if exc.value is not None else
                        first.transaction_id, f"the cart cannot be replayed: {exc}",
                    )
                )

    def _decide(self, rows: list[SaleRow]) -> None:
        first = rows[0]
        engine = self.engine
        state = self._state(first)
        customer = state.customer
        ts = first.timestamp
        day = self._day(first)
        plan, active, waived, caps, overridden = self._limits_for(state, day)
        # forget lines older than every window (before a rebuild, so it never reads them)
        held_lines = state.held
        cutoff = ts - self.horizon
        while held_lines and held_lines[0].timestamp < cutoff:
            held_lines.popleft()
        config = (id(plan), tuple(active))
        if state.config != config:
            self._rebuild(state, plan, active, config)
        seen: set[str] = set()
        for row in rows:
            if row.line_id in seen:
                raise AuditInputError(
                    row.source, row.lineno, "line_id", row.line_id, "two lines of one cart share this id"
                )
            seen.add(row.line_id)
        limits = plan.limits
        windows = state.windows
        starts = []
        for i in active:
            start = self._window_start(limits[i], ts, day, customer)
            starts.append(start)
            window = windows.get(i)
            if window is not None:
                window.advance(start)
        cart_amounts = [self._line_amounts(state, row.line) for row in rows]  # type: ignore[arg-type]
        trace = self.trace
        figures: list[LimitFigures] | None = (
            [] if self.on_sale is not None and (trace is None or first.customer_id in trace) else None
        )
        exceeded_any: list[int] = []
        advisory = engine.enforce_advisory
        for slot, i in enumerate(active):
            wanted = [a[i] for a in cart_amounts if i in a]
            requested = math.fsum(w[0] for w in wanted) if wanted else 0.0
            window = windows.get(i)
            held_units = window.total if window is not None else 0
            cap = caps[slot]
            total_units = held_units + sum(w[1] for w in wanted)
            exceeded = not waived[slot] and requested > 0.0 and units_value(total_units) > cap + CAP_TOLERANCE
            if exceeded:
                exceeded_any.append(slot)
            if figures is not None:
                limit = limits[i]
                figures.append(
                    LimitFigures(
                        code=limit.code,
                        cap=cap,
                        used=units_value(held_units),
                        requested=requested,
                        total=units_value(total_units),
                        window_start=None if starts[slot] == _INF else starts[slot],
                        enforced=limit.enforced or advisory,
                        exceeded=exceeded,
                        waived=waived[slot],
                        overridden=overridden[slot],
                    )
                )
        if figures is not None and self.on_sale is not None:
            allowed = not any(f.exceeded and f.enforced for f in figures)
            self.on_sale(
                SaleOutcome(
                    customer_id=first.customer_id,
                    transaction_id=first.transaction_id,
                    at=first.sold_at,
                    line_ids=tuple(r.line_id for r in rows),
                    allowed=allowed,
                    limits=tuple(figures),
                )
            )
        if exceeded_any:
            self._report(state, rows, [active[s] for s in exceeded_any])
        # every exported sale counts from now on, allowed or not
        for row, amounts in zip(rows, cart_amounts, strict=True):
            held = _Held(row, row.line)  # type: ignore[arg-type]
            held_lines.append(held)
            for n, window in windows.items():
                amount = amounts.get(n)
                if amount is not None:
                    held.entries[n] = window.add(ts, amount[1])
        state.last = ts
        if self.counts["carts"] % 4096 == 0:
            self._drop_idle(ts)

    def _report(self, state: _CustomerState, rows: list[SaleRow], exceeded: list[int]) -> None:
        """Ask the engine to explain the cart with the history the replay holds, and emit one violation per limit."""
        engine = self.engine
        customer = state.customer
        cart = [row.own_line() for row in rows]
        decision = engine.check(customer, cart, at=rows[0].sold_at, history=state.past_lines())  # type: ignore[arg-type]
        explanation = tuple(decision.explanation())
        lines = tuple(
            {"line_id": c.line_id, "category": c.category, "quantity": c.quantity, "counted": c.counted, "how": c.how}
            for c in decision.lines
        )
        traces = tuple(row.trace for row in rows if row.trace)
        self.carts_in_violation += 1
        for i in exceeded:
            code: str = state.plan.limits[i].code
            usage = decision.usage(code)
            if not usage.exceeded:
                raise MissingDataError(
                    "audit", f"the replay found {code} exceeded but the engine does not; please report this bug"
                )
            limit = usage.limit
            status = limit_status(limit, engine.enforce_advisory)
            self.violations_by_code[code] = self.violations_by_code.get(code, 0) + 1
            self.violations_by_status[status] += 1
            self.on_violation(
                Violation(
                    customer_id=customer.customer_id or rows[0].customer_id,
                    customer_type=str(customer.customer_type),
                    transaction_id=rows[0].transaction_id,
                    sold_at=rows[0].sold_at.isoformat(),
                    store_date=decision.store_date.isoformat(),
                    line_ids=tuple(row.line_id for row in rows),
                    code=code,
                    status=status,
                    kind=str(limit.kind),
                    window=limit.window.describe(),
                    window_start=None if usage.window_start is None else usage.window_start.isoformat(),
                    unit=usage.unit,
                    cap=usage.cap,
                    used=usage.used,
                    requested=usage.requested,
                    total=usage.total,
                    over_by=usage.total - usage.cap,
                    citation=limit.citation,
                    rule_summary=limit.summary,
                    lines=lines,
                    explanation=explanation,
                    warnings=decision.warnings,
                    sources=tuple(row.where() for row in rows),
                    traces=traces,
                )
            )
