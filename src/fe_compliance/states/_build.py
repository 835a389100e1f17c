"""Builders the state packs share, so that what is the same in every pack is written once.

Only what is really common lives here: category groupings, the counting and reporting rules most packs state in
the same words from the same sources, and a builder for a pack's FE definitions that takes what they share (code
prefix, customer type, flower amount, citation, dates, flag) once. Each pack still gives its own numbers,
citations, dates and flags; nothing here picks a figure or a reading.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from ..equivalency import FlowerEquivalencyDefinition
from ..limits.errors import InvalidRuleError
from ..limits.rules import CountingBasis, CountingRule, Equivalency, ReportingRule, VolumeEquivalency
from ..limits.vocabulary import (
    COMBINED_INHALABLE,
    CONCENTRATE,
    INFUSED_NON_EDIBLE,
    LIQUID_EDIBLE,
    SOLID_EDIBLE,
    STANDARD_CATEGORIES,
    SUPPOSITORY,
    TINCTURE,
    TOPICAL,
)

__all__ = [
    "CONCENTRATES",
    "INFUSED_PRODUCTS",
    "NOT_CONCENTRATES",
    "OTHER_PRODUCTS",
    "POSSESSION_DAY_NOTE",
    "SEED_001",
    "Equivalents",
    "batch_permitted",
    "categories_except",
    "package_fe_counting",
    "real_time_required",
    "secondary_source",
]

# ------------------------------------------------------------------------------------------------- categories


def categories_except(*excluded: str) -> tuple[str, ...]:
    """The standard categories without ``excluded``, in the standard order (for a budget of "everything else")."""
    for name in excluded:
        if name not in STANDARD_CATEGORIES:
            raise InvalidRuleError("categories", name, "not a standard category")
    return tuple(name for name in STANDARD_CATEGORIES if name not in excluded)


CONCENTRATES: Final = (CONCENTRATE, COMBINED_INHALABLE)
"""Concentrate and vape cartridges (which hold concentrate): what a concentrate cap counts."""
NOT_CONCENTRATES: Final = categories_except(*CONCENTRATES)
"""Every other standard category: what a flower budget beside a separate concentrate limit covers."""
OTHER_PRODUCTS: Final = (
    ("solid_edible", SOLID_EDIBLE),
    ("liquid_edible", LIQUID_EDIBLE),
    ("tincture", TINCTURE),
    ("infused_non_edible", INFUSED_NON_EDIBLE),
    ("suppository", SUPPOSITORY),
)
"""The infused products other than topicals, with the code fragment their rules use (``..._eq_tincture_thc``)."""
INFUSED_PRODUCTS: Final = (*OTHER_PRODUCTS, ("topical", TOPICAL))
"""Every infused product, topicals included, with its code fragment."""

# -------------------------------------------------------------------------------------------- source wording

SEED_001: Final = "001_0f6da1db91b12d45.txt, How calculations are applied to products and inventory"
"""The seed that makes package-level FE what counts toward limits."""
POSSESSION_DAY_NOTE: Final = (
    "a possession amount read as a store-local calendar-day sales limit (the sources give no window)"
)
"""The note of a limit the sources give as a possession amount with no sales window (IL, AZ, OH, NY, NV)."""
_VENDOR_LIST: Final = "POS vendor statement listing states where batch reporting is not permitted (state-rules.md)"
_NOT_ON_VENDOR_LIST: Final = "absence from a POS vendor's list of states where batch is not permitted (state-rules.md)"


def secondary_source(state_name: str) -> str:
    """The citation of a figure found only in the secondary list of ``state-rules.md``."""
    return f"state-rules.md, faster-moving or secondary list: {state_name} (no primary citation found)"


# ------------------------------------------------------------------------------------- counting and reporting


def package_fe_counting(prefix: str, effective: dt.date) -> CountingRule:
    """``<prefix>_counting``: every customer's lines count by their package-level FE (seed 001), confirmed."""
    return CountingRule(
        code=f"{prefix}_counting",
        summary="lines count by their package-level flower equivalent",
        citation=SEED_001,
        effective=effective,
        confirmed=True,
        customer_type="all",
        basis=CountingBasis.PACKAGE_FE,
    )


