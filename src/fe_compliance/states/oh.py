"""Ohio (flagged, reported sources): adult-use 10 whole-day units per day across all forms from the first sales
(2024-08-06) to the change reported for 4 June 2025; from then 2.5 oz of plant material and 15 g of extract,
tracked separately; medical not modelled.

Sources, and what each says:

* ``state-rules.md``, "Corrections from primary sources" (reported by Ohio newspapers): from the first adult-use
  sales on 2024-08-06, at most 10 "whole-day units" per day across all forms, one unit being 2.83 g of plant
  material; the 2.5 oz / 15 g limits came in June 2025, exact date not found there.
* Ohio Admin. Code 3796:8-2-04(A)(1), as quoted by the Ohio Patients Network (ohiopatientsnetwork.org, "the 90-day
  medical marijuana supply issue"): "A whole day unit shall equal ... one-tenth of an ounce (two and eighty-three
  hundredths grams) of plant material". The Ohio Department of Commerce and Board of Pharmacy's own survey page
  ("Plant Material Whole Day Unit Survey") says the same: plant material is sold in 2.83 g increments, "referred to
  as a whole day unit".
* The 90-day supply of 3796:8-2-04(B) by form, as reproduced by a dispensary (verilife.com, "Legally purchasing
  medical marijuana in Ohio"): 8 oz tier I / 5.3 oz tier II plant material; 26.55 g of THC in patches, lotions,
  creams and other topical forms; 9.9 g of THC in oil, tincture, capsules and other edible forms; 53.1 g of THC in
  oil for vaporization. The whole-day units of the THC forms are not in any text read: the pack takes them as 1/90
  of the 90-day supply (295 mg, 110 mg, 590 mg of THC), the relation the Board's 2017 draft used for every THC form
  (mjwellness.com: 19.8 g = 90 x 220 mg patches, 9 g = 90 x 100 mg oral, 40.5 g = 90 x 450 mg vaporization).
  Plant material does not follow it (2.83 g x 90 is 9 oz, not 8), which is why those three figures are UNCONFIRMED.
* The change: reports of the Division of Cannabis Control's notice (mmjgazette.com, 29 May 2025, "starting June
  4"; weedman.ai, 9 June 2025, "effective June 4"; Dayton Daily News, "starting this week") give 4 June 2025: from
  then 2.5 oz of dried plant material per consumer per day, non-medical purchases no longer tracked as whole-day
  units, and a total of 15,000 mg of THC in the other products.
* The older "faster-moving or secondary" list of ``state-rules.md``: adult-use 2.5 oz of plant material and 15 g of
  extract tracked separately; medical a 90-day supply in two 45-day fills. Seed ``001_0f6da1db91b12d45.txt``:
  package-level FE counts toward limits.

No primary text of the adult-use limits was read, so every adult-use rule is UNCONFIRMED.

Readings taken where the sources are open or thin:

* 2024-08-06 until 2025-06-04 (``oh_rec_daily``, first version): one combined budget of 10 whole-day units per
  store-local calendar day, counted in grams of plant material (10 x 2.83 g = 28.3 g), every form converted by its
  whole-day unit: plant material by weight (``oh_rec_eq_flower``), oral forms (Solid Edible, Liquid Edible,
  Tincture) 110 mg of THC, oil for vaporization (Concentrate, Combined Inhalable) 590 mg of THC, patches and
  topical forms (Topical, Infused Non-Edible) 295 mg of THC (``oh_rec_eq_wdu_*``). A concentrate line without its THC
  counts its weight as THC (an upper bound, with a warning). Ohio authorizes no suppository form: no whole-day unit
  is found, so a suppository line needs a package FE (UNCONFIRMED, no source).
* The change date: the stricter rule stays in force until the latest day the change could have happened. The
  reports give 4 June 2025 as the day the new limits took effect, so the whole-day-unit rule applies through
  3 June 2025; had only "June 2025" been known, it would have stayed through 30 June 2025.
* From 2025-06-04 (``oh_rec_daily``, second version): 2.5 oz of plant material and 15 g of extract, "tracked
  separately": the 2.5 oz is a budget of the non-extract categories, plant material by weight and other non-extract
  products by their package FE (the sources give them no equivalent: counting them is never looser than leaving
  them out). The 15,000 mg of THC: one report puts it on "other cannabis products, such as edibles or tinctures",
  another on "all cannabis products". Nothing settles which, so the pack ships the reading never looser than
  either: 15,000 mg of THC per day across every category, plant material included (``oh_rec_thc``). Every line
  then needs its THC; 2.5 oz of flower under 18.8 % THC stays inside it, stronger flower meets the THC cap first.
* Extract: 15 g by product weight of Concentrate and Combined Inhalable per day in both periods
  (``oh_rec_extract``): the possession amount of the older list, kept as a never-looser cap beside the
  whole-day-unit budget.
* Window: a store-local calendar day (restored at local midnight), as the reports say "per day".
* Medical: a "90-day supply in two 45-day fills" is not modelled (``oh_med_not_researched``): the per-form
  whole-day units above are read for adult-use only, tiers of plant material by THC content and the 45-day fills
  need data this model does not carry; a medical customer is refused with an error, never allowed.
* Real-time reporting: Ohio is not on the vendor's list of states where batch reporting is not permitted, so
  ``oh_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates: the pack starts on 2024-08-06, the first day of adult-use retail sales; earlier dates raise.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from ..limits.pack import RulePack
from ..limits.rules import Equivalency, Limit, LimitKind, Measure, NotResearched, Window
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
from ._build import (
    CONCENTRATES,
    NOT_CONCENTRATES,
    Equivalents,
    batch_permitted,
    package_fe_counting,
    secondary_source,
)

__all__ = ["PACK"]

START: Final = dt.date(2024, 8, 6)
CHANGE: Final = dt.date(2025, 6, 4)
"""The first day of the 2.5 oz rule, as reported (the whole-day-unit rule applies through 2025-06-03)."""
SOURCE: Final = secondary_source("Ohio")
WDU_REPORT: Final = (
    "state-rules.md, Corrections from primary sources: OH adult-use (Ohio newspapers, reported): 10 whole-day units "
    "per day across all forms from 2024-08-06"
)
WDU_RULE: Final = (
    "Ohio Admin. Code 3796:8-2-04(A)(1) (whole day unit of plant material: 2.83 g), as quoted by "
    "ohiopatientsnetwork.org and stated by the Ohio Board of Pharmacy's Plant Material Whole Day Unit Survey"
)
NINETY_DAY: Final = (
    "Ohio Admin. Code 3796:8-2-04(B) 90-day supply by form, as reproduced by verilife.com; the whole-day unit taken "
    "as 1/90 of it, as in the Board's 2017 draft (mjwellness.com)"
)
CHANGE_REPORT: Final = (
    "Division of Cannabis Control notice effective 2025-06-04, as reported by mmjgazette.com (2025-05-29), "
    "weedman.ai (2025-06-09) and the Dayton Daily News"
)
CHANGE_NOTE: Final = (
    "the change to 2.5 oz is reported for 4 June 2025 (the stricter rule stays in force through 3 June; had only "
    '"June 2025" been known, through 30 June)'
)
DERIVED_NOTE: Final = (
    "the whole-day unit of this form is not in any text read: 1/90 of the form's 90-day supply, the relation the "
    "2017 draft used for every THC form (plant material does not follow it)"
)
DAY_NOTE: Final = "a store-local calendar day, restored at local midnight"
NOTE: Final = f"reported, no primary text of the adult-use limit read; {DAY_NOTE}"

_wdu: Final = Equivalents(
    prefix="oh_rec",
    customer_type="recreational",
    flower="2.83 g",
    citation=NINETY_DAY,
    effective=START,
    until=CHANGE,
    confirmed=False,
    note=DERIVED_NOTE,
)


def _wdu_rule(name: str, category: str, thc: str, form: str, *, weight_bound: bool = False) -> Equivalency:
    rule = _wdu(f"wdu_{name}", category, "potency", thc, f"one whole-day unit of {form}: {thc} of THC = 2.83 g")
    if weight_bound:
        note = rule.note + "; a line without THC counts its weight as THC (an upper bound, never looser)"
        rule = attrs.evolve(rule, note=note, weight_bounds_thc=True)
    return rule


PACK: Final = RulePack(
    state="OH",
    name="Ohio",
    time_zone="America/New_York",
    readings=(
        "Reported sources only; every adult-use figure is UNCONFIRMED.",
        "2024-08-06 to 2025-06-03: 10 whole-day units per store-local day across all forms (28.3 g of plant "
        "material); plant material 2.83 g per unit (3796:8-2-04(A)(1)), oral forms 110 mg, vaporization oil 590 mg, "
        "topical forms 295 mg of THC per unit (1/90 of the 90-day supply, UNCONFIRMED).",
        "The stricter whole-day-unit rule stays in force until the latest day the change could have happened: the "
        "reports give 4 June 2025 (through 30 June, had only June 2025 been known).",
        "From 2025-06-04: 2.5 oz of plant material (other non-extract products by package FE) and 15 g of extract "
        "by weight, tracked separately, plus 15,000 mg of THC across all products (reported for 'other products' "
        "by one report and 'all products' by another: the never-looser reading).",
        "The 15 g extract cap applies in both periods (never looser).",
        "Suppositories have no Ohio form and no whole-day unit: they need a package FE.",
        "Medical (a 90-day supply in two 45-day fills) is not modelled: medical customers are refused with an error.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="oh_rec_daily",
            summary="at most 10 whole-day units per day across all forms (10 x 2.83 g of plant material)",
            citation=f"{WDU_REPORT}; {WDU_RULE}",
            effective=START,
            until=CHANGE,
            confirmed=False,
            note=f"every form converted by its whole-day unit; {CHANGE_NOTE}; {NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="28.3 g",
        ),
        Limit(
            code="oh_rec_daily",
            summary="at most 2.5 oz of plant material per day",
            citation=f"{CHANGE_REPORT}; {SOURCE}",
            effective=CHANGE,
            confirmed=False,
            note=f"every category but extract, other products by package FE; {NOTE}",
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="2.5 oz",
            categories=NOT_CONCENTRATES,
            kind=LimitKind.BUDGET,
        ),
        Limit(
            code="oh_rec_thc",
            summary="at most 15,000 mg of THC per day",
            citation=CHANGE_REPORT,
            effective=CHANGE,
            confirmed=False,
            note=(
                'one report says "other cannabis products", another "all cannabis products": nothing settles it, so '
                f"the never-looser reading counts the THC of every line, plant material included; {NOTE}"
            ),
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="15 g",
            measure=Measure.THC,
        ),
        Limit(
            code="oh_rec_extract",
            summary="at most 15 g of extract, tracked separately from plant material",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=(
                "product weight of Concentrate and Combined Inhalable lines; from 2025-06-04 they do not count toward "
                f"the 2.5 oz; before, they also count toward the whole-day units; {NOTE}"
            ),
            customer_type="recreational",
            window=Window.calendar_day(),
            cap="15 g",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=CONCENTRATES,
        ),
        Equivalents(
            prefix="oh_rec",
            customer_type="recreational",
            flower="2.83 g",
            citation=WDU_RULE,
            effective=START,
            confirmed=False,
            note="the whole-day unit of plant material is medical rule text; its adult-use use is reported",
        ).by_weight("flower", FLOWER, "plant material counts by its weight (one whole-day unit = 2.83 g)"),
        *(
            _wdu_rule(name, category, "110 mg", "oil, tincture, capsule or edible (oral)")
            for name, category in (
                ("solid_edible", SOLID_EDIBLE),
                ("liquid_edible", LIQUID_EDIBLE),
                ("tincture", TINCTURE),
            )
        ),
        *(
            _wdu_rule(name, category, "590 mg", "oil for vaporization", weight_bound=True)
            for name, category in (("concentrate", CONCENTRATE), ("cartridge", COMBINED_INHALABLE))
        ),
        *(
            _wdu_rule(name, category, "295 mg", "patches, lotions, creams or ointments (topical)")
            for name, category in (("topical", TOPICAL), ("infused_non_edible", INFUSED_NON_EDIBLE))
        ),
        NotResearched(
            code="oh_med_not_researched",
            summary=("medical: a 90-day supply in two 45-day fills by tier and form; not modelled"),
            citation=SOURCE,
            effective=START,
            confirmed=True,
            note="tiers by THC content and 45-day fills need data the model does not carry; medical customers are "
            "refused",
            customer_type="medical",
        ),
        package_fe_counting("oh", START),
        batch_permitted("oh", START),
    ),
)
"""Ohio's rule pack."""
