"""New York (flagged, secondary source): adult-use 3 oz of flower and 24 g of concentrate; medical not modelled.

Sources: only the "faster-moving or secondary" list of ``state-rules.md`` (adult-use 3 oz of flower / 24 g of
concentrate; medical a 60-day supply), with no primary citation, no effective date and no sales window, and seed
``001_0f6da1db91b12d45.txt`` (package-level FE counts toward limits). Every rule that carries a number is
UNCONFIRMED (``ny_rec_*``, ``ny_reporting``).

Readings taken where the sources are open or thin:

* Adult-use: 3 oz of flower and 24 g of concentrate, read as two separate limits. The source lists them with a
  slash, each amount tied to its category, as it lists Ohio's separately tracked amounts; where it means one
  amount inside or instead of another it says so ("of which" for Arizona and Michigan, "or" for Nevada and
  Maryland). The 3 oz is a budget of the non-concentrate categories (``ny_rec_daily``): flower by weight
  (``ny_rec_eq_flower``) and every other non-concentrate product by its package FE. The 24 g is a cap by product
  weight of Concentrate and Combined Inhalable (``ny_rec_concentrate``), which does not count toward the 3 oz.
  So 3 oz of flower and 24 g of concentrate on one day are sold, and a gram more of either is not. An allotment
  override replaces the 3 oz budget, never the concentrate cap.
* Other products (edibles and the rest) have no equivalent in the sources: a line of them needs a package FE,
  and it counts toward the 3 oz (a reading: the sources name only flower and concentrate; counting them is never
  looser than leaving them without a limit).
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

from ..limits.pack import RulePack
from ..limits.rules import Limit, LimitKind, Measure, NotResearched, Window
from ..limits.vocabulary import FLOWER
from ._build import (
    CONCENTRATES,
    NOT_CONCENTRATES,
    POSSESSION_DAY_NOTE,
    Equivalents,
    batch_permitted,
    package_fe_counting,
    secondary_source,
)

__all__ = ["PACK"]

START: Final = dt.date(2022, 12, 29)
SOURCE: Final = secondary_source("New York")
NOTE: Final = "secondary source only; dated from 2022-12-29, the first day of licensed adult-use sales (chosen)"
DAY_NOTE: Final = POSSESSION_DAY_NOTE


_fe: Final = Equivalents(
    prefix="ny_rec",
    customer_type="recreational",
    flower="1 g",
    citation=SOURCE,
    effective=START,
    confirmed=False,
    note=NOTE,
)

PACK: Final = RulePack(
    state="NY",
    name="New York",
    time_zone="America/New_York",
    readings=(
        "Secondary source only; every figure is UNCONFIRMED.",
        "Adult-use: 3 oz of flower and 24 g of concentrate by weight as two separate limits (the source ties each "
        "amount to its category, without 'of which' or 'or'), per store-local calendar day (no window in the "
        "sources).",
        "The 3 oz budget covers every category but concentrate; concentrate counts only toward its own 24 g cap.",
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
            note=f"every category but concentrate, other products by package FE; {DAY_NOTE}; {NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="3 oz",
            categories=NOT_CONCENTRATES,
            kind=LimitKind.BUDGET,
        ),
        Limit(
            code="ny_rec_concentrate",
            summary="at most 24 g of concentrated cannabis",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=(
                f"product weight of Concentrate and Combined Inhalable lines, which do not count toward the 3 oz; "
                f"{DAY_NOTE}; {NOTE}"
            ),
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="24 g",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=CONCENTRATES,
        ),
        _fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        NotResearched(
            code="ny_med_not_researched",
            summary="medical: a practitioner-set 60-day supply, with no amount in the sources; not modelled",
            citation=SOURCE,
            effective=START,
            confirmed=True,
            note="a day-supply without a gram figure cannot be encoded honestly; medical customers are refused",
            customer_type="medical",
        ),
        package_fe_counting("ny", START),
        batch_permitted("ny", START),
    ),
)
"""New York's rule pack."""
