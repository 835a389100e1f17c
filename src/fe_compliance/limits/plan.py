"""Compiled plans: how each category counts under one rule set and customer type, built once and cached.

The engine looks a line's category up here instead of walking the rules: the canonical name (through the pack's
aliases), whether it is exempt, which volume rule or FE definition computes its FE when the line has none, and
which of the limits it belongs to. A plan lives in its rule set's cache, so a store checking thousands of carts
builds it once per period and customer type.
"""

from __future__ import annotations

from typing import Any, Final

from ..categories import CategoryAliases, CustomerType, fold_name
from ..errors import FEComplianceError, UnknownCategoryError
from .errors import LineDataError, line_field
from .lines import LINE_FIELD_FOR_BASED_ON, CartLine
from .pack import RuleSet
from .rules import CountingRule, Equivalency, ExemptProducts, Limit, Measure, VolumeEquivalency

__all__ = ["CategoryPlan", "Plan"]

_BASED_ON_FIELD: Final = LINE_FIELD_FOR_BASED_ON


class CategoryPlan:
    """How lines of one category count under one rule set and customer type (built once, then looked up)."""

    __slots__ = (
        "canonical",
        "counts",
        "equivalency",
        "exempt_rule",
        "fe_field",
        "fe_ratio",
        "flag_rule",
        "members",
        "volume",
    )

    def __init__(
        self,
        canonical: str,
        exempt_rule: ExemptProducts | None,
        flag_rule: ExemptProducts | None,
        volume: VolumeEquivalency | None,
        equivalency: Equivalency | None,
        members: tuple[int, ...],
        counts: bool,
    ) -> None:
        self.canonical = canonical
        self.counts = counts
        """Whether some limit of the plan adds up the counted amount (FE or MassCIP) of this category; when none
        does, a line needs no FE: only the measures of its own limits (product weight, THC, volume) are read."""
        self.exempt_rule = exempt_rule
        self.flag_rule = flag_rule
        self.volume = volume
        self.equivalency = equivalency
        self.fe_ratio = equivalency.definition.ratio if equivalency is not None else 0.0
        self.fe_field = _BASED_ON_FIELD[str(equivalency.definition.based_on)] if equivalency is not None else ""
        self.members = members


class Plan:
    """The limits of one rule set for one customer type, and a per-category lookup table filled on demand."""

    __slots__ = (
        "aliases",
        "basis",
        "categories",
        "counting",
        "entries",
        "known",
        "limits",
        "masscip",
        "masscip_rules",
        "mismatches",
        "multipliers",
        "rules",
        "table",
        "types",
    )

    def __init__(
        self, rules: RuleSet, customer_type: CustomerType, aliases: CategoryAliases, masscip: Any, table: Any
    ) -> None:
        self.rules = rules
        self.table = table
        self.types = customer_type
        self.aliases = aliases
        self.masscip = masscip
        self.counting: CountingRule = rules.counting_rule(customer_type)
        self.basis = self.counting.basis
        self.limits: tuple[Limit, ...] = rules.limits_for(customer_type)
        self.known = {fold_name(c): c for c in rules.pack.categories}
        self.categories: dict[str, CategoryPlan] = {}
        self.multipliers: dict[str, float] = {}
        self.entries: dict[str, Any] = {}
        self.masscip_rules: dict[str, tuple[Any, str]] = {}
        """Per Metrc spelling: the rule that counts its lines (the table entry, cited) and the entry's status."""
        self.mismatches: dict[tuple[str, str], bool] = {}
        """Per (canonical category, Metrc spelling): whether flower meets non-flower."""

    def category(self, line: CartLine) -> CategoryPlan:
        found = self.categories.get(line.category_key)
        if found is None:
            found = self._build(line)
            self.categories[line.category_key] = found
        return found

    def _build(self, line: CartLine) -> CategoryPlan:
        canonical_name = self.aliases.canonical(line.category, field=line_field(line.line_id, "category"))
        key = fold_name(canonical_name)
        canonical = self.known.get(key)
        if canonical is None:
            raise UnknownCategoryError(
                line_field(line.line_id, "category"), line.category, tuple(self.rules.pack.categories)
            )
        ct = self.types
        exempt_rule = flag_rule = None
        for rule in self.rules.exemptions_for(ct):
            if key in {fold_name(c) for c in rule.categories}:
                exempt_rule = rule
            if rule.flag_applies(canonical):
                flag_rule = rule
        volume = next((r for r in self.rules.volume_rules_for(ct) if fold_name(r.category) == key), None)
        equivalency = self._equivalency(key)
        members = tuple(
            i
            for i, limit in enumerate(self.limits)
            if limit.categories is None or key in {fold_name(c) for c in limit.categories}
        )
        counts = any(self.limits[i].measure is Measure.COUNTED for i in members)
        return CategoryPlan(canonical, exempt_rule, flag_rule, volume, equivalency, members, counts)

    def _equivalency(self, key: str) -> Equivalency | None:
        candidates = [e for e in self.rules.equivalencies_for(self.types) if fold_name(e.category) == key]
        specific = [e for e in candidates if e.customer_type is self.types]
        chosen = specific or candidates
        return chosen[0] if chosen else None

    def masscip_multiplier(self, line: CartLine) -> float:
        """MassCIP's multiplier for the line's Metrc category (cached per spelling for the plan's table)."""
        metrc = line.metrc_category
        if metrc is not None:
            cached = self.multipliers.get(metrc)
            if cached is not None:
                return cached
        factor: float = self.masscip_entry(line).multiplier
        return factor

    def masscip_entry(self, line: CartLine) -> Any:
        """The MassCIP table entry (:class:`fe_compliance.masscip.CategoryEntry`) of the line's Metrc category, with
        its multiplier, citation and status (cached per spelling for the plan's table)."""
        metrc = line.metrc_category
        if metrc is None:
            raise LineDataError(
                line.line_id,
                "metrc_category",
                f"the {self.rules.state} pack counts {self.types} lines as MassCIP does, by Metrc item category; "
                "the line has none",
            )
        entry = self.entries.get(metrc)
        if entry is not None:
            return entry
        try:
            table = self.masscip.DEFAULT_TABLE if self.table is None else self.table
            entry = table.counted_entry(metrc)
        except UnknownCategoryError as exc:
            raise UnknownCategoryError(line_field(line.line_id, "metrc_category"), metrc) from exc
        except FEComplianceError as exc:
            raise LineDataError(line.line_id, "metrc_category", str(exc), value=metrc) from exc
        self.entries[metrc] = entry
        self.multipliers[metrc] = entry.multiplier
        return entry
