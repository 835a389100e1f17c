"""Michigan: adult-use 2.5 oz per transaction with a 15 g concentrate sub-cap; medical 2.5 oz per day.

Sources (as collected in ``state-rules.md``): MCL 333.27955(1)(a) (MRTMA, adult-use sales limit), Mich Admin Code
R 420.505(1)(d) and R 420.506 (sales limits of licensees), the Michigan Medical Marihuana Act as amended in 2016 (the
usable-marihuana equivalents), seed ``001_0f6da1db91b12d45.txt`` (package-level FE counts toward limits).

Readings taken where the sources are open or conflict:

* The adult-use cap is a total of 2.5 oz with at most 15 g of concentrate inside it: two limits that overlap, a
  budget (``mi_rec_total``) and a sub-cap (``mi_rec_concentrate``). The sub-cap counts product weight
  (grams/concentration) of Concentrate and Combined Inhalable (vape cartridges hold concentrate); an allotment
  override never lifts it.
* Medical: 2.5 oz per calendar day in the store's time zone (``mi_med_daily``). The 10 oz per month cap of a 2019
  agency bulletin could not be confirmed as current: it ships as ``mi_med_monthly``, UNCONFIRMED and ADVISORY (it is
  computed and reported as a warning, and refuses carts only when the engine is built with
  ``enforce_advisory=True``); "month" is read as a rolling 30 store-local days, restored on day 31.
* Equivalents (MMMA): 1 oz of usable marihuana = 16 oz of solid infused product = 36 fl oz of liquid infused
  product = 7 g of infused product in gaseous form. Solid infused products count by net weight (FE definitions);
  liquids (Liquid Edible, Tincture) count by volume (``mi_*_eq_liquid``, a volume rule, not an FE definition).
  Concentrate counts by weight as usable marihuana (``mi_med_eq_concentrate``, ``mi_rec_eq_concentrate``,
  UNCONFIRMED: the equivalents name no concentrate, and the MMMA's usable marihuana includes resin and extract).
* Vape cartridges (Combined Inhalable) and the 7 g "gaseous form" equivalent (``mi_med_eq_cartridge``,
  ``mi_rec_eq_cartridge``, UNCONFIRMED): ``state-rules.md`` glosses the gaseous form as inhalable, and the
  Combined Inhalable category is the one inhaled as a vapour, so cartridges count 7 g = 1 oz. The other reading,
  that the oil in a cartridge is extract and so usable marihuana by weight (1 g = 1 g), counts a cartridge about
  four times lower; the pack takes the 7 g figure because it is the reference's own gloss and the stricter of the
  two (a store following it is within either). Either way, adult-use cartridges also count toward the 15 g
  concentrate sub-cap by product weight.
* The equivalents are written for medical patients; their use for adult-use sales (``mi_rec_eq_*``) is
  UNCONFIRMED.
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
from ..limits.rules import DatedRule, Enforcement, Limit, Measure, Window
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
MRTMA: Final = "MCL 333.27955(1)(a)"
RULES: Final = "Mich Admin Code R 420.505(1)(d), R 420.506"
MMMA: Final = "Michigan Medical Marihuana Act, 2016 amendment (usable marihuana equivalents)"
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
    citation = MMMA if customer_type == "medical" else f"{MMMA}; applied to adult-use sales under {RULES}"
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
        "Medical: 2.5 oz per store-local calendar day; the 10 oz monthly cap (2019 bulletin) is UNCONFIRMED and "
        "advisory, read as a rolling 30 days restored on day 31.",
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
            citation=MRTMA,
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
            citation=MRTMA,
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
            citation=RULES,
            effective=START,
            confirmed=True,
            note="a calendar day in the store's time zone; " + DATE_NOTE,
            customer_type="medical",
            window=Window.calendar_day(),
            cap="2.5 oz",
        ),
        Limit(
            code="mi_med_monthly",
            summary="at most 10 oz of usable marihuana (or equivalent) per month",
            citation="Michigan agency bulletin (2019), as reported in state-rules.md",
            effective=START,
            confirmed=False,
            note="status unconfirmed, so advisory; a month read as rolling 30 store-local days, restored on day 31",
            customer_type="medical",
            window=Window.rolling(30),
            cap="10 oz",
            enforcement=Enforcement.ADVISORY,
        ),
        *_equivalents("mi_med", "medical", True),
        *_equivalents("mi_rec", "recreational", False),
        package_fe_counting("mi", START),
        real_time_required("mi", START),
    ),
)
"""Michigan's rule pack."""
