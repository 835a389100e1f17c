"""The purchase-limit engine: may this customer buy this cart now?

For a sale at ``at`` the engine takes the rules in force that store-local day, keeps the limits of the customer's
type whose conditions the customer meets, and for each limit adds up, in floats:

* ``used``: the customer's history inside the limit's window (returns subtract, at their original sale time,
  never more than their sale added to that limit);
* ``requested``: the cart;

and refuses the cart when, for any enforced limit the cart adds to, ``used + requested`` exceeds the cap by more
than :data:`CAP_TOLERANCE`. Sums use :func:`math.fsum`, which rounds exactly once, so the decision does not depend on
the order of lines, and one cart split into two sales adds up to exactly the same totals.

What a line counts as toward a budget is the pack's counting basis: its package-level FE (seed 001) when the line
has one, otherwise the pack's volume rule or FE definition computed from the line's data; or, for Massachusetts
medical, MassCIP grams (seed 000). A line lacking the data its rules need raises
:class:`~fe_compliance.limits.errors.LineDataError` naming the field the rule reads and the amounts the line gave that
the rule does not read: a cart is never allowed because data was missing.

Every counted line carries the rule that counted it (:attr:`LineCount.counted_by`) and that rule's flag; a line
counted through an unconfirmed rule, a MassCIP table entry the library decided, or a product weight standing in for
THC also adds a warning to the decision. A MassCIP-counted line whose purchase-limit category and Metrc category
disagree (a "Concentrate" line whose Metrc category is "Buds") is counted as MassCIP counts it, by the Metrc
category, with a warning; ``refuse_category_mismatch=True`` refuses such lines instead
(:class:`~fe_compliance.limits.errors.CategoryMismatchError`).

pint is used only at the edges (lines and caps are converted to floats when built); the engine's own work is
dictionary lookups and float arithmetic, with the per-category plan of each rule set built once and cached.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Container, Iterable, Mapping
from typing import Any, Final

from ..categories import CategoryAliases, CustomerType
from ..errors import InvalidValueError, MissingDataError
from ..explain import Rule
from .customer import Customer
from .errors import CategoryMismatchError, LineDataError, NoRulesInForceError
from .lines import AMOUNT_FIELDS, CartLine, PastLine
from .pack import RulePack, RuleSet
from .plan import CategoryPlan, Plan
from .results import CartDecision, LimitUsage, LineCount
from .rules import (
    CountingBasis,
    DatedRule,
    Limit,
    LimitKind,
    Measure,
    PeriodAnchor,
    RollingConvention,
    WindowKind,
)
from .timeutil import local_midnight_ts, local_time, require_aware, resolve_zone
from .vocabulary import FLOWER

__all__ = ["LimitEngine"]

_INF: Final = math.inf
_Aims = tuple[tuple[int, float, bool, int], ...]
"""Per category: (slot of the limit in the check, its window start, counts the counted measure, limit index)."""
_DAY: Final = 86_400.0
_MEASURE_FIELD: Final = {
    Measure.GRAMS_CONCENTRATION: "grams_concentration",
    Measure.THC: "thc_grams",
    Measure.VOLUME: "volume_ml",
}
_WEIGHT_FIELDS: Final = ("grams_concentration", "net_weight_grams")
"""The product-weight fields that bound a line's THC from above (for ``Equivalency.weight_bounds_thc``)."""
_Counted = tuple[float, str, float, float, str, "DatedRule | None", "Rule | None", str, tuple[str, ...]]
"""(amount, method, per-unit input, factor, detail, pack rule used, rule that counted, its status, warnings)."""


def _unused(line: CartLine, *read: str) -> str:
    """The amounts ``line`` gives that the rule does not read, for an error telling the POS what it sent."""
    found = [
        f"{name}={getattr(line, name):.6g}"
        for name in AMOUNT_FIELDS
        if name not in read and getattr(line, name) is not None
    ]
    return (
        "; the line gives " + ", ".join(found) + ", which this rule does not read"
        if found
        else "; the line gives no amounts"
    )


