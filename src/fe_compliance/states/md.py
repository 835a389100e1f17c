"""Maryland (flagged, secondary source): medical 120 g of flower or 36 g of THC per rolling 30 days, restored on
day 31; adult-use not researched.

Sources: only the "faster-moving or secondary" list of ``state-rules.md`` (medical 120 g of flower or 36 g of THC
per rolling 30 days, restored on day 31), with no primary citation and no effective date; the vendor's list of
states where batch reporting is not permitted (Maryland is on it); seed ``001_0f6da1db91b12d45.txt``
(package-level FE counts toward limits). Every rule that carries a number is UNCONFIRMED (``md_med_*``,
``md_reporting``).

Readings taken where the sources are open or thin:

* Medical: one budget of 120 g per rolling 30 store-local days, a purchase on day 1 restored on day 31
  (``md_med_30_day``). "120 g of flower *or* 36 g of THC" is read as a linear trade-off, as Nevada's chart is:
  flower counts by weight and every other product by its THC, 36 g of THC taking the whole 120 g
  (``md_med_eq_*``; ratio 10/3). Topicals count too (no exemption in the sources).
* The 36 g of THC also ships as a sub-cap on the THC of every non-flower line (``md_med_thc``), because a line's
  package FE comes from the POS and may not use the pack's ratio; non-flower lines therefore need their THC.
* Adult-use: not in the sources, so not researched (``md_rec_not_researched``): an adult-use customer is refused
  with an error, never allowed.
* Real-time reporting: the vendor's list says batch reporting is not permitted in MD (``md_reporting``,
  UNCONFIRMED: not a primary source).
* Dates (UNCONFIRMED): the sources give none. The pack starts on 2023-07-01, when Maryland's current cannabis
  framework (and adult-use sales) began (chosen, not in the sources); earlier dates raise.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import Limit, Measure, NotResearched, Window
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, FLOWER
from ._build import INFUSED_PRODUCTS, Equivalents, package_fe_counting, real_time_required, secondary_source

__all__ = ["PACK"]

START: Final = dt.date(2023, 7, 1)
SOURCE: Final = secondary_source("Maryland")
NOTE: Final = "secondary source only; dated from 2023-07-01, the start of Maryland's current framework (chosen)"
ROLLING_NOTE: Final = "rolling 30 store-local days: a purchase on day 1 is restored on day 31"
NON_FLOWER: Final = (("concentrate", CONCENTRATE), ("cartridge", COMBINED_INHALABLE), *INFUSED_PRODUCTS)
_fe: Final = Equivalents(
    prefix="md_med",
    customer_type="medical",
    flower="120 g",
    citation=SOURCE,
    effective=START,
    confirmed=False,
    note=f"'120 g of flower or 36 g of THC' read as a linear trade-off; {NOTE}",
)

PACK: Final = RulePack(
    state="MD",
    name="Maryland",
    time_zone="America/New_York",
    readings=(
        "Secondary source only; every figure is UNCONFIRMED.",
        "Medical: 120 g per rolling 30 store-local days (restored on day 31); flower by weight, every other product "
        "by THC with 36 g of THC = 120 g (a linear trade-off).",
        "The 36 g of THC is also a sub-cap on non-flower lines, whatever their package FE; they need their THC.",
        "Adult-use is not in the sources: not researched, adult-use customers are refused with an error.",
        "Batch reporting not permitted (vendor statement, UNCONFIRMED).",
        "No effective date in the sources: rules dated from 2023-07-01, UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="md_med_30_day",
            summary="at most 120 g of usable cannabis flower, or the equivalent, per 30 days",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=f"{ROLLING_NOTE}; {NOTE}",
            customer_type="medical",
            window=Window.rolling(30),
            cap="120 g",
        ),
        Limit(
            code="md_med_thc",
            summary="at most 36 g of THC in products other than flower per 30 days",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=f"THC of every non-flower line, whatever its package FE; {ROLLING_NOTE}; {NOTE}",
            customer_type="medical",
            window=Window.rolling(30),
            cap="36 g",
            measure=Measure.THC,
            categories=tuple(category for _, category in NON_FLOWER),
        ),
        _fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        *(
            _fe(f"{code}_thc", category, "potency", "36 g", "36 g of THC in other products = 120 g of flower")
            for code, category in NON_FLOWER
        ),
        NotResearched(
            code="md_rec_not_researched",
            summary="Maryland adult-use limits are not in this library's sources",
            citation="state-rules.md (Maryland: medical figures only)",
            effective=START,
            confirmed=True,
            note="the pack does not guess: an adult-use customer is refused with an error",
            customer_type="recreational",
        ),
        package_fe_counting("md", START),
        real_time_required("md", START),
    ),
)
"""Maryland's rule pack."""
