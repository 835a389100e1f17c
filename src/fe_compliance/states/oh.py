"""Ohio (flagged, secondary source): adult-use 2.5 oz of plant material and 15 g of extract, tracked separately;
medical not modelled.

Sources: only the "faster-moving or secondary" list of ``state-rules.md`` (adult-use 2.5 oz / 15 g extract tracked
separately; medical a 90-day supply in two 45-day fills), with no primary citation, no effective date and no sales
window, and seed ``001_0f6da1db91b12d45.txt`` (package-level FE counts toward limits). ``state-rules.md`` also
reports that Ohio changed its rules in 2025 without giving the new figures or the date: this pack may be out of
date, and every rule that carries a number is UNCONFIRMED (``oh_rec_*``, ``oh_reporting``).

Readings taken where the sources are open or thin:

* Adult-use: 2.5 oz of plant material and 15 g of extract, "tracked separately": two separate limits, which the
  pack keeps apart. The 2.5 oz is a budget of the non-extract categories (``oh_rec_daily``): plant material by
  weight (``oh_rec_eq_flower``) and every other non-extract product by its package FE. The 15 g is a cap by
  product weight of Concentrate and Combined Inhalable (``oh_rec_extract``), which does not count toward the
  2.5 oz. So 2.5 oz of flower and 15 g of extract on one day are sold, and a gram more of either is not. An
  allotment override replaces the 2.5 oz budget, never the extract cap.
* Other products (edibles, tinctures, topicals and the rest) have no equivalent in the sources: a line of them
  needs a package FE, and it counts toward the 2.5 oz (a reading: the sources name only plant material and
  extract; counting them is never looser than leaving them without a limit).
* Window (UNCONFIRMED): the sources give none. The pack counts the store-local calendar day (restored at local
  midnight): the figures are possession amounts, which a second sale minutes later does not reset, and a day is
  never looser than a single transaction.
* Medical: a "90-day supply in two 45-day fills" is a day-supply whose amount in grams the sources do not give,
  so the model has nothing honest to encode: medical is not modelled (``oh_med_not_researched``) and a medical
  customer is refused with an error, never allowed.
* Real-time reporting: Ohio is not on the vendor's list of states where batch reporting is not permitted, so
  ``oh_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates (UNCONFIRMED): the pack starts on 2024-08-06, the first day of adult-use retail sales (chosen, not in
  the sources); earlier dates raise.
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

START: Final = dt.date(2024, 8, 6)
SOURCE: Final = secondary_source("Ohio")
NOTE: Final = (
    "secondary source only; dated from 2024-08-06, the first day of adult-use sales (chosen); a 2025 change is "
    "reported but not given"
)
DAY_NOTE: Final = POSSESSION_DAY_NOTE


_fe: Final = Equivalents(
    prefix="oh_rec",
    customer_type="recreational",
    flower="1 g",
    citation=SOURCE,
    effective=START,
    confirmed=False,
    note=NOTE,
)

PACK: Final = RulePack(
    state="OH",
    name="Ohio",
    time_zone="America/New_York",
    readings=(
        "Secondary source only; every figure is UNCONFIRMED and a reported 2025 change is not modelled.",
        "Adult-use: 2.5 oz of plant material and 15 g of extract by weight, tracked separately as the source says, "
        "per store-local calendar day (no window in the sources).",
        "The 2.5 oz budget covers every category but extract; extract counts only toward its own 15 g cap.",
        "Edibles and other products have no equivalent in the sources and need a package FE.",
        "Medical (a 90-day supply in two 45-day fills, no amount given) is not modelled: medical customers are "
        "refused with an error.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="oh_rec_daily",
            summary="at most 2.5 oz of plant material",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=f"every category but extract, other products by package FE; {DAY_NOTE}; {NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="2.5 oz",
            categories=NOT_CONCENTRATES,
            kind=LimitKind.BUDGET,
        ),
        Limit(
            code="oh_rec_extract",
            summary="at most 15 g of extract, tracked separately from plant material",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=(
                f"product weight of Concentrate and Combined Inhalable lines, which do not count toward the 2.5 oz; "
                f"{DAY_NOTE}; {NOTE}"
            ),
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="15 g",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=CONCENTRATES,
        ),
        _fe.by_weight("flower", FLOWER, "plant material counts by its weight"),
        NotResearched(
            code="oh_med_not_researched",
            summary=("medical: a 90-day supply in two 45-day fills, with no amount in the sources; not modelled"),
            citation=SOURCE,
            effective=START,
            confirmed=True,
            note="a day-supply without a gram figure cannot be encoded honestly; medical customers are refused",
            customer_type="medical",
        ),
        package_fe_counting("oh", START),
        batch_permitted("oh", START),
    ),
)
"""Ohio's rule pack."""