def real_time_required(
    prefix: str, effective: dt.date, *, note: str = "a vendor's list, not a primary source"
) -> ReportingRule:
    """``<prefix>_reporting`` for a state on the vendor's list where batch is not permitted (UNCONFIRMED: a vendor's
    word, not a primary source)."""
    return ReportingRule(
        code=f"{prefix}_reporting",
        summary="sales must be reported to the state tracking system in real time (batch not permitted)",
        citation=_VENDOR_LIST,
        effective=effective,
        confirmed=False,
        note=note,
        real_time_required=True,
    )


def batch_permitted(prefix: str, effective: dt.date) -> ReportingRule:
    """``<prefix>_reporting`` for a state absent from the vendor's list (UNCONFIRMED: absence is not a source)."""
    return ReportingRule(
        code=f"{prefix}_reporting",
        summary="batch reporting to the state tracking system is permitted",
        citation=_NOT_ON_VENDOR_LIST,
        effective=effective,
        confirmed=False,
        note="absence from a vendor's list is not a source",
        real_time_required=False,
    )


# ------------------------------------------------------------------------------------------- FE definitions


@attrs.frozen(slots=True, kw_only=True)
class Equivalents:
    """Builds the FE-definition rules of one pack for one customer type and period.

    What the rules share is given once: codes ``<prefix>_eq_<name>``, the customer type, the ``flower`` amount every
    definition equates to, the citation (also the definition's ``source``), dates, the confirmed flag and note.
    A call gives what differs, and may override the citation, source, flag or note of that one rule::

        md = Equivalents(prefix="md_med", customer_type="medical", flower="120 g", citation=SOURCE,
                         effective=START, confirmed=False, note=NOTE)
        md("tincture_thc", TINCTURE, "potency", "36 g", "36 g of THC in other products = 120 g of flower")
        md.by_weight("flower", FLOWER, "flower counts by its weight")
    """

    prefix: str
    customer_type: str
    flower: str
    citation: str
    effective: dt.date
    confirmed: bool
    note: str = ""
    until: dt.date | None = None

    def __call__(
        self,
        name: str,
        category: str,
        based_on: str,
        amount: str,
        summary: str,
        *,
        citation: str | None = None,
        source: str | None = None,
        confirmed: bool | None = None,
        note: str | None = None,
    ) -> Equivalency:
        """``amount`` of ``category`` (read by ``based_on``) equals the builder's ``flower`` amount of flower."""
        cited = self.citation if citation is None else citation
        return Equivalency(
            code=f"{self.prefix}_eq_{name}",
            summary=summary,
            citation=cited,
            effective=self.effective,
            until=self.until,
            confirmed=self.confirmed if confirmed is None else confirmed,
            note=self.note if note is None else note,
            definition=FlowerEquivalencyDefinition(
                category, self.customer_type, based_on, amount, self.flower, source=cited if source is None else source
            ),
        )

    def by_weight(
        self,
        name: str,
        category: str,
        summary: str,
        *,
        citation: str | None = None,
        confirmed: bool | None = None,
        note: str | None = None,
    ) -> Equivalency:
        """``category`` counts by its own weight (grams/concentration, ratio 1): flower, or concentrate read as such."""
        return self(
            name,
            category,
            "grams_concentration",
            self.flower,
            summary,
            citation=citation,
            confirmed=confirmed,
            note=note,
        )

    def volume(self, name: str, category: str, volume: str, summary: str) -> VolumeEquivalency:
        """``volume`` of ``category`` equals the builder's ``flower`` amount (a volume rule, not an FE definition)."""
        return VolumeEquivalency(
            code=f"{self.prefix}_eq_{name}",
            summary=summary,
            citation=self.citation,
            effective=self.effective,
            until=self.until,
            confirmed=self.confirmed,
            note=self.note,
            category=category,
            customer_type=self.customer_type,
            volume=volume,
            equivalent_flower=self.flower,
        )
