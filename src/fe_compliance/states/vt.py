"""Vermont: adult-use 1 oz or the equivalent in a single transaction; medical not researched.

Sources (as collected in ``state-rules.md``): 7 V.S.A. s.907(b) (the adult-use sales limit), the Cannabis Control
Board's FAQ chart (1 oz = 8,400 mg of THC; the chart's date is not known), a 2022 board statement (about 8 g of
concentrate or 800 mg of THC in edibles per ounce) and seed ``001_0f6da1db91b12d45.txt`` (package-level FE counts
toward limits; it names Vermont as a state that enforces limits by flower equivalency).

Readings taken where the sources are open or conflict:

* Adult-use: one combined budget of 1 oz per transaction (``vt_rec_transaction``).
* Equivalents, in conflict: the board's FAQ chart counts 8,400 mg of THC as an ounce, the 2022 board statement
  about 8 g of concentrate and 800 mg of THC in edibles. The pack takes the 2022 statement: the chart's date is
  unknown, so it cannot be shown to replace the statement, and the statement is the stricter in every category
  (8 g of concentrate holds at most 8,000 mg of THC, below the chart's 8,400 mg; 800 mg of edibles is a tenth of
  it), so a store following it sells within either reading. All equivalents are UNCONFIRMED (``vt_rec_eq_*``).
  Concentrate and vape cartridges count by weight (8 g = 1 oz); solid and liquid edibles and tinctures by THC
  (800 mg = 1 oz). Other infused products (infused non-edibles, suppositories, topicals) have no equivalent in
  the sources: a line of them needs a package FE; no topical exemption is documented.
* Concentrate, in conflict: a 5 g possession limit on hashish is reported (``state-rules.md``, "Corrections from
  primary sources", unconfirmed), while the 8 g = 1 oz equivalent would sell up to 8 g of concentrate in one
  transaction. Nothing settles it, so the pack ships the reading never looser than either: a 5 g cap by product
  weight of Concentrate and Combined Inhalable per transaction (``vt_rec_concentrate``, UNCONFIRMED) beside the
  8 g equivalent. A bill (S.278) raising the limit to 2 oz is reported, undated: not modelled.
* Medical: not researched (``vt_med_not_researched``). The sources give no Vermont medical limits, so the pack
  does not guess: checking a medical customer raises an error, never an unlimited sale.
* Real-time reporting: Vermont is not on the vendor's list of states where batch reporting is not permitted, so
  ``vt_reporting`` says batch is permitted, UNCONFIRMED (absence from a vendor's list is not a source).
* Dates (UNCONFIRMED): the sources give no effective date; the pack starts on 2022-10-01, the first day of
  adult-use retail sales, and earlier dates raise. The budget (``vt_rec_transaction``) is unconfirmed for that
  reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..limits.pack import RulePack
from ..limits.rules import Limit, Measure, NotResearched, Window
from ..limits.vocabulary import (
    COMBINED_INHALABLE,
    CONCENTRATE,
    FLOWER,
    LIQUID_EDIBLE,
    SOLID_EDIBLE,
    TINCTURE,
)
from ._build import CONCENTRATES, Equivalents, batch_permitted, package_fe_counting

__all__ = ["PACK"]

START: Final = dt.date(2022, 10, 1)
STATUTE: Final = "7 V.S.A. s.907(b)"
STATEMENT: Final = "Cannabis Control Board statement (2022): about 8 g of concentrate or 800 mg of THC in edibles"
CHART: Final = "board FAQ chart (1 oz = 8,400 mg of THC, date unknown)"
DATE_NOTE: Final = "no effective date in the sources: dated from 2022-10-01, the first day of adult-use retail sales"
CONFLICT_NOTE: Final = f"conflict with the {CHART}; the 2022 statement is the stricter and is taken"


_fe: Final = Equivalents(
    prefix="vt_rec",
    customer_type="recreational",
    flower="1 oz",
    citation=f"{STATUTE}; {STATEMENT}",
    effective=START,
    confirmed=False,
    note=f"{CONFLICT_NOTE}; {DATE_NOTE}",
)


PACK: Final = RulePack(
    state="VT",
    name="Vermont",
    time_zone="America/New_York",
    readings=(
        "Adult-use: one combined budget of 1 oz per transaction.",
        "Equivalents follow the 2022 board statement (8 g of concentrate, 800 mg of THC in edibles = 1 oz) over the "
        "undated FAQ chart (8,400 mg of THC = 1 oz): the statement is stricter in every category; UNCONFIRMED.",
        "At most 5 g of concentrate (by weight) per transaction: the reported 5 g hashish possession limit is "
        "stricter than the 8 g equivalent, and the never-looser reading is shipped; UNCONFIRMED.",
        "Infused non-edibles, suppositories and topicals have no equivalent in the sources and need a package FE.",
        "Medical is not researched: medical customers are refused with an error, never allowed.",
        "Batch reporting permitted (absent from a vendor's list of restricted states), UNCONFIRMED.",
        "No effective date in the sources: rules dated from 2022-10-01 (first adult-use sales), UNCONFIRMED.",
    ),
    rules=(
        Limit(
            code="vt_rec_transaction",
            summary="at most 1 oz of cannabis, or the equivalent in cannabis products, in a single transaction",
            citation=STATUTE,
            effective=START,
            confirmed=False,
            note=DATE_NOTE,
            customer_type="recreational",
            window=Window.transaction(),
            cap="1 oz",
        ),
        Limit(
            code="vt_rec_concentrate",
            summary="at most 5 g of concentrate (hashish) per transaction",
            citation="state-rules.md, Corrections from primary sources: VT 5 g hashish possession limit (reported)",
            effective=START,
            confirmed=False,
            note=(
                "reported possession limit, stricter than the 8 g equivalent: the never-looser reading; product "
                f"weight of Concentrate and Combined Inhalable lines; {DATE_NOTE}"
            ),
            customer_type="recreational",
            window=Window.transaction(),
            cap="5 g",
            measure=Measure.GRAMS_CONCENTRATION,
            categories=CONCENTRATES,
        ),
        _fe.by_weight("flower", FLOWER, "flower counts by its weight", citation=STATUTE, note=DATE_NOTE),
        _fe(
            "concentrate",
            CONCENTRATE,
            "grams_concentration",
            "8 g",
            "about 8 g of concentrate = 1 oz of flower",
        ),
        _fe(
            "cartridge",
            COMBINED_INHALABLE,
            "grams_concentration",
            "8 g",
            "vape cartridges count as concentrate: 8 g = 1 oz of flower",
        ),
        *(
            _fe(code, category, "potency", "800 mg", "800 mg of THC in edibles = 1 oz of flower")
            for code, category in (
                ("solid_edible_thc", SOLID_EDIBLE),
                ("liquid_edible_thc", LIQUID_EDIBLE),
                ("tincture_thc", TINCTURE),
            )
        ),
        NotResearched(
            code="vt_med_not_researched",
            summary="Vermont medical cannabis limits are not researched in this library's sources",
            citation="state-rules.md (VT medical: not researched)",
            effective=START,
            confirmed=True,
            note="the pack does not guess: a medical customer is refused with an error",
            customer_type="medical",
        ),
        package_fe_counting("vt", START),
        batch_permitted("vt", START),
    ),
)
"""Vermont's rule pack."""
