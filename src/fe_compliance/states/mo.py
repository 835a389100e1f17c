"""Missouri (flagged, secondary source): adult-use 3 oz per transaction, counted in marijuana equivalents
(1 MME = 3.5 g of flower = 1 g of concentrate = 100 mg of THC); medical not modelled.

Sources: only the "faster-moving or secondary" list of ``state-rules.md`` (the MME equivalence, adult-use 3 oz per
transaction, medical rolling 30 days), with no primary citation and no effective date; the vendor's list of
states where batch reporting is not permitted (Missouri is on it); seed ``001_0f6da1db91b12d45.txt``
(package-level FE counts toward limits). Every rule that carries a number is UNCONFIRMED (``mo_rec_*``,
``mo_reporting``).

Readings taken where the sources are open or thin:

* Adult-use: one combined budget of 3 oz per transaction (``mo_rec_transaction``). Lines without a package FE
  convert through the MME: 1 g of concentrate (vape cartridges included) = 3.5 g of flower, 100 mg of THC in an
  infused product = 3.5 g of flower (``mo_rec_eq_*``). The THC figure is applied to every infused category,
  topicals included (no exemption in the sources).
* The MME is listed without saying which customers it serves; the pack applies it to adult-use sales, the only
  Missouri limit it models.
* Medical: the sources give the window (rolling 30 days) but not the amount, so there is no cap to encode: medical
  is not modelled (``mo_med_not_researched``) and a medical customer is refused with an error, never allowed.
* Real-time reporting: the vendor's list says batch reporting is not permitted in MO (``mo_reporting``,
  UNCONFIRMED: not a primary source).
* Dates (UNCONFIRMED): the sources give none. The pack starts on 2023-02-03, the first day of adult-use retail
  sales (chosen, not in the sources); earlier dates raise.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import Limit, NotResearched, Window
from ..limits.vocabulary import COMBINED_INHALABLE, CONCENTRATE, FLOWER
from ._build import INFUSED_PRODUCTS, Equivalents, package_fe_counting, real_time_required, secondary_source

__all__ = ["MME", "PACK"]

START: Final = dt.date(2023, 2, 3)
MME: Final = "3.5 g"
"""One marijuana equivalent, in grams of flower."""
SOURCE: Final = secondary_source("Missouri")
NOTE: Final = "secondary source only; dated from 2023-02-03, the first day of adult-use sales (chosen)"
_fe: Final = Equivalents(
    prefix="mo_rec",
    customer_type="recreational",
    flower=MME,
    citation=SOURCE,
    effective=START,
    confirmed=False,
    note=NOTE,
)

PACK: Final = RulePack(
    state="MO",
    name="Missouri",
    time_zone="America/Chicago",
    readings=(
        "Secondary source only; every figure is UNCONFIRMED.",
        "Adult-use: one combined budget of 3 oz per transaction; 1 MME = 3.5 g of flower = 1 g of concentrate "
        "(cartridges included) = 100 mg of THC in any infused product, topicals included.",
        "Medical: the window (rolling 30 days) is known, the amount is not: not modelled, medical customers are "
        "refused with an error.",
        "Batch reporting not permitted (vendor statement, UNCONFIRMED).",
        "No effective date in the sources: rules dated from 2023-02-03 (first adult-use sales), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="mo_rec_transaction",
            summary="at most 3 oz of marijuana, or its equivalent, per transaction",
            citation=SOURCE,
            effective=START,
            confirmed=False,
            note=NOTE,
            customer_type="recreational",
            window=Window.transaction(),
            cap="3 oz",
        ),
        _fe.by_weight("flower", FLOWER, "flower counts by its weight (3.5 g = 1 MME)"),
        _fe("concentrate", CONCENTRATE, "grams_concentration", "1 g", "1 g of concentrate = 1 MME = 3.5 g of flower"),
        _fe(
            "cartridge",
            COMBINED_INHALABLE,
            "grams_concentration",
            "1 g",
            "vape cartridges count as concentrate: 1 g = 1 MME = 3.5 g of flower",
        ),
        *(
            _fe(f"{code}_thc", category, "potency", "100 mg", "100 mg of THC = 1 MME = 3.5 g of flower")
            for code, category in INFUSED_PRODUCTS
        ),
        NotResearched(
            code="mo_med_not_researched",
            summary="Missouri medical: rolling 30 days, but no amount in the sources; not modelled",
            citation=SOURCE,
            effective=START,
            confirmed=True,
            note="a window without a cap cannot be encoded; medical customers are refused with an error",
            customer_type="medical",
        ),
        package_fe_counting("mo", START),
        real_time_required("mo", START),
    ),
)
"""Missouri's rule pack."""
