"""Illinois: adult-use 30 g of flower, 5 g of concentrate and 500 mg of THC in infused products for residents, half
for non-residents; medical 2.5 oz per 14 days.

Sources (as collected in ``state-rules.md``): 410 ILCS 705/10-10 (Cannabis Regulation and Tax Act, the amounts for
residents and non-residents, called "cumulative"), 410 ILCS 130/10(a)(1) (the Compassionate Use of Medical
Cannabis Program Act's "adequate supply": 2.5 oz of usable cannabis per 14 days, waivers possible; read in the
"Corrections from primary sources" of ``state-rules.md``, and 77 Ill. Adm. Code 946.10 agrees), 410 ILCS
130/10(a)(4) (infused products count by their pre-mixed weight), and seed ``001_0f6da1db91b12d45.txt``
(package-level FE counts toward limits; it names Illinois among the states that enforce purchase limits through
flower equivalencies).

Readings taken where the sources are open or conflict:

* "Cumulative" (UNCONFIRMED which reading the state applies): either one budget in which every category is
  converted to flower, or three caps each used up separately. The pack takes the one converted budget (30 g for
  residents, ``il_rec_resident``; 15 g for non-residents, ``il_rec_nonresident``), with 5 g of concentrate =
  500 mg of THC in infused products = 30 g of flower (``il_rec_eq_*``; 2.5 g = 250 mg = 15 g gives the same
  ratios). Why: seed 001 names Illinois as a state that enforces limits by flower equivalency, and the converted
  budget never sells more than the per-category reading allows (a cart inside it holds each category inside its
  own cap), so a store following it is compliant under either reading; the price is refusing some mixed carts
  the other reading would allow.
* The statutory per-category amounts also ship as sub-caps (``il_rec_concentrate_*`` by product weight of
  Concentrate and Combined Inhalable; ``il_rec_infused_*`` by THC of every infused category, topicals included),
  because a line's package FE comes from the POS and may not use the pack's ratios: the statute's own caps still
  hold whatever FE the POS assigned. Flower needs no sub-cap: its FE is its weight, so the budget is its cap.
* Window (UNCONFIRMED): the statute sets possession amounts and the sources give no sales window. The pack counts
  the store-local calendar day (restored at local midnight): a possession limit is not reset by a second sale
  minutes later, and a day is never looser than a single transaction.
* Residency: every adult-use limit depends on it, so an adult-use customer whose residency is unknown is an error.
* A vendor help page configures 60 g / 10 g / 1,000 mg; no legal basis was found for those figures and the pack
  does not ship them.
* Medical: 2.5 oz per rolling 14 store-local days, a purchase on day 1 restored on day 15 (``il_med_14_day``).
  A patient's waiver for more is expressed as the customer's allotment override (it replaces this budget). The
  statute counts an infused product by its pre-mixed weight (10(a)(4)), which a cart line does not carry: a POS
  gives it as the line's package FE. A medical line without a package FE falls back on the adult-use ratios
  (``il_med_eq_*``, UNCONFIRMED: a reading, not the statute's measure).
* Real-time reporting: Illinois is not on the vendor's list of states where batch reporting is not permitted, so
  ``il_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates (UNCONFIRMED): the sources give no effective date; the pack starts on 2020-01-01, the first day of
  adult-use retail sales under the Act, and earlier dates raise. No topical exemption is documented, so topicals
  count as infused products.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import CustomerCondition, DatedRule, Limit, Measure, Window
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, FLOWER
from ._build import (
    CONCENTRATES,
    INFUSED_PRODUCTS,
    POSSESSION_DAY_NOTE,
    Equivalents,
    batch_permitted,
    package_fe_counting,
)

__all__ = ["PACK"]

START: Final = dt.date(2020, 1, 1)
ADULT: Final = "410 ILCS 705/10-10"
MEDICAL: Final = "410 ILCS 130/10(a)(1) (adequate supply); 77 Ill. Adm. Code 946.10"
DATE_NOTE: Final = "no effective date in the sources: dated from 2020-01-01, the first day of adult-use retail sales"
DAY_NOTE: Final = POSSESSION_DAY_NOTE
INFUSED: Final = tuple(category for _, category in INFUSED_PRODUCTS)


def _adult_limits(resident: bool, flower: str, concentrate: str, thc: str) -> tuple[Limit, ...]:
    who = "resident" if resident else "nonresident"
    people = "residents" if resident else "non-residents"
    condition = CustomerCondition(resident=resident)

    def limit(
        code: str,
        summary: str,
        cap: str,
        note: str,
        measure: Measure = Measure.COUNTED,
        categories: tuple[str, ...] | None = None,
    ) -> Limit:
        return Limit(
            code=code,
            summary=summary,
            citation=ADULT,
            effective=START,
            confirmed=False,
            note=f"{note}; {DAY_NOTE}; {DATE_NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap=cap,
            condition=condition,
            measure=measure,
            categories=categories,
        )

    return (
        limit(
            f"il_rec_{who}",
            f"{people}: at most {flower} of cannabis flower, or its equivalent in concentrate and infused products",
            flower,
            "'cumulative' read as one budget with every category converted to flower",
        ),
        limit(
            f"il_rec_concentrate_{who}",
            f"{people}: at most {concentrate} of cannabis concentrate",
            concentrate,
            "product weight of Concentrate and Combined Inhalable lines, whatever their package FE",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=CONCENTRATES,
        ),
        limit(
            f"il_rec_infused_{who}",
            f"{people}: at most {thc} of THC contained in cannabis-infused products",
            thc,
            "THC of every infused category, topicals included, whatever their package FE",
            measure=Measure.THC,
            categories=INFUSED,
        ),
    )


def _equivalents(prefix: str, customer_type: str, *, citation: str, note: str) -> tuple[DatedRule, ...]:
    fe = Equivalents(
        prefix=prefix,
        customer_type=customer_type,
        flower="30 g",
        citation=citation,
        effective=START,
        confirmed=False,
        note=note,
    )

    return (
        fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        fe("concentrate", CONCENTRATE, "grams_concentration", "5 g", "5 g of concentrate = 30 g of flower"),
        fe("cartridge", COMBINED_INHALABLE, "grams_concentration", "5 g", "vape cartridges count as concentrate"),
        *(
            fe(f"{code}_thc", category, "potency", "500 mg", "500 mg of THC in infused products = 30 g of flower")
            for code, category in INFUSED_PRODUCTS
        ),
    )


PACK: Final = RulePack(
    state="IL",
    name="Illinois",
    time_zone="America/Chicago",
    readings=(
        "'Cumulative' is read as one converted budget (30 g residents, 15 g non-residents; 5 g concentrate = 500 mg "
        "THC infused = 30 g flower), UNCONFIRMED; it never sells more than per-category caps would.",
        "The statutory per-category amounts (5 g / 2.5 g concentrate by weight, 500 mg / 250 mg THC infused) also "
        "ship as sub-caps, so they hold whatever package FE the POS assigned.",
        "Adult-use window: store-local calendar day (the statute sets possession amounts; no window in the "
        "sources), UNCONFIRMED.",
        "Adult-use limits depend on residency: unknown residency is an error.",
        "The vendor help page's 60 g / 10 g / 1,000 mg has no legal basis found and is not shipped.",
        "Medical: 2.5 oz per rolling 14 store-local days (restored on day 15); a waiver is an allotment override; "
        "adult-use equivalents applied to medical lines without FE, UNCONFIRMED.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
        "No effective date in the sources: rules dated from 2020-01-01 (first adult-use sales), UNCONFIRMED.",
    ),
    rules=(
        *_adult_limits(True, "30 g", "5 g", "500 mg"),
        *_adult_limits(False, "15 g", "2.5 g", "250 mg"),
        *_equivalents(
            "il_rec",
            "recreational",
            citation=ADULT,
            note="ratios of the statute's amounts (the same for non-residents' halves); " + DATE_NOTE,
        ),
        Limit(
            code="il_med_14_day",
            summary="at most an adequate supply, 2.5 oz of usable cannabis, per 14-day period",
            citation=MEDICAL,
            effective=START,
            confirmed=True,
            note=(
                "rolling 14 store-local days (a purchase on day 1 is restored on day 15), the never-looser reading of "
                "a 14-day period; a waiver is the customer's allotment override; infused products by pre-mixed weight "
                "(10(a)(4)) as the line's package FE; " + DATE_NOTE
            ),
            customer_type="medical",
            window=Window.rolling(14),
            cap="2.5 oz",
        ),
        *_equivalents(
            "il_med",
            "medical",
            citation=f"{ADULT} (adult-use ratios applied to medical)",
            note="the sources give no medical equivalents; the adult-use ratios are a reading",
        ),
        package_fe_counting("il", START),
        batch_permitted("il", START),
    ),
)
"""Illinois' rule pack."""
