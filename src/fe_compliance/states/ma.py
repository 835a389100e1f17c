"""Massachusetts: adult-use 1 oz per day (combined dry-weight equivalent); medical 10 oz per 60-day period, counted
as MassCIP counts.

Sources (as collected in ``state-rules.md``): 935 CMR 500.140(3)(a) (adult-use sales limit and its equivalents,
topicals), M.G.L. c.94G s.7, 935 CMR 501.002 (the medical "sixty-day supply" of 10 oz and "fourteen-day supply"
of 2.5 oz), 935 CMR 501.140(3)(a), seed ``000_ccfae62b51cd6f41.txt`` (MassCIP counts grams/concentration, non-flower
Metrc categories times 5.3) and seed ``001_0f6da1db91b12d45.txt`` (package-level FE).

Readings taken where the sources are open or conflict:

* Adult-use: 1 oz per calendar day in the store's time zone (``ma_rec_daily``), counted by package-level FE.
  Where a line has no FE, the rule's own equivalents compute it: 1 oz of flower = 5 g of active THC in
  concentrate = 500 mg of active THC in edibles. Concentrate: the rule text says 5 g of *active THC*, while one
  retailer training source says stores count concentrate *product weight*. The pack follows the regulation text
  (a potency-based definition), because the regulation is the primary source and the training material is not,
  and flags both concentrate equivalents (``ma_rec_eq_concentrate``, ``ma_rec_eq_cartridge``) as UNCONFIRMED
  because of the conflict. This is the looser of the two readings (a concentrate's THC never exceeds its weight);
  the equivalents only compute an FE for a line that has none, so a store that follows the training source gives
  its concentrate packages a package FE by weight, which always wins.
* Edibles: 500 mg of active THC = 1 oz, as the rule says. The rule names edibles only; tinctures and infused
  non-edibles get the same figure so that a line without a package FE is still counted, and those two rules are
  UNCONFIRMED as readings (``ma_rec_eq_tincture``, ``ma_rec_eq_infused_non_edible``). Topicals are exempt
  (``ma_rec_topicals``).
* Medical: 10 oz per 60-day period (``ma_med_60_day``), counted as MassCIP counts (``ma_med_counting``, via
  :mod:`fe_compliance.masscip`): each line needs its Metrc item category and grams/concentration. Whether the
  period rolls or is anchored to the certification date is not settled by the sources, so the rule is UNCONFIRMED
  and the engine offers both: rolling 60 store-local days by default (a purchase on day 1 is restored on day 61),
  or ``LimitEngine(..., period_anchor=PeriodAnchor.CERTIFICATION_DATE)`` for consecutive 60-day periods from the
  customer's certification date. A patient with the sales-limit exemption (``sales_limit_exemption``) has the
  medical limits waived (shown, never refusing); an allotment override replaces the 10 oz cap.
* The 2.5 oz "fourteen-day supply" is a definition in 935 CMR 501.002; no source found makes it a sales cap, so it
  ships as ``ma_med_14_day``, UNCONFIRMED and ADVISORY (reported as a warning only).
* Medical topicals: MassCIP's own table decides (the masscip module counts them x5.3 and documents why); the
  topical exemption of 935 CMR 500.140 is applied to adult-use sales only.
* Real-time reporting: one POS vendor reports that batch reporting is not permitted in MA (``ma_reporting``,
  UNCONFIRMED: not a primary source).
* Dates: the pack starts on 2018-11-20, the first day of adult-use retail sales; earlier dates raise. The
  citations are to the current codification (medical rules moved to 935 CMR 501 after that date).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.customer import SALES_LIMIT_EXEMPTION
from ..limits.pack import RulePack
from ..limits.rules import (
    CountingBasis,
    CountingRule,
    Enforcement,
    ExemptProducts,
    Limit,
    Window,
)
from ..limits.vocabulary import (
    COMBINED_INHALABLE,
    CONCENTRATE,
    FLOWER,
    INFUSED_NON_EDIBLE,
    LIQUID_EDIBLE,
    SOLID_EDIBLE,
    TINCTURE,
    TOPICAL,
)
from ._build import SEED_001, Equivalents, real_time_required

__all__ = ["PACK"]

START: Final = dt.date(2018, 11, 20)
ADULT: Final = "935 CMR 500.140(3)(a); M.G.L. c.94G s.7"
MEDICAL: Final = "935 CMR 501.002 (sixty-day supply); 935 CMR 501.140(3)(a)"
DATE_NOTE: Final = "dated from 2018-11-20, the first day of adult-use retail sales; earlier versions are not modelled"
EDIBLE_READING: Final = (
    "the rule gives the 500 mg figure for edibles only; applying it to this product is a reading, so that a line "
    "without a package FE is still counted"
)
CONFLICT: Final = (
    "conflict: the rule text counts 5 g of active THC in concentrate, one retailer training source counts product "
    "weight; the pack follows the rule text"
)


_rec_fe: Final = Equivalents(
    prefix="ma_rec", customer_type="recreational", flower="1 oz", citation=ADULT, effective=START, confirmed=True
)


PACK: Final = RulePack(
    state="MA",
    name="Massachusetts",
    time_zone="America/New_York",
    readings=(
        "Adult-use: 1 oz per store-local calendar day, by package-level FE; topicals exempt.",
        "Concentrate equivalent follows the rule text (5 g of active THC = 1 oz), UNCONFIRMED because a retailer "
        "training source counts product weight instead (the stricter count; a package FE by weight applies it).",
        "Tinctures and infused non-edibles count like edibles (500 mg of active THC = 1 oz): a reading, UNCONFIRMED.",
        "Medical: 10 oz per 60 days counted as MassCIP counts (x5.3 for non-flower); rolling 60 store-local days by "
        "default (restored on day 61), anchored to the certification date as an engine option; UNCONFIRMED which.",
        "The 2.5 oz fourteen-day supply is a definition, not a confirmed cap: advisory.",
        "A medical patient with the sales-limit exemption has the medical limits waived; an allotment override "
        "replaces the 10 oz cap.",
        "Batch reporting not permitted (vendor statement, UNCONFIRMED).",
    ),
    rules=(
        Limit(
            code="ma_rec_daily",
            summary="at most 1 oz of marijuana, or its combined dry-weight equivalent, per day",
            citation=ADULT,
            effective=START,
            confirmed=True,
            note="a calendar day in the store's time zone; " + DATE_NOTE,
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="1 oz",
        ),
        _rec_fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        _rec_fe(
            "concentrate",
            CONCENTRATE,
            "potency",
            "5 g",
            "5 g of active THC in concentrate = 1 oz of flower",
            confirmed=False,
            note=CONFLICT,
        ),
        _rec_fe(
            "cartridge",
            COMBINED_INHALABLE,
            "potency",
            "5 g",
            "5 g of active THC in vape products (concentrate) = 1 oz of flower",
            confirmed=False,
            note=CONFLICT,
        ),
        *(
            _rec_fe(code, category, "potency", "500 mg", "500 mg of active THC in edibles = 1 oz of flower")
            for code, category in (("solid_edible", SOLID_EDIBLE), ("liquid_edible", LIQUID_EDIBLE))
        ),
        *(
            _rec_fe(
                code,
                category,
                "potency",
                "500 mg",
                "500 mg of active THC in edibles = 1 oz of flower, applied to this product",
                confirmed=False,
                note=EDIBLE_READING,
            )
            for code, category in (("tincture", TINCTURE), ("infused_non_edible", INFUSED_NON_EDIBLE))
        ),
        ExemptProducts(
            code="ma_rec_topicals",
            summary="topical products do not count toward the adult-use limit",
            citation=ADULT,
            effective=START,
            confirmed=True,
            customer_type="recreational",
            categories=(TOPICAL,),
        ),
        CountingRule(
            code="ma_rec_counting",
            summary="adult-use lines count by their package-level flower equivalent",
            citation=SEED_001,
            effective=START,
            confirmed=True,
            customer_type="recreational",
            basis=CountingBasis.PACKAGE_FE,
        ),
        Limit(
            code="ma_med_60_day",
            summary="at most a sixty-day supply, 10 oz, per 60-day period",
            citation=MEDICAL,
            effective=START,
            confirmed=False,
            note=(
                "the 10 oz amount is in the rule; whether the period rolls or starts at the certification date is "
                "not: rolling 60 store-local days by default (restored on day 61), anchoring is an engine option"
            ),
            customer_type="medical",
            window=Window.rolling(60, anchor_selectable=True),
            cap="10 oz",
            waived_by=(SALES_LIMIT_EXEMPTION,),
        ),
        Limit(
            code="ma_med_14_day",
            summary="a fourteen-day supply is defined as 2.5 oz",
            citation="935 CMR 501.002 (fourteen-day supply)",
            effective=START,
            confirmed=False,
            note="a definition, not a confirmed sales cap: advisory; rolling 14 store-local days, restored on day 15",
            customer_type="medical",
            window=Window.rolling(14),
            cap="2.5 oz",
            enforcement=Enforcement.ADVISORY,
            waived_by=(SALES_LIMIT_EXEMPTION,),
        ),
        CountingRule(
            code="ma_med_counting",
            summary="medical lines count as MassCIP counts: grams/concentration, times 5.3 for non-flower categories",
            citation="000_ccfae62b51cd6f41.txt, Things to know",
            effective=START,
            confirmed=True,
            customer_type="medical",
            basis=CountingBasis.MASSCIP,
        ),
        real_time_required("ma", START),
    ),
)
"""Massachusetts' rule pack."""
