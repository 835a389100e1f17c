"""Connecticut (flagged, secondary source): adult-use 1/2 oz per transaction from 2023-12-01; medical 5 oz per
month.

Sources: only the "faster-moving or secondary" list of ``state-rules.md`` (adult-use 1/2 oz per transaction from
2023-12-01; medical 5 oz per month), with no primary citation; seed ``001_0f6da1db91b12d45.txt`` (package-level FE
counts toward limits). Every rule that carries a number is UNCONFIRMED (``ct_rec_*``, ``ct_med_*``,
``ct_reporting``).

Readings taken where the sources are open or thin:

* Adult-use: one combined budget of 1/2 oz per transaction from 2023-12-01 (``ct_rec_transaction``). Earlier
  adult-use limits are not in the sources, so the pack starts that day and earlier dates raise. The sources give
  no equivalents between categories: flower counts by weight (``ct_rec_eq_flower``), and a line of any other
  category needs a package FE.
* Medical: 5 oz "per month" (``ct_med_monthly``). The sources say neither rolling 30 days nor a calendar month.
  A calendar month (``Window.calendar_month()``) is a plausible reading, but it lets a patient buy 5 oz on
  31 January and 5 oz more on 1 February, 10 oz in two days, which any rolling reading forbids. The pack counts
  a rolling 31 store-local days instead (a purchase on day 1 is restored on day 32). Two sales in one calendar
  month are at most 30 days apart, so this window never allows more than a calendar month would, nor more than
  rolling 30 days would. The price is refusing some sales a calendar-month reading allows (5 oz on 15 January and
  again on 14 February). A physician's adjustment is the customer's allotment override. Flower counts by weight
  (``ct_med_eq_flower``); other products need a package FE. The medical rule's effective date is not in the
  sources: it is dated with the pack, from 2023-12-01.
* Real-time reporting: Connecticut is not on the vendor's list of states where batch reporting is not permitted,
  so ``ct_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import Equivalency, Limit, Window
from ..limits.vocabulary import FLOWER
from ._build import Equivalents, batch_permitted, package_fe_counting, secondary_source

__all__ = ["PACK"]

START: Final = dt.date(2023, 12, 1)
SOURCE: Final = secondary_source("Connecticut")
NOTE: Final = "secondary source only"
MONTH_NOTE: Final = (
    "'per month' read as rolling 31 store-local days (restored on day 32), never looser than a calendar month or "
    "rolling 30 days; effective date not in the sources, dated with the pack from 2023-12-01"
)


def _flower(prefix: str, customer_type: str) -> Equivalency:
    fe = Equivalents(
        prefix=prefix,
        customer_type=customer_type,
        flower="1 g",
        citation=SOURCE,
        effective=START,
        confirmed=False,
        note=NOTE,
    )
    return fe.by_weight("flower", FLOWER, "flower counts by its weight; the sources give no other equivalent")


PACK: Final = RulePack(
    state="CT",
    name="Connecticut",
    time_zone="America/New_York",
    readings=(
        "Secondary source only; every figure is UNCONFIRMED.",
        "Adult-use: one combined budget of 1/2 oz per transaction from 2023-12-01; earlier limits are not modelled.",
        "No equivalents in the sources: flower by weight, every other category needs a package FE.",
        "Medical: 5 oz 'per month', read as rolling 31 store-local days (restored on day 32), which is never looser "
        "than a calendar month or rolling 30 days; a physician's adjustment is an allotment override.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="ct_rec_transaction",
            summary="at most 1/2 oz of cannabis, or its equivalent, per transaction",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=f"{NOTE}; the date is the source's; earlier limits are not modelled",
            customer_type="recreational",
            window=Window.transaction(),
            cap="0.5 oz",
        ),
        _flower("ct_rec", "recreational"),
        Limit(
            code="ct_med_monthly",
            summary="at most 5 oz of cannabis, or its equivalent, per month",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=f"{NOTE}; {MONTH_NOTE}",
            customer_type="medical",
            window=Window.rolling(31),
            cap="5 oz",
        ),
        _flower("ct_med", "medical"),
        package_fe_counting("ct", START),
        batch_permitted("ct", START),
    ),
)
"""Connecticut's rule pack."""
