"""Massachusetts: adult-use 1 oz per day (combined dry-weight equivalent); medical 10 oz per 60-day period, counted
as MassCIP counts.

Sources (the "Corrections from primary sources" of ``state-rules.md``, read in the rule text): 935 CMR
500.146(2)(a) (the current adult-use section, mirroring the older 500.140(3)(a): 1 oz per day; 1 oz of flower = 5 g
of active THC in marijuana concentrate "including, but not limited to, Tinctures" = 500 mg of active THC in edibles;
topicals exempt), M.G.L. c.94G s.7, 935 CMR 501.140(3)(a) ("no more than a 60-day supply in each 60-day period"),
935 CMR 501.002 (the "sixty-day supply" is 10 oz unless the certifying provider sets another amount; the
"fourteen-day supply" is 2.5 oz), seed ``000_ccfae62b51cd6f41.txt`` (MassCIP counts grams/concentration, non-flower
Metrc categories times 5.3) and seed ``001_0f6da1db91b12d45.txt`` (package-level FE).

Readings taken where the sources are open or conflict:

* Adult-use: 1 oz per calendar day in the store's time zone (``ma_rec_daily``), counted by package-level FE.
  Where a line has no FE, the rule's own equivalents compute it: 1 oz of flower = 5 g of active THC in concentrate
  = 500 mg of active THC in edibles.
* Concentrate counts by its active THC (``ma_rec_eq_concentrate``): the rule text says 5 g of active THC. (One
  retailer training source says stores count concentrate product weight; the rule text settles it.) A concentrate
  line that carries only its product weight (grams/concentration or net weight) is counted as if all of that
  weight were THC: THC never exceeds the weight, so this upper bound is never looser than the rule, and the
  decision warns that it was used; it is not refused as missing data.
* Tinctures take the concentrate figure, 5 g of active THC = 1 oz (``ma_rec_eq_tincture``): the rule names them
  inside the concentrate clause, not the edibles' 500 mg.
* Vape products (Combined Inhalable) are read as concentrate, 5 g of active THC = 1 oz, with the same weight bound
  (``ma_rec_eq_cartridge``, UNCONFIRMED: the rule does not name them).
* Edibles: 500 mg of active THC = 1 oz, as the rule says. Infused non-edibles are neither concentrate nor edible in
  the rule; they get the edibles' figure (the stricter of the two) so that a line without a package FE is still
  counted (``ma_rec_eq_infused_non_edible``, UNCONFIRMED). Topicals are exempt (``ma_rec_topicals``).
* Medical: a 60-day supply per 60-day period (``ma_med_60_day``), counted as MassCIP counts (``ma_med_counting``,
  via :mod:`fe_compliance.masscip`): each line needs its Metrc item category and grams/concentration. The 60-day
  supply is 10 oz unless the patient's certification sets another amount: the cap is per patient. A POS passes a
  patient's own amount as an allotment override of this limit, ``Customer(customer_type="medical",
  allotment_override="6 oz", override_limit="ma_med_60_day")``,
  which replaces the 10 oz for that patient (more or less than 10 oz, as certified) and nothing else. Whether the
  period rolls or is anchored to the certification date is not settled by the text: the pack rolls 60 store-local
  days (a purchase on day 1 is restored on day 61), the never-looser reading (consecutive fixed periods let a
  patient buy a full supply at the end of one period and another at the start of the next). A caller who knows
  the period is anchored may choose ``LimitEngine(..., period_anchor=PeriodAnchor.CERTIFICATION_DATE)``. A patient
  with the sales-limit exemption (``sales_limit_exemption``) has the medical limits waived (shown, never refusing).
* The 2.5 oz "fourteen-day supply" is a definition in 935 CMR 501.002; no source found makes it a sales cap, so it
  ships as ``ma_med_14_day``, UNCONFIRMED and ADVISORY (reported as a warning only).
* Medical topicals: MassCIP's own table decides (the masscip module counts them x5.3 and documents why); the
  topical exemption of 935 CMR 500.140 is applied to adult-use sales only.
* Real-time reporting: one POS vendor reports that batch reporting is not permitted in MA (``ma_reporting``,
  UNCONFIRMED: not a primary source).
* Dates: the pack starts on 2018-11-20, the first day of adult-use retail sales; earlier dates raise. The
  citations are to the current codification (adult-use 500.146, medical 935 CMR 501, both after that date).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from ..limits.customer import SALES_LIMIT_EXEMPTION
from ..limits.pack import RulePack
from ..limits.rules import (
    CountingBasis,
    CountingRule,
    Enforcement,
    Equivalency,
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
ADULT: Final = "935 CMR 500.146(2)(a) (formerly 935 CMR 500.140(3)(a)); M.G.L. c.94G s.7"
MEDICAL: Final = (
    "935 CMR 501.140(3)(a); 935 CMR 501.002 (sixty-day supply: 10 oz unless the certification says otherwise)"
)
DATE_NOTE: Final = "dated from 2018-11-20, the first day of adult-use retail sales; earlier versions are not modelled"
EDIBLE_READING: Final = (
    "the rule gives the 500 mg figure for edibles and 5 g for concentrate; an infused non-edible is neither, and "
    "takes the stricter edible figure, so that a line without a package FE is still counted"
)
WEIGHT_BOUND: Final = (
    "a line with no THC but its product weight counts the weight as THC (an upper bound, never looser), with a warning"
)
VAPE_READING: Final = f"vape products read as marijuana concentrate (the rule does not name them); {WEIGHT_BOUND}"


def _weight_bound(rule: Equivalency) -> Equivalency:
    """``rule`` with ``weight_bounds_thc``: a line with only its product weight counts the weight as THC."""
    return attrs.evolve(rule, weight_bounds_thc=True)


_rec_fe: Final = Equivalents(
    prefix="ma_rec", customer_type="recreational", flower="1 oz", citation=ADULT, effective=START, confirmed=True
)


PACK: Final = RulePack(
    state="MA",
    name="Massachusetts",
    time_zone="America/New_York",
    readings=(
        "Adult-use: 1 oz per store-local calendar day, by package-level FE; topicals exempt.",
        "Concentrate counts by active THC (5 g = 1 oz); a concentrate line with only its weight counts the weight "
        "as THC, an upper bound never looser than the rule, with a warning.",
        "Tinctures take the concentrate figure (5 g of active THC = 1 oz), as the rule names them there.",
        "Vape products read as concentrate (UNCONFIRMED); infused non-edibles take the stricter edible figure, 500 "
        "mg of THC = 1 oz (UNCONFIRMED).",
        "Medical: a 60-day supply per 60 days, 10 oz unless the patient's certification sets another amount (passed "
        "as an allotment override of ma_med_60_day), counted as MassCIP counts (x5.3 for non-flower); rolling 60 "
        "store-local days (restored on day 61), the never-looser reading; anchoring to the certification date is an "
        "engine option.",
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
        _weight_bound(
            _rec_fe(
                "concentrate",
                CONCENTRATE,
                "potency",
                "5 g",
                "5 g of active THC in marijuana concentrate = 1 oz of flower",
                note=WEIGHT_BOUND,
            )
        ),
        _weight_bound(
            _rec_fe(
                "cartridge",
                COMBINED_INHALABLE,
                "potency",
                "5 g",
                "5 g of active THC in vape products (concentrate) = 1 oz of flower",
                confirmed=False,
                note=VAPE_READING,
            )
        ),
        _rec_fe(
            "tincture",
            TINCTURE,
            "potency",
            "5 g",
            "5 g of active THC in marijuana concentrate, including tinctures, = 1 oz of flower",
        ),
        *(
            _rec_fe(code, category, "potency", "500 mg", "500 mg of active THC in edibles = 1 oz of flower")
            for code, category in (("solid_edible", SOLID_EDIBLE), ("liquid_edible", LIQUID_EDIBLE))
        ),
        _rec_fe(
            "infused_non_edible",
            INFUSED_NON_EDIBLE,
            "potency",
            "500 mg",
            "500 mg of active THC in edibles = 1 oz of flower, applied to this product",
            confirmed=False,
            note=EDIBLE_READING,
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
            summary="at most a sixty-day supply (10 oz unless the patient's certification sets another amount) "
            "per 60-day period",
            citation=MEDICAL,
            effective=START,
            confirmed=True,
            note=(
                "the cap is per patient: a certified amount other than 10 oz is passed as the customer's allotment "
                "override of this limit; whether the period rolls or starts at the certification date is not in the "
                "text: rolling 60 store-local days (restored on day 61), the never-looser reading; anchoring is an "
                "engine option"
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
