"""Colorado: adult-use 1 oz of flower or its equivalent per sales transaction; medical 2 oz of flower and 8 g of
concentrate per day (2 g for patients aged 18-20) from 2022-01-01 (HB21-1317).

Sources (as collected in ``state-rules.md``, with its "Corrections from primary sources"): C.R.S.
44-10-601(3)(a)(I) (the retail sales limit, partly read; the same section exempts "nonedible, nonpsychoactive"
topical products), C.R.S. 44-10 (the Colorado Marijuana Code, medical store sales limits), the former retail
rule 1 CCR 212-2 R 402(C)(1.5) (effective 2016-10-01: the equivalents and the equal treatment of non-residents),
HB21-1317 (2021, medical daily limits, effective 2022-01-01), C.R.S. 44-10-501(1)(b)(II) (the outage safe
harbour), a POS vendor's list of states where batch reporting is not permitted, and seed
``001_0f6da1db91b12d45.txt`` (package-level FE counts toward limits; it names Colorado as a state with different
medical and recreational equivalencies).

Readings taken where the sources are open or conflict:

* Citations: the 1 oz cap and the topical exemption rest on C.R.S. 44-10-601(3)(a)(I), so the exemption
  (``co_rec_topicals``) is confirmed. The retail rules were re-codified into 1 CCR 212-3; one secondary source puts
  the equivalents in 1 CCR 212-3 Rule 6-110 (reported, not read). The equivalents cite that and the former
  R 402(C)(1.5) and ship UNCONFIRMED (``co_rec_eq_*`` except flower).
* Adult-use: one combined budget of 1 oz per sales transaction (``co_rec_transaction``), the same for residents and
  non-residents (no residency condition). Lines without a package FE are converted: 8 g of concentrate = 1 oz
  (vape cartridges count as concentrate), 800 mg of THC in edibles = 1 oz. The 800 mg figure is stated for
  edibles; the pack applies it to every other infused product (tinctures, infused non-edibles, suppositories).
* Topicals: Colorado exempts topicals *without psychoactive effect*, a property rather than a category. The
  exemption (``co_rec_topicals``) therefore names no exempt category: it honours the POS's ``exempt`` flag on Topical
  lines only. A flagged topical is exempt for adult-use customers and needs no data; a plain Topical line counts
  (it needs a package FE); a line of any other category counts even when flagged, since no other product is exempt
  by property. There is no separate "non-psychoactive topical" category: a line so named is an unknown category.
* Medical before 2022-01-01 is not modelled (``co_med_not_researched``): the sources give the medical limits only
  as HB21-1317 set them, so checking a medical customer before that day is an error, never an unlimited sale.
* Medical from 2022-01-01: the sources give two daily limits, 2 oz of flower *and* 8 g of concentrate, and the
  pack keeps them separate, as the "and" says. The 2 oz is a budget of the non-concentrate categories
  (``co_med_daily``): flower by weight, and every other non-concentrate product (edibles, tinctures, topicals and
  the rest) by its package FE, since the sources give no medical equivalents. Counting those products toward the
  flower limit is a reading (the sources name only flower), so the rule is UNCONFIRMED; it never sells them
  without a limit. Concentrate and vape cartridges do not count toward the 2 oz: their own caps count them by
  product weight per calendar day, chosen by the patient's age on the sale day (``co_med_concentrate`` from 21,
  ``co_med_concentrate_18_20``); the sources do not say what applies under 18, and the pack applies the 2 g cap
  (``co_med_concentrate_under_18``, UNCONFIRMED). So 2 oz of flower and 8 g of concentrate on one day are sold,
  and a gram more of either is not. A medical customer without a birth date is an error. An allotment override
  replaces the 2 oz budget, never a concentrate sub-cap.
* Windows: adult-use per transaction (history never counts); medical per calendar day in the store's time zone,
  restored at local midnight.
* Real-time reporting: the vendor's list says batch reporting is not permitted in CO (``co_reporting``,
  UNCONFIRMED: not a primary source). C.R.S. 44-10-501(1)(b)(II) gives a safe harbour for an unintentional
  over-limit sale made while the state tracking system is down, provided the data is uploaded afterwards; the
  engine does not relax any limit for it (it cannot know about an outage), and the rule's note records it.
* Dates: the pack starts on 2016-10-01, when the former R 402(C)(1.5) took effect; earlier dates raise.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import CustomerCondition, ExemptProducts, Limit, LimitKind, Measure, NotResearched, Window
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, FLOWER, SOLID_EDIBLE, TOPICAL
from ._build import (
    CONCENTRATES,
    NOT_CONCENTRATES,
    OTHER_PRODUCTS,
    Equivalents,
    package_fe_counting,
    real_time_required,
)

__all__ = ["PACK"]

START: Final = dt.date(2016, 10, 1)
HB21_1317: Final = dt.date(2022, 1, 1)
CODE: Final = "C.R.S. 44-10-601(3)(a)(I) (retail sales limit)"
TOPICALS: Final = "C.R.S. 44-10-601(3)(a)(I) (nonedible, nonpsychoactive topical products exempt)"
FORMER_RULE: Final = (
    "former 1 CCR 212-2 R 402(C)(1.5) (effective 2016-10-01); 1 CCR 212-3 Rule 6-110 (reported by a secondary "
    "source, not read)"
)
MEDICAL: Final = "HB21-1317 (2021), C.R.S. 44-10 (medical marijuana store sales limits)"
RECODIFIED: Final = "the current 1 CCR 212-3 rule carrying this (Rule 6-110) is reported, not read"

_rec_fe: Final = Equivalents(
    prefix="co_rec",
    customer_type="recreational",
    flower="1 oz",
    citation=FORMER_RULE,
    effective=START,
    confirmed=False,
    note=RECODIFIED,
)
_med_fe: Final = Equivalents(
    prefix="co_med", customer_type="medical", flower="2 oz", citation=MEDICAL, effective=HB21_1317, confirmed=True
)


def _med_concentrate(code: str, cap: str, condition: CustomerCondition, *, confirmed: bool, note: str) -> Limit:
    return Limit(
        code=code,
        summary=f"at most {cap} of medical marijuana concentrate per day to a patient {condition.describe()}",
        citation=MEDICAL,
        effective=HB21_1317,
        confirmed=confirmed,
        note=note,
        customer_type="medical",
        window=Window.calendar_day(),
        cap=cap,
        measure=Measure.GRAMS_CONCENTRATION,
        categories=CONCENTRATES,
        condition=condition,
    )


PACK: Final = RulePack(
    state="CO",
    name="Colorado",
    time_zone="America/Denver",
    readings=(
        "Adult-use: one combined budget of 1 oz per sales transaction, residents and non-residents alike; 8 g of "
        "concentrate (vape cartridges included) = 800 mg of THC in infused products = 1 oz.",
        "The 1 oz cap and the topical exemption cite C.R.S. 44-10-601(3)(a)(I) (confirmed); the equivalents cite "
        "the former 1 CCR 212-2 R 402(C)(1.5) and the reported 1 CCR 212-3 Rule 6-110: UNCONFIRMED.",
        "Only topicals without psychoactive effect are exempt (adult-use): a Topical line the POS flags exempt; "
        "plain Topical lines count, and the flag exempts no other category.",
        "Medical before 2022-01-01 is not modelled (medical customers are refused, not allowed).",
        "Medical from 2022-01-01: 2 oz of flower and 8 g of concentrate per day are separate limits; the 2 oz "
        "budget covers every non-concentrate category (other products by package FE: a reading, UNCONFIRMED), and "
        "concentrate counts only toward its own cap.",
        "Medical concentrate: 8 g per day from age 21, 2 g aged 18-20, and 2 g under 18 (UNCONFIRMED: the "
        "sources are silent); by product weight of Concentrate and Combined Inhalable.",
        "Batch reporting not permitted (vendor statement, UNCONFIRMED); the outage safe harbour of C.R.S. "
        "44-10-501(1)(b)(II) is documented, not applied.",
    ),
    rules=(
        # ------------------------------------------------------------------------------------------ adult-use
        Limit(
            code="co_rec_transaction",
            summary="at most 1 oz of retail marijuana flower, or its equivalent, per sales transaction",
            citation=f"{CODE}; {FORMER_RULE}",
            effective=START,
            confirmed=True,
            note=(
                "the same for residents and non-residents since 2016-10-01; dated from that day, earlier versions "
                "(a lower non-resident limit) are not modelled"
            ),
            customer_type="recreational",
            window=Window.transaction(),
            cap="1 oz",
        ),
        _rec_fe.by_weight("flower", FLOWER, "flower counts by its weight", confirmed=True, note=""),
        _rec_fe("concentrate", CONCENTRATE, "grams_concentration", "8 g", "8 g of concentrate = 1 oz of flower"),
        _rec_fe(
            "cartridge",
            COMBINED_INHALABLE,
            "grams_concentration",
            "8 g",
            "vape cartridges count as concentrate: 8 g = 1 oz of flower",
            note=RECODIFIED + "; cartridges read as concentrate",
        ),
        *(
            _rec_fe(
                f"{code}_thc",
                category,
                "potency",
                "800 mg",
                "800 mg of THC (80 servings of 10 mg) = 1 oz of flower",
                note=RECODIFIED + ("" if category == SOLID_EDIBLE else "; the edible figure applied to this product"),
            )
            for code, category in OTHER_PRODUCTS
        ),
        ExemptProducts(
            code="co_rec_topicals",
            summary="nonedible, nonpsychoactive topical products do not count toward the adult-use limit",
            citation=TOPICALS,
            effective=START,
            confirmed=True,
            note=(
                "exempt by property, not category: a Topical line the POS flags exempt; plain Topical lines count, "
                "and the flag exempts no other category"
            ),
            customer_type="recreational",
            honor_line_flag=True,
            flag_categories=(TOPICAL,),
        ),
        # -------------------------------------------------------------------------------------------- medical
        NotResearched(
            code="co_med_not_researched",
            summary="medical limits before HB21-1317 took effect are not modelled",
            citation="state-rules.md gives Colorado's medical limits only as set by HB21-1317 from 2022-01-01",
            effective=START,
            until=HB21_1317,
            confirmed=True,
            note="a medical customer before 2022-01-01 is refused with an error, never allowed without limits",
            customer_type="medical",
        ),
        Limit(
            code="co_med_daily",
            summary="at most 2 oz of medical marijuana flower per day to a patient",
            citation=MEDICAL,
            effective=HB21_1317,
            confirmed=False,
            note=(
                "a budget of the non-concentrate categories: flower by weight, other non-concentrate products by "
                "package FE (a reading: the sources name only flower); concentrate has its own caps and does not "
                "count here; a calendar day in the store's time zone"
            ),
            customer_type="medical",
            window=Window.calendar_day(),
            cap="2 oz",
            categories=NOT_CONCENTRATES,
            kind=LimitKind.BUDGET,
        ),
        _med_concentrate(
            "co_med_concentrate",
            "8 g",
            CustomerCondition(min_age=21),
            confirmed=True,
            note="product weight of Concentrate and Combined Inhalable lines, per store-local calendar day",
        ),
        _med_concentrate(
            "co_med_concentrate_18_20",
            "2 g",
            CustomerCondition(min_age=18, max_age=20),
            confirmed=True,
            note="age on the sale day; product weight of Concentrate and Combined Inhalable lines, per day",
        ),
        _med_concentrate(
            "co_med_concentrate_under_18",
            "2 g",
            CustomerCondition(max_age=17),
            confirmed=False,
            note="the sources are silent under 18; the pack applies the 18-20 cap rather than none",
        ),
        _med_fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        # ------------------------------------------------------------------------------------------- both
        package_fe_counting("co", START),
        real_time_required(
            "co",
            START,
            note=(
                "a vendor's list, not a primary source; C.R.S. 44-10-501(1)(b)(II) shelters an unintentional "
                "over-limit sale made during a state tracking-system outage if the data is uploaded afterwards "
                "(documented only: the engine applies every limit regardless)"
            ),
        ),
    ),
)
"""Colorado's rule pack."""
