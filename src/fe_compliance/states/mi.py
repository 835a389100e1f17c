"""Michigan: adult-use 2.5 oz per transaction with a 15 g concentrate sub-cap; medical 2.5 oz per day and 10 oz
per month.

Sources (the "Corrections from primary sources" of ``state-rules.md``, read in the rule text): Mich Admin Code
R 420.506(3) (the adult-use transaction limit: 2.5 oz, of which at most 15 g concentrate; MCL 333.27955 is what an
adult may possess and purchase, not the transaction limit), R 420.506(1)(a) (medical: 2.5 oz per day),
R 420.506(2) (medical: a monthly purchasing limit of 10 oz, in the 2020 and 2022 versions of the rule), MCL
333.26424(c) (the MMMA's usable-marihuana equivalents, adopted for sales by R 420.501(1)(m)), seed
``001_0f6da1db91b12d45.txt`` (package-level FE counts toward limits).

Readings taken where the sources are open or conflict:

* The adult-use cap is a total of 2.5 oz with at most 15 g of concentrate inside it: two limits that overlap, a
  budget (``mi_rec_total``) and a sub-cap (``mi_rec_concentrate``). The sub-cap counts product weight
  (grams/concentration) of Concentrate and Combined Inhalable (vape cartridges hold concentrate); an allotment
  override never lifts it.
* Medical: 2.5 oz per calendar day in the store's time zone (``mi_med_daily``) and 10 oz per month
  (``mi_med_monthly``), both confirmed and enforced. R 420.506(2) does not define "monthly" (a proposed revision
  would make it "10 oz in 30 days"). A calendar month lets a patient buy 10 oz on the 31st and 10 oz more on the
  1st; a rolling 30-day window lets 10 oz on 1 January and 10 oz more on 31 January, which a calendar month of 31
  days refuses. A rolling 31-day window refuses both: any two days of one calendar month, and any two days 30 days
  apart, fall in one 31-day window. So the pack reads "monthly" as a rolling 31 store-local days (a purchase on
  day 1 counts through day 31 and is restored on day 32): never looser than either reading, at the cost of
  refusing some sales a calendar month would allow (10 oz on 20 January, more on 1 February). The reading is
  flagged in the rule's note and on the docs page.
* Equivalents (MCL 333.26424(c), adopted by R 420.501(1)(m)): 1 oz of usable marihuana = 16 oz of solid infused
  product = 36 fl oz of liquid infused product = 7 g of infused product in gaseous form. Solid infused products
  count by net weight (FE definitions); liquids (Liquid Edible, Tincture) count by volume (``mi_*_eq_liquid``, a
  volume rule, not an FE definition).
  Concentrate counts by weight as usable marihuana (``mi_med_eq_concentrate``, ``mi_rec_eq_concentrate``,
  UNCONFIRMED: the equivalents name no concentrate, and the MMMA's usable marihuana includes resin and extract).
* Vape cartridges (Combined Inhalable) and the 7 g "gaseous form" equivalent (``mi_med_eq_cartridge``,
  ``mi_rec_eq_cartridge``, UNCONFIRMED): ``state-rules.md`` glosses the gaseous form as inhalable, and the
  Combined Inhalable category is the one inhaled as a vapour, so cartridges count 7 g = 1 oz. The other reading,
  that the oil in a cartridge is extract and so usable marihuana by weight (1 g = 1 g), counts a cartridge about
  four times lower; the pack takes the 7 g figure because it is the reference's own gloss and the stricter of the
  two (a store following it is within either). Either way, adult-use cartridges also count toward the 15 g
  concentrate sub-cap by product weight.
* R 420.501(1)(m) adopts the MMMA equivalents for sales; the pack still flags their adult-use copies
  (``mi_rec_eq_*``) UNCONFIRMED, because the text read does not say that the definition reaches adult-use
  transactions.
* Counting basis: the package-level FE of each line (seed 001); the equivalents above compute it only for a line
  that arrives without one.
* Real-time reporting: one POS vendor reports that batch reporting is not permitted in MI (``mi_reporting``,
  UNCONFIRMED: not a primary source).
* Dates: the pack starts on 2019-12-01, the first day of adult-use retail sales; earlier dates raise rather than
  apply rules this library has not dated. No topical exemption is documented for Michigan, so topicals count by
  their package FE.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import DatedRule, Limit, Measure, Window
from ..limits.vocabulary import (
    COMBINED_INHALABLE,
    CONCENTRATE,
    FLOWER,
    INFUSED_NON_EDIBLE,
    LIQUID_EDIBLE,
    SOLID_EDIBLE,
    TINCTURE,
)
from ._build import CONCENTRATES, Equivalents, package_fe_counting, real_time_required

__all__ = ["PACK"]

START: Final = dt.date(2019, 12, 1)
ADULT: Final = "Mich Admin Code R 420.506(3)"
MEDICAL_DAY: Final = "Mich Admin Code R 420.506(1)(a)"
MEDICAL_MONTH: Final = "Mich Admin Code R 420.506(2)"
MMMA: Final = "MCL 333.26424(c) (usable marihuana equivalents), adopted by Mich Admin Code R 420.501(1)(m)"
MONTH_NOTE: Final = (
    '"monthly" is not defined in the rule: read as a rolling 31 store-local days (a purchase on day 1 counts through '
    "day 31 and is restored on day 32), never looser than a calendar month or a rolling 30 days"
)
CONCENTRATE_NOTE: Final = (
    "the equivalents name no concentrate; counting it by weight rests on the MMMA's usable marihuana including "
    "resin and extract (a reading)"
)
GASEOUS_NOTE: Final = (
    "the gaseous form read as vape cartridges (state-rules.md glosses it as inhalable); the stricter of the readings, "
    "the other counting cartridge oil by weight as extract"
)
DATE_NOTE: Final = "dated from 2019-12-01, the first day of adult-use retail sales; earlier versions are not modelled"


def _equivalents(prefix: str, customer_type: str, confirmed: bool) -> tuple[DatedRule, ...]:
    citation = MMMA if customer_type == "medical" else f"{MMMA}; applied to adult-use sales under {ADULT}"
    note = (
        "" if confirmed else "the MMMA equivalents are written for patients; their adult-use application is a reading"
    )

    fe = Equivalents(
        prefix=prefix,
        customer_type=customer_type,
        flower="1 oz",
        citation=citation,
        effective=START,
        confirmed=confirmed,
        note=note,
    )

    return (
        fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        fe.by_weight(
            "concentrate",
            CONCENTRATE,
            "concentrate counts by weight as usable marihuana",
            confirmed=False,
            note=CONCENTRATE_NOTE if confirmed else f"{note}; {CONCENTRATE_NOTE}",
        ),
        fe(
            "cartridge",
            COMBINED_INHALABLE,
            "grams_concentration",
            "7 g",
            "7 g of infused product in gaseous form (vape cartridges) = 1 oz of usable marihuana",
            confirmed=False,
            note=GASEOUS_NOTE if confirmed else f"{note}; {GASEOUS_NOTE}",
        ),
        fe("solid", SOLID_EDIBLE, "net_weight", "16 oz", "16 oz of solid infused product = 1 oz of usable marihuana"),
        fe(
            "solid_non_edible",
            INFUSED_NON_EDIBLE,
            "net_weight",
            "16 oz",
            "16 oz of solid infused product = 1 oz of usable marihuana",
        ),
        *(
            fe.volume(
                f"liquid_{name}", category, "36 floz", "36 fl oz of liquid infused product = 1 oz of usable marihuana"
            )
            for name, category in (("edible", LIQUID_EDIBLE), ("tincture", TINCTURE))
        ),
    )


PACK: Final = RulePack(
    state="MI",
    name="Michigan",
    time_zone="America/Detroit",
    readings=(
        "Adult-use: a 2.5 oz total per transaction and, inside it, at most 15 g of concentrate by product weight; "
        "vape cartridges count as concentrate.",
        "Medical: 2.5 oz per store-local calendar day and 10 oz per month (R 420.506(2)), both enforced; "
        '"monthly" read as a rolling 31 store-local days (restored on day 32): a calendar month allows 10 oz on the '
        "31st and 10 oz more on the 1st, a rolling 30 days allows 10 oz on 1 January and 10 oz more on 31 January; "
        "31 rolling days refuses both, so it is never looser.",
        "MMMA equivalents: solid infused by net weight (16 oz = 1 oz), liquids by volume (36 fl oz = 1 oz), "
        "concentrate by weight.",
        "Vape cartridges read as the MMMA's gaseous form: 7 g = 1 oz (the reference glosses it as inhalable; the "
        "stricter reading, over cartridge oil by weight as extract), UNCONFIRMED.",
        "The MMMA equivalents applied to adult-use sales are UNCONFIRMED.",
        "Batch reporting not permitted (vendor statement, UNCONFIRMED).",
    ),
    rules=(
        Limit(
            code="mi_rec_total",
            summary="at most 2.5 oz of marihuana (flower equivalent) per transaction",
            citation=ADULT,
            effective=START,
            confirmed=True,
            note=DATE_NOTE,
            customer_type="recreational",
            window=Window.transaction(),
            cap="2.5 oz",
        ),
        Limit(
            code="mi_rec_concentrate",
            summary="of the 2.5 oz, at most 15 g in the form of marihuana concentrate",
            citation=ADULT,
            effective=START,
            confirmed=True,
            note="counts grams/concentration of Concentrate and Combined Inhalable lines; never lifted by an override",
            customer_type="recreational",
            window=Window.transaction(),
            cap="15 g",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=CONCENTRATES,
        ),
        Limit(
            code="mi_med_daily",
            summary="at most 2.5 oz of usable marihuana (or equivalent) to a patient or caregiver per day",
            citation=MEDICAL_DAY,
            effective=START,
            confirmed=True,
            note="a calendar day in the store's time zone; " + DATE_NOTE,
            customer_type="medical",
            window=Window.calendar_day(),
            cap="2.5 oz",
        ),
        Limit(
            code="mi_med_monthly",
            summary="at most 10 oz of usable marihuana (or equivalent) to a patient per month (monthly purchase limit)",
            citation=MEDICAL_MONTH,
            effective=START,
            confirmed=True,
            note=f"{MONTH_NOTE}; {DATE_NOTE}",
            customer_type="medical",
            window=Window.rolling(31),
            cap="10 oz",
        ),
        *_equivalents("mi_med", "medical", True),
        *_equivalents("mi_rec", "recreational", False),
        package_fe_counting("mi", START),
        real_time_required("mi", START),
    ),
)
"""Michigan's rule pack."""
