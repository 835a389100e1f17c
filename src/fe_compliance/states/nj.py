"""New Jersey: adult-use the equivalent of 1 oz (28.35 g) per transaction, where 1 oz of flower = 4 g of concentrate
= 1,000 mg of THC in ingestibles; medical 84 g per 30-day period, terminally ill patients exempt.

Sources (as collected in ``state-rules.md``): the state's cannabis pages (nj.gov/cannabis, the adult personal-use
page and the patient FAQ), the state press release of 2022-04-21, and seed ``001_0f6da1db91b12d45.txt``
(package-level FE counts toward limits). The section of N.J.A.C. 17:30 that carries these limits was not found,
so the rules cite the state's pages.

Readings taken where the sources are open or conflict:

* Adult-use: one combined budget of 28.35 g per transaction (``nj_rec_transaction``). The cap uses the state's own
  rounding of an ounce (28.35 g, 0.48 mg more than 28.3495 g) and so do the equivalents, so a package the state
  calls one ounce fits exactly.
* Concentrate: the press release of 2022-04-21 said 5 g of concentrate equals an ounce; the later state pages say
  4 g. The pack takes 4 g (``nj_rec_eq_concentrate``; vape oil and cartridges the same, ``nj_rec_eq_cartridge``):
  the later statement, and the stricter one, so a store following it is within either. Both rules are UNCONFIRMED
  because of the conflict and the missing regulation section.
* Ingestibles: 1,000 mg of THC (ten 100 mg packages) = 1 oz, applied to solid and liquid edibles and tinctures
  (``nj_rec_eq_*_thc``). Non-ingested infused products (infused non-edibles, suppositories, topicals) have no
  equivalent in the sources: a line of them needs a package FE; no topical exemption is documented.
* Medical: 84 g per 30-day period (``nj_med_30_day``), read as rolling 30 store-local days, a purchase on day 1
  restored on day 31 (UNCONFIRMED: the sources do not say whether the period rolls). A patient carrying the
  ``terminally_ill`` exemption has it waived: the figures are shown, never refusing. The adult-use equivalents are
  applied to medical lines without a package FE (``nj_med_eq_*``, UNCONFIRMED: the sources give no medical ones).
* Real-time reporting: New Jersey is not on the vendor's list of states where batch reporting is not permitted,
  so ``nj_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates (UNCONFIRMED): the sources state no effective date. The pack starts on 2022-04-21, the date of the press
  release (the opening of adult-use sales); earlier dates raise. Every limit and equivalent is therefore
  unconfirmed (``nj_rec_*``, ``nj_med_*``).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.customer import TERMINALLY_ILL
from ..limits.pack import RulePack
from ..limits.rules import DatedRule, Limit, Window
from ..limits.vocabulary import (
    COMBINED_INHALABLE,
    CONCENTRATE,
    FLOWER,
    LIQUID_EDIBLE,
    SOLID_EDIBLE,
    TINCTURE,
)
from ._build import Equivalents, batch_permitted, package_fe_counting

__all__ = ["OUNCE", "PACK"]

START: Final = dt.date(2022, 4, 21)
OUNCE: Final = "28.35 g"
"""New Jersey's ounce, as its pages round it."""
ADULT: Final = "nj.gov/cannabis adult personal-use page (N.J.A.C. 17:30 section not found)"
PRESS: Final = "state press release of 2022-04-21 (said 5 g)"
MEDICAL: Final = "nj.gov/cannabis patient FAQ (N.J.A.C. 17:30 section not found)"
DATE_NOTE: Final = "no effective date in the sources: dated from 2022-04-21, the press release (adult-use sales open)"
INGESTIBLES: Final = (("solid_edible", SOLID_EDIBLE), ("liquid_edible", LIQUID_EDIBLE), ("tincture", TINCTURE))


def _equivalents(prefix: str, customer_type: str, *, citation: str, note: str) -> tuple[DatedRule, ...]:
    fe = Equivalents(
        prefix=prefix,
        customer_type=customer_type,
        flower=OUNCE,
        citation=citation,
        effective=START,
        confirmed=False,
        note=note,
    )
    # The concentrate rules cite the conflicting press release too; their definitions keep the page as source.
    conflict = f"{citation}; conflict: {PRESS}"
    return (
        fe.by_weight("flower", FLOWER, "flower counts by its weight"),
        fe(
            "concentrate",
            CONCENTRATE,
            "grams_concentration",
            "4 g",
            "4 g of concentrate or resin = 1 oz of flower",
            citation=conflict,
            source=citation,
        ),
        fe(
            "cartridge",
            COMBINED_INHALABLE,
            "grams_concentration",
            "4 g",
            "4 g of vape oil = 1 oz of flower",
            citation=conflict,
            source=citation,
        ),
        *(
            fe(
                f"{code}_thc",
                category,
                "potency",
                "1000 mg",
                "1,000 mg of THC in ingestibles (ten 100 mg packages) = 1 oz of flower",
            )
            for code, category in INGESTIBLES
        ),
    )


PACK: Final = RulePack(
    state="NJ",
    name="New Jersey",
    time_zone="America/New_York",
    readings=(
        "Adult-use: one combined budget of 28.35 g (the state's ounce) per transaction.",
        "Concentrate and vape oil: 4 g = 1 oz, following the later state pages over the 2022-04-21 press release "
        "(5 g); the stricter figure; UNCONFIRMED.",
        "Ingestibles: 1,000 mg of THC = 1 oz for solid and liquid edibles and tinctures; other infused products "
        "need a package FE.",
        "Medical: 84 g per 30-day period, read as rolling 30 store-local days (restored on day 31), UNCONFIRMED; "
        "waived for terminally ill patients.",
        "The adult-use equivalents applied to medical lines without FE are UNCONFIRMED.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
        "No effective date in the sources: rules dated from 2022-04-21 (the press release), UNCONFIRMED; the "
        "N.J.A.C. 17:30 section was not found.",
    ),
    rules=(
        Limit(
            code="nj_rec_transaction",
            summary="at most the equivalent of 1 oz (28.35 g) of usable cannabis per transaction",
            citation=ADULT,
            effective=START,
            confirmed=False,
            note="the state's rounding of an ounce; " + DATE_NOTE,
            customer_type="recreational",
            window=Window.transaction(),
            cap=OUNCE,
        ),
        *_equivalents("nj_rec", "recreational", citation=ADULT, note=DATE_NOTE),
        Limit(
            code="nj_med_30_day",
            summary="at most 84 g of usable cannabis (or the equivalent) per 30-day period",
            citation=MEDICAL,
            effective=START,
            confirmed=False,
            note=(
                "read as rolling 30 store-local days: a purchase on day 1 is restored on day 31; waived for "
                "terminally ill patients; " + DATE_NOTE
            ),
            customer_type="medical",
            window=Window.rolling(30),
            cap="84 g",
            waived_by=(TERMINALLY_ILL,),
        ),
        *_equivalents(
            "nj_med",
            "medical",
            citation=f"{ADULT} (adult-use equivalents applied to medical)",
            note="the sources give no medical equivalents; the adult-use ones are a reading",
        ),
        package_fe_counting("nj", START),
        batch_permitted("nj", START),
    ),
)
"""New Jersey's rule pack."""
