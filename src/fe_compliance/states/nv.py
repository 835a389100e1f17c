"""Nevada: adult-use 2.5 oz of flower or 1/4 oz of concentrate from 2024-01-01 (SB 277), 1 oz or 1/8 oz before,
counted per store-local day; medical 2.5 oz per 14-day period.

Sources (the "Corrections from primary sources" of ``state-rules.md``): NRS 678D.200, the adult-use purchase limit
(seen in the statute's index only; NRS 678D.420, cited before, is the packaging rule: what one package may hold),
SB 277 (2023, reported: 2.5 oz / 1/4 oz from 2024-01-01); NRS 678C.200 for medical patients (2.5 oz per 14 days;
chapter 453A, cited before, was repealed in 2020, and NRS 678C.210 points to 678C.200); and the Cannabis Compliance
Board's purchase-limit chart as reproduced by public wikis (the linear trade-off: with no flower, 3,543 mg of THC of
other products before 2024, 7,087 mg after).

Readings taken where the sources are open or conflict:

* One combined budget with a linear trade-off between flower and everything else, no separate sub-caps: the limit
  is "flower *or* concentrate", so concentrate is converted at the ratio of the two caps (8x before 2024, 10x from
  2024-01-01, ``nv_rec_eq_concentrate``) and other products by THC at the board's figure (7,087 mg of THC =
  2.5 oz from 2024, ``nv_rec_eq_*_thc``). Vape cartridges count as concentrate.
* Before 2024-01-01 the board's chart gives 3,543 mg of THC of other products for the no-flower case
  (``nv_rec_eq_*_thc`` of that period; 1/8 oz would be 3,543.7 mg, and the chart's figure is the stricter).
* Adult-use window (UNCONFIRMED, ``nv_rec_daily``): the sources give none. NRS 678D.200 was seen in the index only
  (its text, and so any window, was not read); NRS 678D.420 limits what a single *package* may hold, and SB 277
  raised the possession and purchase amounts; none says per transaction. As for Illinois, Arizona, Ohio and New
  York, the pack counts the store-local calendar day (restored at local midnight): a possession amount is not
  reset by a second sale minutes later, and a day is never looser than a single transaction. A store that confirms
  a per-transaction rule may build its own pack; this one refuses the second full purchase of the day.
* The medical window is a rolling 14 store-local days, a purchase on day 1 restored on day 15 (``nv_med_14_day``).
* The board chart is written for adult-use; the pack applies the same conversions to medical lines without FE
  (``nv_med_eq_*``, UNCONFIRMED).
* Counting basis: package-level FE (seed 001); the conversions only compute FE for a line that has none.
* Real-time reporting: Nevada is not on the vendor's list of states where batch reporting is not permitted, so
  ``nv_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates: the pack starts on 2017-07-01, the first day of adult-use retail sales; earlier dates raise. No topical
  exemption is documented, so topicals count by their package FE.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import DatedRule, Limit, Window
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, FLOWER
from ._build import OTHER_PRODUCTS, POSSESSION_DAY_NOTE, Equivalents, batch_permitted, package_fe_counting

__all__ = ["PACK"]

START: Final = dt.date(2017, 7, 1)
SB_277: Final = dt.date(2024, 1, 1)
BEFORE: Final = "NRS 678D.200 (before SB 277; section seen in the index only)"
AFTER: Final = "NRS 678D.200 as amended by SB 277 (2023, reported; section seen in the index only)"
CHART: Final = "Cannabis Compliance Board purchase-limit chart (as reproduced by public wikis)"
MEDICAL: Final = "NRS 678C.200 (pointed to by NRS 678C.210; formerly NRS 453A.160, chapter 453A repealed in 2020)"
DAY_NOTE: Final = (
    POSSESSION_DAY_NOTE + "; NRS 678D.200 was seen in the index only, and NRS 678D.420 limits a single package, not a "
    "transaction"
)


def _conversions(
    prefix: str,
    customer_type: str,
    *,
    effective: dt.date,
    until: dt.date | None,
    flower_cap: str,
    concentrate_cap: str,
    thc_cap: str,
    citation: str,
    confirmed: bool,
    thc_confirmed: bool,
    note: str,
) -> tuple[DatedRule, ...]:
    fe = Equivalents(
        prefix=prefix,
        customer_type=customer_type,
        flower=flower_cap,
        citation=citation,
        effective=effective,
        until=until,
        confirmed=confirmed,
        note=note,
    )

    return (
        fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        fe(
            "concentrate",
            CONCENTRATE,
            "grams_concentration",
            concentrate_cap,
            f"{concentrate_cap} of concentrate takes the whole {flower_cap} budget",
        ),
        fe(
            "cartridge",
            COMBINED_INHALABLE,
            "grams_concentration",
            concentrate_cap,
            f"vape cartridges count as concentrate: {concentrate_cap} takes the whole {flower_cap} budget",
        ),
        *(
            fe(
                f"{code}_thc",
                category,
                "potency",
                thc_cap,
                f"{thc_cap} of THC in other products takes the whole {flower_cap} budget",
                confirmed=thc_confirmed,
            )
            for code, category in OTHER_PRODUCTS
        ),
    )


_TRADE_OFF_NOTE: Final = "linear trade-off between flower and other products"
_MEDICAL_NOTE: Final = "the board's conversions applied to medical lines without FE (a reading)"

PACK: Final = RulePack(
    state="NV",
    name="Nevada",
    time_zone="America/Los_Angeles",
    readings=(
        "One combined budget with a linear trade-off: concentrate at the ratio of the caps (8x before 2024, 10x from "
        "2024-01-01), other products by THC (7,087 mg = 2.5 oz from 2024).",
        "Before 2024 other products by THC at the board chart's 3,543 mg = 1 oz (the stricter of it and 1/8 oz, "
        "3,543.7 mg).",
        "Adult-use window: store-local calendar day (no window in the sources: NRS 678D.200 seen in the index only, "
        "NRS 678D.420 limits a single package), UNCONFIRMED; medical window rolling 14 store-local days, restored on "
        "day 15.",
        "The board's conversions applied to medical lines without FE are UNCONFIRMED.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="nv_rec_daily",
            summary="at most 1 oz of cannabis or 1/8 oz of concentrated cannabis (or the equivalent)",
            citation=BEFORE,
            effective=START,
            until=SB_277,
            confirmed=False,
            note=f"{DAY_NOTE}; dated from 2017-07-01, first retail sales",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="1 oz",
        ),
        Limit(
            code="nv_rec_daily",
            summary="at most 2.5 oz of cannabis or 1/4 oz of concentrated cannabis (or the equivalent)",
            citation=AFTER,
            effective=SB_277,
            confirmed=False,
            note=DAY_NOTE,
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="2.5 oz",
        ),
        *_conversions(
            "nv_rec",
            "recreational",
            effective=START,
            until=SB_277,
            flower_cap="1 oz",
            concentrate_cap="0.125 oz",
            thc_cap="3543 mg",
            citation=f"{BEFORE}; {CHART}",
            confirmed=True,
            thc_confirmed=True,
            note=_TRADE_OFF_NOTE,
        ),
        *_conversions(
            "nv_rec",
            "recreational",
            effective=SB_277,
            until=None,
            flower_cap="2.5 oz",
            concentrate_cap="0.25 oz",
            thc_cap="7087 mg",
            citation=f"{AFTER}; {CHART}",
            confirmed=True,
            thc_confirmed=True,
            note=_TRADE_OFF_NOTE,
        ),
        Limit(
            code="nv_med_14_day",
            summary="at most 2.5 oz of usable cannabis (or the equivalent) in any 14-day period",
            citation=MEDICAL,
            effective=START,
            confirmed=True,
            note="rolling 14 store-local days: a purchase on day 1 is restored on day 15",
            customer_type="medical",
            window=Window.rolling(14),
            cap="2.5 oz",
        ),
        *_conversions(
            "nv_med",
            "medical",
            effective=START,
            until=SB_277,
            flower_cap="1 oz",
            concentrate_cap="0.125 oz",
            thc_cap="3543 mg",
            citation=f"{BEFORE}; {CHART} (applied to medical)",
            confirmed=False,
            thc_confirmed=False,
            note=_MEDICAL_NOTE,
        ),
        *_conversions(
            "nv_med",
            "medical",
            effective=SB_277,
            until=None,
            flower_cap="2.5 oz",
            concentrate_cap="0.25 oz",
            thc_cap="7087 mg",
            citation=f"{AFTER}; {CHART} (applied to medical)",
            confirmed=False,
            thc_confirmed=False,
            note=_MEDICAL_NOTE,
        ),
        package_fe_counting("nv", START),
        batch_permitted("nv", START),
    ),
)
"""Nevada's rule pack."""
