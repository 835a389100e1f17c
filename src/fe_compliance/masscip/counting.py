"""Counting a package the way MassCIP does: grams/concentration, times 5.3 for non-flower categories.

Three faces of one rule, which always agree:

- :func:`masscip_grams` takes a Quantity or a string (``"1 g"``, ``"500 mg"``) and returns a Quantity in grams;
- :func:`masscip_grams_float` and :func:`multiplier_for` are the float fast path for an engine that counts many lines
  (one dict lookup and one multiply; no pint);
- :func:`explain_masscip` returns a :class:`MassCIPResult` that carries the input, the table entry, the rule with its
  citation and the steps, for a compliance officer to read.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from ..errors import InvalidQuantityError
from ..explain import Rule
from ..units import grams_quantity, mass_to_grams
from .defaults import DEFAULT_TABLE
from .rules import MULTIPLIER, RULE_BASIS, RULE_FLOWER, RULE_NON_FLOWER
from .table import CategoryEntry, CategoryTable, MassCIPCategory

__all__ = ["MassCIPResult", "explain_masscip", "masscip_grams", "masscip_grams_float", "multiplier_for"]

_GRAMS_FIELD = "grams_concentration"
_INF = math.inf


def multiplier_for(category: str, table: CategoryTable = DEFAULT_TABLE) -> float:
    """The MassCIP multiplier of a Metrc category: 1.0 for flower, 5.3 for non-flower.

    Cached per spelling inside the table, so a limit engine may call it for every cart line. Raises
    :class:`~fe_compliance.masscip.UnknownMassCIPCategoryError` for a category the table does not list, and
    :class:`~fe_compliance.masscip.NotCountedCategoryError` for plants, clones and seeds.
    """
    return table.multiplier(category)


def _checked_grams(grams: object) -> float:
    if isinstance(grams, bool) or not isinstance(grams, (int, float)):
        raise InvalidQuantityError(_GRAMS_FIELD, grams, "expected a number of grams")
    if not 0.0 <= grams < math.inf:  # also refuses NaN, which fails every comparison
        reason = "must not be negative" if grams < 0 else "must be a finite amount"
        raise InvalidQuantityError(_GRAMS_FIELD, grams, reason)
    return float(grams)


def masscip_grams_float(category: str, grams: float, *, table: CategoryTable = DEFAULT_TABLE) -> float:
    """Fast path: MassCIP grams of ``grams`` grams/concentration of ``category``, as a float.

    ``grams`` must already be grams (a finite, non-negative number); use :func:`masscip_grams` for amounts with units.
    """
    multiplier = table.multiplier(category)
    if grams.__class__ is float and 0.0 <= grams < _INF:  # the common case, checked without a call
        return grams * multiplier
    return _checked_grams(grams) * multiplier


def masscip_grams(category: str, grams_concentration: object, *, table: CategoryTable = DEFAULT_TABLE) -> Any:
    """MassCIP grams of a package, as a Quantity in grams.

    ``masscip_grams("Buds", "3.5 g")`` is 3.5 g; ``masscip_grams("Concentrate", "1 g")`` is 5.3 g.
    ``grams_concentration`` is a Quantity (of any pint registry) or a string; it must be a finite, non-negative mass
    (percentages, volumes, counts and bare numbers are refused with
    :class:`~fe_compliance.errors.InvalidQuantityError`).
    """
    multiplier = table.multiplier(category)
    grams = mass_to_grams(grams_concentration, field=_GRAMS_FIELD)
    return grams_quantity(grams * multiplier)


def _fmt(number: float) -> str:
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text


@attrs.frozen(slots=True)
class MassCIPResult:
    """One package counted by the MassCIP rule, with everything needed to check the number by hand."""

    category: str
    """The category as the caller gave it."""
    entry: CategoryEntry
    """The table entry it matched."""
    grams_concentration: object
    """The amount as the caller gave it (a Quantity or a string)."""
    input_grams: float
    """That amount in grams."""
    multiplier: float
    grams: float
    """MassCIP grams: ``input_grams * multiplier``."""
    rule: Rule
    basis: Rule
    lines: tuple[str, ...]

    @property
    def quantity(self) -> Any:
        """:attr:`grams` as a Quantity in grams."""
        return grams_quantity(self.grams)

    @property
    def citation(self) -> str:
        return self.rule.citation

    def explain(self) -> str:
        return "\n".join(self.lines)

    def __str__(self) -> str:
        return self.explain()


def explain_masscip(
    category: str, grams_concentration: object, *, table: CategoryTable = DEFAULT_TABLE
) -> MassCIPResult:
    """Count one package like :func:`masscip_grams` and say how: the entry matched, the rule, the arithmetic."""
    entry = table.counted_entry(category)
    multiplier = entry.multiplier
    assert multiplier is not None  # counted_entry guarantees it
    input_grams = mass_to_grams(grams_concentration, field=_GRAMS_FIELD)
    grams = input_grams * multiplier
    flower = entry.masscip_category is MassCIPCategory.FLOWER
    if flower:
        rule = RULE_FLOWER
    elif multiplier == MULTIPLIER:
        rule = RULE_NON_FLOWER
    else:  # a caller's table with its own multiplier: cite the entry, not the seed's 5.3
        rule = Rule(
            code="MA-MASSCIP-TABLE",
            summary=f"the caller's table multiplies {entry.name!r} by {_fmt(multiplier)}",
            source=entry.source,
        )
    shown = grams_concentration if isinstance(grams_concentration, str) else str(grams_concentration)
    lines = [
        f"grams/concentration: {shown} = {_fmt(input_grams)} g",
        f"Metrc category {category!r} matches table entry {entry.name!r}: MassCIP {entry.masscip_category} "
        f"[{entry.status}; {entry.source}]",
        f"basis: {RULE_BASIS.summary} [{RULE_BASIS.citation}]",
    ]
    if flower:
        lines.append(f"flower counts as it is: {_fmt(input_grams)} g x 1 = {_fmt(grams)} g [{rule.citation}]")
    else:
        lines.append(
            f"non-flower is multiplied: {_fmt(input_grams)} g x {_fmt(multiplier)} = {_fmt(grams)} g [{rule.citation}]"
        )
    if entry.flagged:
        lines.append(f"flag ({entry.status}): {entry.note}")
    return MassCIPResult(
        category=category,
        entry=entry,
        grams_concentration=grams_concentration,
        input_grams=input_grams,
        multiplier=multiplier,
        grams=grams,
        rule=rule,
        basis=RULE_BASIS,
        lines=tuple(lines),
    )