def _iterable(values: object, field: str) -> Iterable[Any]:
    """``values`` unchanged when it can be iterated (a history may be a generator, read once); else an error naming
    ``field``. Text and mappings iterate too, but never as lines."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise InvalidValueError(field, values, "expected an iterable of lines")
    return values


def _sum(values: list[float]) -> float:
    """The exactly rounded sum of non-negative amounts and their give-backs; an overflow is an infinite total.

    Every amount is finite and at most what its line was sold for, so an infinite total can only come from amounts
    too large to add up: infinity then refuses the cart, the only safe answer to a sum nobody can compute.
    """
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):
        return _INF


def _aliases(pack: RulePack, extra: Mapping[str, str] | CategoryAliases | None) -> CategoryAliases:
    if extra is None:
        return pack.aliases
    if isinstance(extra, CategoryAliases):
        return pack.aliases.with_aliases(extra.aliases)
    if not isinstance(extra, Mapping):
        raise InvalidValueError("aliases", extra, "expected a mapping of POS names to canonical categories")
    return pack.aliases.with_aliases(dict(extra))


class LimitEngine:
    """Checks carts against one state's rule pack.

    ``store_tz`` is the store's time zone (default: the pack's); day windows and the choice of rules follow the
    store's calendar. ``period_anchor=PeriodAnchor.CERTIFICATION_DATE`` anchors the windows that allow it
    (Massachusetts medical) to the customer's certification date. ``enforce_advisory`` makes advisory
    (unconfirmed) limits refuse carts too. ``aliases`` adds the POS's own category names. ``masscip_table``
    replaces MassCIP's default category table for MassCIP-counted customers. ``refuse_category_mismatch`` refuses
    (raises :class:`~fe_compliance.limits.errors.CategoryMismatchError` for) a MassCIP-counted cart line whose
    purchase-limit category and Metrc category disagree, flower against non-flower; by default such a line is
    counted as MassCIP counts it, by its Metrc category, with a warning.
    """

    __slots__ = (
        "_aliases",
        "_key",
        "aliases",
        "enforce_advisory",
        "masscip_table",
        "pack",
        "period_anchor",
        "refuse_category_mismatch",
        "zone",
    )

    def __init__(
        self,
        pack: RulePack,
        *,
        store_tz: object = None,
        period_anchor: PeriodAnchor | str = PeriodAnchor.ROLLING,
        enforce_advisory: bool = False,
        aliases: Mapping[str, str] | CategoryAliases | None = None,
        masscip_table: Any = None,
        refuse_category_mismatch: bool = False,
    ) -> None:
        if not isinstance(pack, RulePack):
            raise InvalidValueError("pack", pack, "expected a RulePack (fe_compliance.states.pack_for('MI'))")
        self.pack = pack
        self.zone = pack.zone if store_tz is None else resolve_zone(store_tz)
        try:
            self.period_anchor = PeriodAnchor(period_anchor)
        except ValueError as exc:
            raise InvalidValueError(
                "period_anchor", period_anchor, "expected 'rolling' or 'certification_date'"
            ) from exc
        if not isinstance(enforce_advisory, bool):
            raise InvalidValueError("enforce_advisory", enforce_advisory, "expected True or False")
        self.enforce_advisory = enforce_advisory
        if not isinstance(refuse_category_mismatch, bool):
            raise InvalidValueError("refuse_category_mismatch", refuse_category_mismatch, "expected True or False")
        self.refuse_category_mismatch = refuse_category_mismatch
        self._aliases = _aliases(pack, aliases)
        self.aliases = aliases
        if masscip_table is not None:
            from ..masscip import CategoryTable  # a sibling pure module; imported only when a table is given

            if not isinstance(masscip_table, CategoryTable):
                raise InvalidValueError(
                    "masscip_table", masscip_table, "expected a fe_compliance.masscip.CategoryTable (or None)"
                )
        self.masscip_table = masscip_table
        # Plans are cached on the rule set per alias table and MassCIP table; keying on the alias entries (not the
        # object) lets engines built with equal aliases share a plan instead of growing the cache.
        self._key = ("plan", frozenset(self._aliases.aliases.items()), id(masscip_table))

    # ----------------------------------------------------------------------------------------------- plumbing

    def _plan(self, rules: RuleSet, customer_type: CustomerType) -> Plan:
        key = (*self._key, customer_type)
        plan: Plan | None = rules._cache.get(key)
        if plan is None:
            masscip = None
            if rules.counting_rule(customer_type).basis is CountingBasis.MASSCIP:
                from .. import masscip as masscip_module  # a sibling pure module; imported only when needed

                masscip = masscip_module
            plan = Plan(rules, customer_type, self._aliases, masscip, self.masscip_table)
            # keep the alias table alive as long as the cached plan refers to it by id
            rules._cache[key] = plan
            rules._cache[(*key, "aliases")] = (self._aliases, self.masscip_table)
        return plan

    def rules_at(self, at: dt.datetime) -> RuleSet:
        """The rules in force on the store-local day of ``at`` (aware)."""
        moment = require_aware(at, field="at")
        return self.pack.in_force(local_time(moment, self.zone, field="at").date())

    # -------------------------------------------------------------------------------------------------- check

    def check(
        self,
        customer: Customer,
        cart: Iterable[CartLine],
        *,
        at: dt.datetime,
        history: Iterable[PastLine] = (),
    ) -> CartDecision:
        """Decide ``cart`` for ``customer`` at ``at`` (an aware datetime), given their purchase ``history``."""
        if not isinstance(customer, Customer):
            raise InvalidValueError("customer", customer, "expected a Customer")
        moment = require_aware(at, field="at")
        at_ts = moment.timestamp()
        local = local_time(moment, self.zone, field="at")
        day = local.date()
        rules = self.pack.in_force(day)
        ct = customer.customer_type
        gap = rules.not_researched(ct)
        if gap is not None:
            raise NoRulesInForceError(
                f"customer_type: the {self.pack.state} pack does not cover {ct} customers: {gap.summary} "
                f"[{gap.citation}]",
                field="customer_type",
                value=ct,
            )
        plan = self._plan(rules, ct)
        lines = tuple(_iterable(cart, "cart"))
        past_lines = _iterable(history, "history")
        seen: set[str] = set()
        for line in lines:
            if not isinstance(line, CartLine):
                raise InvalidValueError("cart", line, "expected CartLine items")
            if line.line_id in seen:
                raise InvalidValueError("line_id", line.line_id, "two lines of one cart share this id")
            seen.add(line.line_id)

        active, waived, caps, overridden = self._applicable(plan, customer, day)
        starts = [self._window_start(plan.limits[i], at_ts, day, customer) for i in active]
        slot = {limit_index: n for n, limit_index in enumerate(active)}
        cart_vals: list[list[float]] = [[] for _ in active]
        hist_vals: list[list[float]] = [[] for _ in active]
        measures = [plan.limits[i].measure for i in active]

        counts = []
        categories = plan.categories
        for line in lines:
            cp = categories.get(line._key) or plan.category(line)
            if cp.exempt_rule is not None or (line.exempt and cp.flag_rule is not None):
                reason, rule = self._exemption(cp, line)
                counts.append(
                    LineCount(
                        line_id=line.line_id,
                        category=cp.canonical,
                        quantity=line.quantity,
                        counted=None,
                        method="exempt",
                        detail=reason,
                        rule=rule,
                    )
                )
                continue
            if not cp.counts:
                # No budget (nor any other limit on the counted amount) covers this category: its FE would add to
                # nothing, so it is not demanded; its own limits read their measures below.
                counts.append(
                    LineCount(
                        line_id=line.line_id,
                        category=cp.canonical,
                        quantity=line.quantity,
                        counted=None,
                        method="not_counted",
                        detail=f"{cp.canonical} counts toward no budget; only its own limits count it",
                    )
                )
                for member in cp.members:
                    n = slot.get(member)
                    if n is not None:
                        cart_vals[n].append(self._measured(line, measures[n], plan, member))
                continue
            counted, method, value, factor, detail, used_rule, counted_by, status, notes = self._counted(
                plan, cp, line, cart=True
            )
            counts.append(
                LineCount(
                    line_id=line.line_id,
                    category=cp.canonical,
                    quantity=line.quantity,
                    counted=counted,
                    method=method,
                    value=value,
                    factor=factor,
                    detail=detail,
                    rule=used_rule,
                    counted_by=counted_by,
                    status=status,
                    warnings=notes,
                )
            )
            for member in cp.members:
                n = slot.get(member)
                if n is not None:
                    m = measures[n]
                    cart_vals[n].append(counted if m is Measure.COUNTED else self._measured(line, m, plan, member))

        earliest = min(starts, default=_INF)
        history_warnings: tuple[str, ...] = ()
        if earliest < _INF:
            history_warnings = self._add_history(plan, past_lines, starts, slot, measures, hist_vals, earliest)

        usages = []
        zone = self.zone
        for n, i in enumerate(active):
            limit = plan.limits[i]
            used = _sum(hist_vals[n])
            requested = _sum(cart_vals[n])
            total = _sum(hist_vals[n] + cart_vals[n])
            start = starts[n]
            usages.append(
                LimitUsage(
                    limit=limit,
                    cap=caps[n],
                    used=used,
                    requested=requested,
                    total=total,
                    window_start=None if start == _INF else dt.datetime.fromtimestamp(start, zone),
                    enforced=limit.enforced or self.enforce_advisory,
                    overridden=overridden[n],
                    waived=waived[n],
                )
            )
        warnings = tuple(w for c in counts for w in c.warnings)
        warnings += tuple(
            f"advisory limit {u.code} would be exceeded: {u.describe()}"
            for u in usages
            if u.exceeded and not u.enforced
        ) + tuple(f"rule {r.code} is UNCONFIRMED: {r.summary} [{r.citation}]" for r in self._unconfirmed(usages))
        warnings += history_warnings
        allowed = not any(u.refuses for u in usages)
        return CartDecision(
            allowed=allowed,
            state=self.pack.state,
            at=moment,
            store_date=day,
            customer=customer,
            rules=rules,
            counting=plan.counting,
            usages=tuple(usages),
            lines=tuple(counts),
            cart=lines,
            warnings=warnings,
            period_anchor=self.period_anchor,
        )

    @staticmethod
    def _unconfirmed(usages: list[LimitUsage]) -> tuple[Limit, ...]:
        return tuple(u.limit for u in usages if not u.limit.confirmed and u.requested > 0)

    # ------------------------------------------------------------------------------------------ applicability

    def _applicable(
        self, plan: Plan, customer: Customer, day: dt.date
    ) -> tuple[list[int], list[bool], list[float], list[bool]]:
        active: list[int] = []
        waived: list[bool] = []
        caps: list[float] = []
        overridden: list[bool] = []
        override = customer.override_grams
        target = customer.override_limit
        codes = {limit.code: limit for limit in plan.limits}
        if target is not None:
            named = codes.get(target)
            if named is None:
                raise InvalidValueError(
                    "override_limit", target, f"no {plan.rules.state} limit has this code; known: {sorted(codes)}"
                )
            if named.kind is not LimitKind.BUDGET:
                raise InvalidValueError(
                    "override_limit", target, "an allotment override replaces a budget; it cannot replace a sub-cap"
                )
        for i, limit in enumerate(plan.limits):
            if not self._matches(limit, customer, day):
                continue
            active.append(i)
            waived.append(bool(limit.waived_by & customer.exemptions))
            replaces = (
                override is not None and limit.kind is LimitKind.BUDGET and (target is None or target == limit.code)
            )
            caps.append(override if replaces and override is not None else limit.cap_value)
            overridden.append(replaces)
        budgets = [i for n, i in enumerate(active) if plan.limits[i].kind is LimitKind.BUDGET]
        if not budgets:
            raise NoRulesInForceError(
                f"customer_type: no {plan.rules.state} budget applies to this {customer.customer_type} customer "
                f"in the period {plan.rules._period()}; the engine never treats a missing limit as no limit",
                field="customer_type",
                value=customer.customer_type,
            )
        return active, waived, caps, overridden

    def _matches(self, limit: Limit, customer: Customer, day: dt.date) -> bool:
        cond = limit.condition
        if cond.is_any:
            return True
        state = self.pack.state
        if cond.resident is not None:
            if customer.resident is None:
                raise MissingDataError(
                    "customer.resident", f"the {state} limit {limit.code!r} depends on residency; it is unknown"
                )
            if customer.resident is not cond.resident:
                return False
        if cond.caregiver is not None:
            if customer.caregiver is None:
                raise MissingDataError(
                    "customer.caregiver", f"the {state} limit {limit.code!r} depends on caregiver status; it is unknown"
                )
            if customer.caregiver is not cond.caregiver:
                return False
        if cond.needs_age:
            age = customer.age_on(day)
            if age is None:
                raise MissingDataError(
                    "customer.birth_date", f"the {state} limit {limit.code!r} depends on age; the birth date is unknown"
                )
            if cond.min_age is not None and age < cond.min_age:
                return False
            if cond.max_age is not None and age > cond.max_age:
                return False
        return True

    # ----------------------------------------------------------------------------------------------- windows

    def _window_start(self, limit: Limit, at_ts: float, day: dt.date, customer: Customer) -> float:
        window = limit.window
        kind = window.kind
        if kind is WindowKind.TRANSACTION:
            return _INF
        if kind is WindowKind.CALENDAR_DAY:
            return local_midnight_ts(day, self.zone)
        if kind is WindowKind.CALENDAR_MONTH:
            return local_midnight_ts(day.replace(day=1), self.zone)
        n = window.days or 1
        if window.anchor_selectable and self.period_anchor is PeriodAnchor.CERTIFICATION_DATE:
            cert = customer.certification_date
            if cert is None:
                raise MissingDataError(
                    "customer.certification_date",
                    f"limit {limit.code!r} is anchored to the certification date, which the customer record lacks",
                )
            if day < cert:
                raise InvalidValueError("customer.certification_date", cert, "is after the day of the sale")
            start = cert + dt.timedelta(days=((day - cert).days // n) * n)
            return local_midnight_ts(start, self.zone)
        if window.convention is RollingConvention.ELAPSED:
            return math.nextafter(at_ts - n * _DAY, _INF)
        return local_midnight_ts(day - dt.timedelta(days=n - 1), self.zone)

    # ------------------------------------------------------------------------------------------------ counting

    @staticmethod
    def _exemption(cp: CategoryPlan, line: CartLine) -> tuple[str, DatedRule]:
        if cp.exempt_rule is not None:
            return f"{cp.canonical} is exempt", cp.exempt_rule
        assert cp.flag_rule is not None
        return "the line is marked exempt and the state exempts such products", cp.flag_rule

    def _counted(self, plan: Plan, cp: CategoryPlan, line: CartLine, *, cart: bool = False) -> _Counted:
        """What ``line`` counts toward budgets, with the rule that counted it and what to warn about.

        ``cart``: the line is in the cart being decided (history lines were already sold: a category mismatch is
        what MassCIP deducted then, and is neither warned about nor refused again).
        """
        q = line.quantity
        if plan.basis is CountingBasis.MASSCIP:
            gc = line.grams_concentration
            if gc is None:
                raise LineDataError(
                    line.line_id,
                    "grams_concentration",
                    "MassCIP counts grams/concentration (with the Metrc item category); the line has none"
                    + _unused(line, "grams_concentration"),
                )
            entry = plan.masscip_entry(line)
            metrc = line.metrc_category or ""
            found = plan.masscip_rules.get(metrc)
            if found is None:
                found = plan.masscip_rules[metrc] = (_masscip_rule(entry, plan.masscip.MULTIPLIER), str(entry.status))
            factor = entry.multiplier
            counted = gc * factor * q
            notes: tuple[str, ...] = ()
            if cart and (entry.flagged or self._mismatched(plan, cp, metrc, entry)):
                notes = self._masscip_notes(plan, cp, line, entry, counted)
            return counted, "masscip", gc, factor, metrc, None, found[0], found[1], notes
        fe = line.fe_grams
        if fe is not None:
            counting = plan.counting
            return fe * q, "package_fe", fe, 1.0, "", None, counting.rule, _status(counting), ()
        volume = cp.volume
        if volume is not None and line.volume_ml is not None:
            v = line.volume_ml
            amount = v * volume.grams_per_ml * q
            return amount, "volume_rule", v, volume.grams_per_ml, "volume_ml", volume, volume.rule, _status(volume), ()
        eq = cp.equivalency
        if eq is not None:
            field = cp.fe_field
            value = getattr(line, field)
            if value is not None:
                return value * cp.fe_ratio * q, "fe_definition", value, cp.fe_ratio, field, eq, eq.rule, _status(eq), ()
            if eq.weight_bounds_thc:
                bound = self._weight_bound(line)
                if bound is not None:
                    weight_field, weight = bound
                    note = (
                        f"line {line.line_id!r}: no thc_grams; its {weight_field} {weight:.6g} g is counted as THC "
                        f"under {eq.code} (an upper bound: THC never exceeds the product's weight, so this is never "
                        "looser than the rule, and may count more); give thc_grams to count the active THC"
                    )
                    return (
                        weight * cp.fe_ratio * q,
                        "fe_definition_weight_bound",
                        weight,
                        cp.fe_ratio,
                        weight_field,
                        eq,
                        eq.rule,
                        _status(eq),
                        (note,) if cart else (),
                    )
        field, reason = self._missing(plan, cp, line)
        raise LineDataError(line.line_id, field, reason)

    @staticmethod
    def _weight_bound(line: CartLine) -> tuple[str, float] | None:
        """The largest product weight the line gives (field, grams), or ``None`` when it gives none."""
        found = [(getattr(line, name), name) for name in _WEIGHT_FIELDS if getattr(line, name) is not None]
        if not found:
            return None
        weight, name = max(found)
        return name, weight

    @staticmethod
    def _mismatched(plan: Plan, cp: CategoryPlan, metrc: str, entry: Any) -> bool:
        """Whether the line's purchase-limit category and its Metrc category disagree, flower against non-flower
        (cached per pair for the plan)."""
        key = (cp.canonical, metrc)
        found = plan.mismatches.get(key)
        if found is None:
            found = plan.mismatches[key] = (cp.canonical == FLOWER) != (str(entry.masscip_category) == "flower")
        return found

    def _masscip_notes(
        self, plan: Plan, cp: CategoryPlan, line: CartLine, entry: Any, counted: float
    ) -> tuple[str, ...]:
        """Warnings for a MassCIP-counted cart line: a flagged table entry, a category mismatch (or its refusal)."""
        notes = []
        if entry.flagged:
            notes.append(
                f"line {line.line_id!r}: counted through MassCIP table entry {entry.name!r}, which is "
                f"{str(entry.status).upper()}: {entry.note or 'no note'} [{entry.source}]"
            )
        if self._mismatched(plan, cp, line.metrc_category or "", entry):
            said = "flower" if cp.canonical == FLOWER else "non-flower"
            reason = (
                f"the purchase-limit category {cp.canonical!r} is {said}, but the Metrc category "
                f"{line.metrc_category!r} is MassCIP {entry.masscip_category} (x{entry.multiplier:g}), and MassCIP "
                "deducts by the Metrc category"
            )
            if self.refuse_category_mismatch:
                raise CategoryMismatchError(
                    line.line_id, line.metrc_category, reason + "; fix the item's category (refuse_category_mismatch)"
                )
            notes.append(
                f"line {line.line_id!r}: categories disagree: {reason}, so the line counts {counted:.6g} g; check the "
                "item's categories, or build the engine with refuse_category_mismatch=True to refuse such lines"
            )
        return tuple(notes)

    @staticmethod
    def _missing(plan: Plan, cp: CategoryPlan, line: CartLine) -> tuple[str, str]:
        """The field to name in a missing-data error (the one the rule reads) and the reason."""
        ways = []
        if cp.equivalency is not None:
            ways.append((cp.fe_field, f"{cp.fe_field} ({cp.equivalency.code}: {cp.equivalency.definition.describe()})"))
            if cp.equivalency.weight_bounds_thc:
                ways.append(
                    (
                        "grams_concentration",
                        "or a product weight counted as THC (grams_concentration or net_weight_grams)",
                    )
                )
        if cp.volume is not None:
            ways.append(("volume_ml", f"volume_ml ({cp.volume.code}: {cp.volume.describe()})"))
        read = ("fe_grams", *(name for name, _ in ways))
        if cp.equivalency is None and cp.volume is None:
            reason = (
                f"{cp.canonical} counts by its package-level flower equivalent, fe_grams; the {plan.rules.state} pack "
                "has no rule to compute one"
            )
            return "fe_grams", reason + _unused(line, *read)
        field = cp.fe_field if cp.equivalency is not None else "volume_ml"
        reason = (
            f"{cp.canonical} has no package-level flower equivalent (fe_grams), so the rule reads "
            + "; ".join(text for _, text in ways)
            + ", and the line has none"
        )
        if cp.equivalency is not None and cp.equivalency.weight_bounds_thc:
            read = (*read, "net_weight_grams")
        return field, reason + _unused(line, *read)

    @staticmethod
    def _measured(line: CartLine, measure: Measure, plan: Plan, member: int) -> float:
        field = _MEASURE_FIELD[measure]
        value = getattr(line, field)
        if value is None:
            raise LineDataError(
                line.line_id,
                field,
                f"limit {plan.limits[member].code!r} counts {measure}, read from {field}; the line has none"
                + _unused(line, field),
            )
        result: float = value * line.quantity
        return result

    def _add_history(
        self,
        plan: Plan,
        history: Iterable[PastLine],
        starts: list[float],
        slot: dict[int, int],
        measures: list[Measure],
        hist_vals: list[list[float]],
        earliest: float,
    ) -> tuple[str, ...]:
        """Add every history line inside some window to the sums of the limits it belongs to; return warnings.

        The hot loop of a check: per sale line one timestamp comparison, one dictionary lookup for its category's
        targets (built once per category and check) and, for MassCIP, one for the multiplier of its Metrc category.
        Returns are set aside and settled against their sales afterwards (:meth:`_give_back`).
        """
        masscip = plan.basis is CountingBasis.MASSCIP
        multipliers = plan.multipliers
        targets: dict[str, tuple[CategoryPlan, _Aims]] = {}
        counted_measure = Measure.COUNTED
        sales: list[tuple[PastLine, CategoryPlan, _Aims]] = []
        returns: list[tuple[PastLine, CategoryPlan, _Aims]] = []
        for past in history:
            if past.__class__ is not PastLine and not isinstance(past, PastLine):
                raise InvalidValueError("history", past, "expected PastLine items")
            ts = past._ts
            if ts < earliest:
                continue  # outside every window: not even looked at
            line = past.line
            entry = targets.get(line._key)
            if entry is None:
                cp = plan.category(line)
                entry = targets[line._key] = (
                    cp,
                    tuple(
                        (slot[m], starts[slot[m]], measures[slot[m]] is counted_measure, m)
                        for m in cp.members
                        if m in slot
                    ),
                )
            cp, aims = entry
            if cp.exempt_rule is not None or (line.exempt and cp.flag_rule is not None):
                continue
            if past._sign < 0.0:
                returns.append((past, cp, aims))
                continue
            sales.append((past, cp, aims))
            counted = None
            for n, start, is_counted, member in aims:
                if ts < start:
                    continue
                if is_counted:
                    if counted is None:
                        gc = line.grams_concentration
                        metrc = line.metrc_category
                        if masscip and gc is not None and metrc is not None:
                            factor = multipliers.get(metrc)
                            if factor is None:
                                factor = multipliers[metrc] = plan.masscip_multiplier(line)
                            counted = gc * factor * line.quantity
                        else:
                            counted = self._counted(plan, cp, line)[0]
                    hist_vals[n].append(counted)
                else:
                    hist_vals[n].append(self._measured(line, measures[n], plan, member))
        return self._give_back(plan, sales, returns, hist_vals) if returns else ()

    def line_amounts(
        self, plan: Plan, line: CartLine, active: Container[int] | None = None
    ) -> tuple[tuple[int, float], ...]:
        """What ``line`` adds to each limit of ``plan`` it belongs to, as ``(limit index, amount)`` pairs; ``()``
        when the line is exempt. ``active`` keeps only those limit indexes (the limits that apply to the customer).

        The one counting path shared by the give-back of returns and by :mod:`fe_compliance.audit`'s running
        sums, so that a replayed sale counts exactly as a checked cart does. The counted amount is computed (and
        its data demanded) whenever the category counts toward some limit, as for a cart line.
        """
        cp = plan.categories.get(line._key) or plan.category(line)
        if cp.exempt_rule is not None or (line.exempt and cp.flag_rule is not None):
            return ()
        counted = self._counted(plan, cp, line)[0] if cp.counts else 0.0
        out: list[tuple[int, float]] = []
        limits = plan.limits
        for member in cp.members:
            if active is not None and member not in active:
                continue
            measure = limits[member].measure
            if measure is Measure.COUNTED:
                out.append((member, counted))
            else:
                out.append((member, self._measured(line, measure, plan, member)))
        return tuple(out)

    def _amounts(self, plan: Plan, cp: CategoryPlan, aims: _Aims, past: PastLine) -> dict[int, float]:
        """What one history line adds to each limit whose window holds it (slot -> amount), the slow way."""
        ts = past._ts
        slots = {member: n for n, start, _, member in aims if ts >= start}
        return {slots[member]: amount for member, amount in self.line_amounts(plan, past.line, slots)}

    def _give_back(
        self,
        plan: Plan,
        sales: list[tuple[PastLine, CategoryPlan, _Aims]],
        returns: list[tuple[PastLine, CategoryPlan, _Aims]],
        hist_vals: list[list[float]],
    ) -> tuple[str, ...]:
        """Settle returns against their sales: a return gives back, in each limit, at most what its sale took there.

        A return names its sale by transaction id and line id. History comes from the POS, and a return whose sale
        is missing, larger than its sale, or of another category would otherwise leave a window with *more* room
        than it had before the sale: a cart allowed because data was missing. So per sale line and per limit the
        engine gives back the returned amount, capped at the amount the sale added to that limit's window; a
        return whose sale is not in the window gives back nothing. Each such case is reported as a warning.
        """
        wanted = {(p.transaction_id, p.line.line_id) for p, _, _ in returns}
        taken: dict[tuple[str, str], dict[int, list[float]]] = {}
        for past, cp, aims in sales:
            key = (past.transaction_id, past.line.line_id)
            if key in wanted:
                per_limit = taken.setdefault(key, {})
                for n, amount in self._amounts(plan, cp, aims, past).items():
                    per_limit.setdefault(n, []).append(amount)
        given: dict[tuple[str, str], dict[int, list[float]]] = {}
        code_of: dict[int, str] = {}
        for past, cp, aims in returns:
            per_limit = given.setdefault((past.transaction_id, past.line.line_id), {})
            for n, amount in self._amounts(plan, cp, aims, past).items():
                per_limit.setdefault(n, []).append(amount)
            code_of.update((n, plan.limits[member].code) for n, _, _, member in aims)
        warnings: list[str] = []
        for (tid, line_id), per_limit in given.items():
            sold = taken.get((tid, line_id))
            if sold is None:
                warnings.append(
                    f"return of line {line_id!r} of transaction {tid!r}: no sale of that line in the history window, "
                    "so it gives nothing back"
                )
                continue
            capped = []
            for n, amounts in per_limit.items():
                took = sold.get(n, [])
                if _sum(amounts) <= _sum(took):
                    hist_vals[n].extend(-amount for amount in amounts)
                else:
                    hist_vals[n].extend(-amount for amount in took)
                    capped.append(code_of[n])
            if capped:
                warnings.append(
                    f"return of line {line_id!r} of transaction {tid!r}: more than the sale counted toward "
                    f"{', '.join(capped)}; only what the sale took is given back"
                )
        return tuple(warnings)


def _status(rule: DatedRule) -> str:
    return "confirmed" if rule.confirmed else "unconfirmed"


def _masscip_rule(entry: Any, standard: float) -> Rule:
    """The rule that counted a MassCIP line: its table entry, with the entry's citation and flag."""
    category = str(entry.masscip_category)
    if category == "flower":
        code = "MA-MASSCIP-FLOWER"
    elif entry.multiplier == standard:
        code = "MA-MASSCIP-5.3"
    else:
        code = "MA-MASSCIP-TABLE"
    summary = f"MassCIP table entry {entry.name!r}: {category}, grams/concentration x{entry.multiplier:g}"
    if entry.flagged:
        summary += f" [{str(entry.status).upper()}]"
    return Rule(code=code, summary=summary, source=entry.source)
