"""A state's rule pack, and the rules of it in force on one day.

A :class:`RulePack` holds every version of every rule of one state, each dated. The pack cuts its history into
periods at every date a rule starts or stops; :meth:`RulePack.in_force` returns the :class:`RuleSet` of the
period containing a day. All periods are built and checked when the pack is built (a pack that contradicts itself
fails at import, not at a checkout), and each rule set is built once and reused, so looking rules up per sale
costs a bisection.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from ..categories import CategoryAliases, CustomerType, fold_name
from ..equivalency import DefinitionSet
from ..errors import FEComplianceError, InvalidValueError
from .errors import InvalidRuleError, NoRulesInForceError
from .rules import (
    CountingRule,
    DatedRule,
    Equivalency,
    ExemptProducts,
    Limit,
    LimitKind,
    NotResearched,
    ReportingRule,
    VolumeEquivalency,
    applies_to,
)
from .timeutil import as_date, resolve_zone
from .vocabulary import STANDARD_ALIASES, STANDARD_CATEGORIES

__all__ = ["RulePack", "RuleSet"]

_STATE = re.compile(r"^[A-Z]{2}$")
_R = TypeVar("_R", bound=DatedRule)
_CUSTOMERS = (CustomerType.MEDICAL, CustomerType.RECREATIONAL)


def _rules(values: Iterable[DatedRule]) -> tuple[DatedRule, ...]:
    result = tuple(values)
    for value in result:
        if not isinstance(value, DatedRule):
            raise InvalidRuleError("rules", value, "expected rule objects (Limit, Equivalency, ...)")
    return result


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _served(customer_type: object) -> CustomerType:
    """The type of a customer being served: medical or recreational, never ``ALL``.

    Every ``*_for`` lookup answers "what applies to this customer", which includes the rules written for all
    customers. ``ALL`` is not a customer: reading it as "every rule" or as "only the rules typed ALL" were both
    plausible, and the second lets a check pass while looking at nothing, so it is refused.
    """
    ct = CustomerType.parse(customer_type)
    if ct is CustomerType.ALL:
        raise InvalidValueError(
            "customer_type",
            customer_type,
            "ask for the customer being served ('medical' or 'recreational'; rules for all customers are included); "
            "for every rule of a kind whatever its customer type, use of_type(Limit)",
        )
    return ct


@attrs.frozen(slots=True, eq=False)
class RuleSet:
    """The rules of one pack in force from ``valid_from`` up to (not including) ``valid_until``.

    Lookups (``limits_for``, ``budgets_for``, ``equivalencies_for``, ...) take the customer type of the customer
    being served, medical or recreational, and return the rules for that type together with the rules for ``ALL``;
    where a definition exists both for a type and for ``ALL`` the specific one wins. Asking for ``ALL`` itself is
    an error (it is not a customer); :meth:`of_type` gives every rule of a kind whatever its customer type.
    """

    pack: RulePack
    valid_from: dt.date
    valid_until: dt.date | None
    rules: tuple[DatedRule, ...]
    _cache: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def state(self) -> str:
        return self.pack.state

    def of_type(self, kind: type[_R]) -> tuple[_R, ...]:
        return tuple(rule for rule in self.rules if isinstance(rule, kind))

    def limits_for(self, customer_type: object) -> tuple[Limit, ...]:
        """Every limit that applies to a ``customer_type`` customer: its own and those for all customers."""
        ct = _served(customer_type)
        return tuple(r for r in self.of_type(Limit) if applies_to(r.customer_type, ct))

    def budgets_for(self, customer_type: object) -> tuple[Limit, ...]:
        return tuple(r for r in self.limits_for(customer_type) if r.kind is LimitKind.BUDGET)

    def sub_caps_for(self, customer_type: object) -> tuple[Limit, ...]:
        return tuple(r for r in self.limits_for(customer_type) if r.kind is LimitKind.SUB_CAP)

    def equivalencies_for(self, customer_type: object) -> tuple[Equivalency, ...]:
        ct = _served(customer_type)
        return tuple(r for r in self.of_type(Equivalency) if applies_to(r.customer_type, ct))

    def definitions(self) -> DefinitionSet:
        """Every FE definition in force, as a definition set (lookups fall back from a type to ``ALL``)."""
        key = "definitions"
        if key not in self._cache:
            self._cache[key] = DefinitionSet(tuple(r.definition for r in self.of_type(Equivalency)), self.pack.aliases)
        found: DefinitionSet = self._cache[key]
        return found

    def volume_rules_for(self, customer_type: object) -> tuple[VolumeEquivalency, ...]:
        ct = _served(customer_type)
        return tuple(r for r in self.of_type(VolumeEquivalency) if applies_to(r.customer_type, ct))

    def exemptions_for(self, customer_type: object) -> tuple[ExemptProducts, ...]:
        ct = _served(customer_type)
        return tuple(r for r in self.of_type(ExemptProducts) if applies_to(r.customer_type, ct))

    def not_researched(self, customer_type: object) -> NotResearched | None:
        ct = _served(customer_type)
        for rule in self.of_type(NotResearched):
            if applies_to(rule.customer_type, ct):
                return rule
        return None

    def counting_rule(self, customer_type: object) -> CountingRule:
        """The counting basis for ``customer_type``; a rule for the type itself wins over one for ``ALL``."""
        ct = _served(customer_type)
        found = [r for r in self.of_type(CountingRule) if applies_to(r.customer_type, ct)]
        specific = [r for r in found if r.customer_type is ct]
        chosen = specific or found
        if not chosen:
            raise NoRulesInForceError(
                f"customer_type: the {self.state} pack has no counting rule for {ct} customers "
                f"in force {self._period()}",
                field="customer_type",
                value=ct,
            )
        return chosen[0]

    @property
    def reporting(self) -> ReportingRule | None:
        found = self.of_type(ReportingRule)
        return found[0] if found else None

    @property
    def real_time_required(self) -> bool | None:
        """Whether real-time reporting is required (``None`` when the pack has no reporting rule then)."""
        rule = self.reporting
        return None if rule is None else rule.real_time_required

    @property
    def unconfirmed(self) -> tuple[DatedRule, ...]:
        return tuple(r for r in self.rules if not r.confirmed)

    def covers(self, customer_type: object) -> bool:
        """True when the set has limits for ``customer_type`` and does not mark it as not researched."""
        ct = _served(customer_type)
        return self.not_researched(ct) is None and bool(self.budgets_for(ct))

    def _period(self) -> str:
        end = f" until {self.valid_until.isoformat()}" if self.valid_until else ""
        return f"from {self.valid_from.isoformat()}{end}"

    def __repr__(self) -> str:
        return f"<RuleSet {self.state} {self._period()}: {len(self.rules)} rules>"


@attrs.frozen(slots=True, eq=False)
class RulePack:
    """Every dated rule of one state. ``readings`` says, one sentence each, which reading the pack took where its
    sources conflict or are silent; the docs page shows them next to the rules.

    ``categories`` are the canonical purchase-limit categories the pack knows and ``aliases`` the other names
    that mean them; a line whose category is neither is refused by the engine.
    """

    state: str = attrs.field()
    name: str = attrs.field()
    time_zone: str = attrs.field()
    rules: tuple[DatedRule, ...] = attrs.field(converter=_rules)
    readings: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    aliases: CategoryAliases = attrs.field(default=STANDARD_ALIASES)
    categories: tuple[str, ...] = attrs.field(default=STANDARD_CATEGORIES, converter=_strings)
    _boundaries: tuple[dt.date, ...] = attrs.field(init=False, repr=False)
    _sets: tuple[RuleSet, ...] = attrs.field(init=False, repr=False)
    _zone: dt.tzinfo = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.state, str) or not _STATE.match(self.state):
            raise InvalidRuleError("state", self.state, "expected a two-letter upper-case state code")
        if not self.rules:
            raise InvalidRuleError("rules", self.rules, f"the {self.state} pack has no rules")
        object.__setattr__(self, "_zone", resolve_zone(self.time_zone, field="time_zone"))
        self._check_categories()
        self._check_versions()
        dates = sorted({r.effective for r in self.rules} | {r.until for r in self.rules if r.until is not None})
        object.__setattr__(self, "_boundaries", tuple(dates))
        sets = []
        for i, start in enumerate(dates):
            end = dates[i + 1] if i + 1 < len(dates) else None
            in_force = tuple(r for r in self.rules if r.in_force(start))
            rule_set = RuleSet(self, start, end, in_force)
            self._check_period(rule_set)
            sets.append(rule_set)
        object.__setattr__(self, "_sets", tuple(sets))

    # ---------------------------------------------------------------------------------------------- validation

    def _check_categories(self) -> None:
        known = {fold_name(c) for c in self.categories}
        for rule in self.rules:
            names: Iterable[str] = ()
            if isinstance(rule, Limit):
                names = rule.categories or ()
            elif isinstance(rule, ExemptProducts):
                names = (*rule.categories, *(rule.flag_categories or ()))
            elif isinstance(rule, (VolumeEquivalency, Equivalency)):
                names = (rule.category,)
            for name in names:
                if fold_name(name) not in known:
                    raise InvalidRuleError(
                        "categories", name, f"rule {rule.code!r} names a category the {self.state} pack does not know"
                    )

    def _check_versions(self) -> None:
        by_code: dict[str, list[DatedRule]] = {}
        for rule in self.rules:
            by_code.setdefault(rule.code, []).append(rule)
        for code, versions in by_code.items():
            if len({type(v) for v in versions}) > 1:
                raise InvalidRuleError("code", code, "versions of one rule must be of one kind")
            versions.sort(key=lambda r: r.effective)
            for earlier, later in itertools.pairwise(versions):
                if earlier.until is None or earlier.until > later.effective:
                    raise InvalidRuleError(
                        "effective", later.effective, f"versions of rule {code!r} overlap; end the earlier one first"
                    )

    def _check_period(self, rule_set: RuleSet) -> None:
        try:
            rule_set.definitions()
        except FEComplianceError as exc:
            raise InvalidRuleError("rules", self.state, f"two equivalencies share a key: {exc}") from exc
        if len(rule_set.of_type(ReportingRule)) > 1:
            raise InvalidRuleError("rules", self.state, "more than one reporting rule in force at once")
        for ct in (*_CUSTOMERS, CustomerType.ALL):
            exact = [r for r in rule_set.of_type(CountingRule) if r.customer_type is ct]
            if len(exact) > 1:
                raise InvalidRuleError("rules", self.state, f"more than one counting rule for {ct} at once")
            volume = [r for r in rule_set.of_type(VolumeEquivalency) if r.customer_type is ct]
            if len({fold_name(r.category) for r in volume}) != len(volume):
                raise InvalidRuleError("rules", self.state, f"two volume rules for one category for {ct} at once")
        for ct in _CUSTOMERS:
            self._check_coverage(rule_set, ct)

    def _check_coverage(self, rule_set: RuleSet, ct: CustomerType) -> None:
        """Every category must be exempt or reach an enforced limit: once budgets may cover some categories only,
        a category outside all of them would otherwise sell without any limit."""
        if rule_set.not_researched(ct) is not None or not rule_set.budgets_for(ct):
            return
        exempt = {fold_name(c) for r in rule_set.exemptions_for(ct) for c in r.categories}
        limits = [r for r in rule_set.limits_for(ct) if r.enforced]
        if any(r.categories is None for r in limits):
            return
        covered = {fold_name(c) for r in limits for c in r.categories or ()}
        for category in self.categories:
            key = fold_name(category)
            if key not in exempt and key not in covered:
                raise InvalidRuleError(
                    "categories",
                    category,
                    f"in the {self.state} period {rule_set._period()}, {ct} lines of this category would count "
                    "toward no enforced limit; add it to a budget or a sub-cap, or exempt it",
                )

    # ------------------------------------------------------------------------------------------------- lookups

    @property
    def zone(self) -> dt.tzinfo:
        """The state's time zone (the default store zone for the engine)."""
        return self._zone

    @property
    def earliest(self) -> dt.date:
        """The first day any rule of the pack applies."""
        return self._boundaries[0]

    @property
    def change_dates(self) -> tuple[dt.date, ...]:
        """Every date a rule starts or stops, in order."""
        return self._boundaries

    @property
    def periods(self) -> tuple[RuleSet, ...]:
        return self._sets

    def in_force(self, on: object) -> RuleSet:
        """The rules in force on ``on`` (a date; or a datetime, taken in the pack's zone when aware)."""
        day = as_date(on, field="on", zone=self._zone)
        if day < self.earliest:
            raise NoRulesInForceError(
                f"on: no {self.state} rule is in force on {day.isoformat()}; "
                f"the earliest rule starts {self.earliest.isoformat()}",
                field="on",
                value=on,
            )
        index = bisect.bisect_right(self._boundaries, day) - 1
        return self._sets[index]

    def rule(self, code: str, on: object | None = None) -> DatedRule:
        """The rule ``code`` (the version in force on ``on``, or the latest version)."""
        versions = [r for r in self.rules if r.code == code]
        if on is not None:
            day = as_date(on, field="on", zone=self._zone)
            versions = [r for r in versions if r.in_force(day)]
        if not versions:
            raise NoRulesInForceError(
                f"code: the {self.state} pack has no rule {code!r} then", field="code", value=code
            )
        return max(versions, key=lambda r: r.effective)

    def __repr__(self) -> str:
        return f"<RulePack {self.state} ({self.name}): {len(self.rules)} rules, from {self.earliest.isoformat()}>"
