"""Arizona (flagged): adult-use 1 oz of which at most 5 g of concentrate (A.R.S. 36-2852(A)(1)); medical 2.5 oz per
14 days (A.R.S. 36-2816(A)).

Sources: the "faster-moving or secondary" list of ``state-rules.md``, which gives primary citations for both
amounts (A.R.S. 36-2852(A)(1), A.R.S. 36-2816(A)) but no effective date and no adult-use sales window; seed
``001_0f6da1db91b12d45.txt`` (package-level FE counts toward limits). Because the dates are chosen and the
adult-use window is a reading, every rule that carries a number is UNCONFIRMED (``az_rec_*``, ``az_med_*``,
``az_reporting``), although the amounts themselves are statutory.

Readings taken where the sources are open or thin:

* Adult-use: a total of 1 oz (``az_rec_daily``) with at most 5 g of concentrate inside it (``az_rec_concentrate``,
  by product weight of Concentrate and Combined Inhalable): "of which" makes the concentrate part of the ounce, so
  concentrate counts toward the ounce by its weight when a line has no package FE (``az_rec_eq_concentrate``,
  ``az_rec_eq_cartridge``), as Michigan's "of which" is read. An allotment override never lifts the sub-cap.
* Adult-use window (UNCONFIRMED): the statute sets possession amounts and the sources give no sales window. The
  pack counts the store-local calendar day (restored at local midnight): a possession limit is not reset by a
  second sale minutes later, and a day is never looser than a single transaction.
* Medical: 2.5 oz per rolling 14 store-local days, a purchase on day 1 restored on day 15 (``az_med_14_day``).
  Concentrate counts by weight as usable marijuana (``az_med_eq_concentrate``, ``az_med_eq_cartridge``: a
  reading; the sources give no medical equivalents).
* Other products (edibles and the rest) have no equivalent in the sources: a line of them needs a package FE. No
  topical exemption is documented.
* Real-time reporting: Arizona is not on the vendor's list of states where batch reporting is not permitted, so
  ``az_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates (UNCONFIRMED): the pack starts on 2021-01-22, the first day of adult-use retail sales (chosen, not in the
  sources); earlier dates raise, for medical customers too.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import DatedRule, Limit, Measure, Window
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, FLOWER
from ._build import CONCENTRATES, POSSESSION_DAY_NOTE, Equivalents, batch_permitted, package_fe_counting

__all__ = ["PACK"]

START: Final = dt.date(2021, 1, 22)
ADULT: Final = "A.R.S. 36-2852(A)(1)"
MEDICAL: Final = "A.R.S. 36-2816(A)"
DATE_NOTE: Final = "no effective date in the sources: dated from 2021-01-22, the first day of adult-use sales (chosen)"
DAY_NOTE: Final = POSSESSION_DAY_NOTE


def _by_weight(prefix: str, customer_type: str, citation: str, note: str) -> tuple[DatedRule, ...]:
    fe = Equivalents(
        prefix=prefix,
        customer_type=customer_type,
        flower="1 g",
        citation=citation,
        effective=START,
        confirmed=False,
        note=note,
    )
    return (
        fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        fe.by_weight("concentrate", CONCENTRATE, "concentrate counts by its weight toward the ounce"),
        fe.by_weight("cartridge", COMBINED_INHALABLE, "vape cartridges count as concentrate, by weight"),
    )


PACK: Final = RulePack(
    state="AZ",
    name="Arizona",
    time_zone="America/Phoenix",
    readings=(
        "Amounts are statutory; dates are chosen and the adult-use window is a reading, so every figure is "
        "UNCONFIRMED.",
        "Adult-use: 1 oz total with at most 5 g of concentrate inside it ('of which'); concentrate counts toward the "
        "ounce by weight; per store-local calendar day (no window in the sources).",
        "Medical: 2.5 oz per rolling 14 store-local days (restored on day 15); concentrate by weight.",
        "Edibles and other products have no equivalent in the sources and need a package FE.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="az_rec_daily",
            summary="at most 1 oz of marijuana",
            citation=ADULT,
            effective=START,
            confirmed=False,
            note=f"{DAY_NOTE}; {DATE_NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="1 oz",
        ),
        Limit(
            code="az_rec_concentrate",
            summary="of the 1 oz, at most 5 g in the form of marijuana concentrate",
            citation=ADULT,
            effective=START,
            confirmed=False,
            note=f"product weight of Concentrate and Combined Inhalable lines; {DAY_NOTE}; {DATE_NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="5 g",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=CONCENTRATES,
        ),
        *_by_weight("az_rec", "recreational", ADULT, f"'of which': concentrate is part of the ounce; {DATE_NOTE}"),
        Limit(
            code="az_med_14_day",
            summary="at most 2.5 oz of usable marijuana in any 14-day period",
            citation=MEDICAL,
            effective=START,
            confirmed=False,
            note=f"rolling 14 store-local days: a purchase on day 1 is restored on day 15; {DATE_NOTE}",
            customer_type="medical",
            window=Window.rolling(14),
            cap="2.5 oz",
        ),
        *_by_weight(
            "az_med",
            "medical",
            MEDICAL,
            f"concentrate read as usable marijuana by weight (no medical equivalents in the sources); {DATE_NOTE}",
        ),
        package_fe_counting("az", START),
        batch_permitted("az", START),
    ),
)
"""Arizona's rule pack."""
