"""New York (flagged, secondary source): adult-use 3 oz of flower and 24 g of concentrate; medical not modelled.

Sources: only the "faster-moving or secondary" list of ``state-rules.md`` (adult-use 3 oz of flower / 24 g of
concentrate; medical a 60-day supply), with no primary citation, no effective date and no sales window, and seed
``001_0f6da1db91b12d45.txt`` (package-level FE counts toward limits). Every rule that carries a number is
UNCONFIRMED (``ny_rec_*``, ``ny_reporting``).

Readings taken where the sources are open or thin:

* Adult-use: a budget of 3 oz (``ny_rec_daily``) and a concentrate sub-cap of 24 g by product weight of
  Concentrate and Combined Inhalable (``ny_rec_concentrate``). The source gives the two amounts side by side; the
  model has no budget restricted to some categories (a budget covers every counted line), so concentrate also
  counts toward the 3 oz, by weight when the line has no package FE (``ny_rec_eq_concentrate``,
  ``ny_rec_eq_cartridge``), the smallest count that still counts it. The pack is therefore stricter than two
  separate limits (3 oz of flower plus 24 g of concentrate on one day is refused); it never sells more.
* Other products (edibles and the rest) have no equivalent in the sources: a line of them needs a package FE.
* Window (UNCONFIRMED): the sources give none. The pack counts the store-local calendar day (restored at local
  midnight): the figures are possession amounts, which a second sale minutes later does not reset, and a day is
  never looser than a single transaction.
* Medical: a "60-day supply" is set per patient by the practitioner's dosing, with no amount in the sources, so
  the model has nothing honest to encode: medical is not modelled (``ny_med_not_researched``) and a medical
  customer is refused with an error, never allowed.
* Real-time reporting: New York is not on the vendor's list of states where batch reporting is not permitted,
  so ``ny_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates (UNCONFIRMED): the pack starts on 2022-12-29, the first day of licensed adult-use retail sales (chosen,
  not in the sources); earlier dates raise.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..equivalency import FlowerEquivalencyDefinition
from ..limits.pack import RulePack
from ..limits.rules import (
    CountingBasis,
    CountingRule,
    Equivalency,
    Limit,
    Measure,
    NotResearched,
    ReportingRule,
    Window,
)
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, FLOWER

__all__ = ["PACK"]

START: Final = dt.date(2022, 12, 29)
SOURCE: Final = "state-rules.md, faster-moving or secondary list: New York (no primary citation found)"
NOTE: Final = "secondary source only; dated from 2022-12-29, the first day of licensed adult-use sales (chosen)"
DAY_NOTE: Final = "a possession amount read as a store-local calendar-day sales limit (the sources give no window)"
_SEPARATE_NOTE: Final = (
    "the source gives concentrate its own amount; the model has no category-restricted budget, so it counts "
    "toward the 3 oz by weight (stricter than the source)"
)


def _fe(code: str, category: str, summary: str, note: str) -> Equivalency:
    return Equivalency(
        code=f"ny_rec_eq_{code}",
        summary=summary,
        citation=SOURCE,
        effective=START,
        confirmed=False,
        note=note,
        definition=FlowerEquivalencyDefinition(
            category, "recreational", "grams_concentration", "1 g", "1 g", source=SOURCE
        ),
    )


PACK: Final = RulePack(
    state="NY",
    name="New York",
    time_zone="America/New_York",
    readings=(
        "Secondary source only; every figure is UNCONFIRMED.",
        "Adult-use: 3 oz budget with a 24 g concentrate sub-cap by weight, per store-local calendar day (no window "
        "in the sources).",
        "The model has no category-restricted budget: concentrate also counts toward the 3 oz, by weight (stricter "
        "than two separate limits).",
        "Edibles and other products have no equivalent in the sources and need a package FE.",
        "Medical (a practitioner-set 60-day supply, no amount given) is not modelled: medical customers are refused "
        "with an error.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="ny_rec_daily",
            summary="at most 3 oz of cannabis flower",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=f"{DAY_NOTE}; concentrate lines count toward it too (model limit); {NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="3 oz",
        ),
        Limit(
            code="ny_rec_concentrate",
            summary="at most 24 g of concentrated cannabis",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=f"product weight of Concentrate and Combined Inhalable lines; {DAY_NOTE}; {NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="24 g",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=(CONCENTRATE, COMBINED_INHALABLE),
        ),
        _fe("flower", FLOWER, "flower counts by its weight", NOTE),
        _fe("concentrate", CONCENTRATE, "concentrate without a package FE counts by its weight", _SEPARATE_NOTE),
        _fe("cartridge", COMBINED_INHALABLE, "vape cartridges count as concentrate, by weight", _SEPARATE_NOTE),
        NotResearched(
            code="ny_med_not_researched",
            summary="medical: a practitioner-set 60-day supply, with no amount in the sources; not modelled",
            citation=SOURCE,
            effective=START,
            confirmed=True,
            note="a day-supply without a gram figure cannot be encoded honestly; medical customers are refused",
            customer_type="medical",
        ),
        CountingRule(
            code="ny_counting",
            summary="lines count by their package-level flower equivalent",
            citation="001_0f6da1db91b12d45.txt, How calculations are applied to products and inventory",
            effective=START,
            confirmed=True,
            customer_type="all",
            basis=CountingBasis.PACKAGE_FE,
        ),
        ReportingRule(
            code="ny_reporting",
            summary="batch reporting to the state tracking system is permitted",
            citation="absence from a POS vendor's list of states where batch is not permitted (state-rules.md)",
            effective=START,
            confirmed=False,
            note="absence from a vendor's list is not a source",
            real_time_required=False,
        ),
    ),
)
"""New York's rule pack."""
