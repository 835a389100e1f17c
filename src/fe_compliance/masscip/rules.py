"""The MassCIP counting rule as data: the 5.3 multiplier and the rules (with citations) that results quote.

Source: the Dutchie POS "MassCIP configuration guide" (seed ``000_ccfae62b51cd6f41.txt``, section "Things to know").
Massachusetts' patient system, MassCIP, deducts a package's *grams/concentration* value from a patient's
allotment; each Metrc item category maps to a MassCIP category, and for every non-flower category MassCIP multiplies
the grams/concentration value by 5.3. The POS flower-equivalent value plays no part: it only limits sales inside the
POS and is never transmitted to MassCIP.
"""

from __future__ import annotations

from typing import Final

from ..explain import Rule

__all__ = ["FLOWER_MULTIPLIER", "MULTIPLIER", "RULE_BASIS", "RULE_FLOWER", "RULE_NON_FLOWER", "SEED"]

SEED: Final = "000_ccfae62b51cd6f41.txt"
"""The source document of the rule (Dutchie POS, MassCIP configuration guide)."""

MULTIPLIER: Final = 5.3
"""What MassCIP multiplies a non-flower package's grams/concentration value by (seed 000, "Things to know")."""

FLOWER_MULTIPLIER: Final = 1.0
"""Flower is the unit MassCIP counts in: its grams/concentration value is deducted as it is."""

RULE_BASIS: Final = Rule(
    code="MA-MASSCIP-BASIS",
    summary="MassCIP deducts each package's grams/concentration value; the POS flower equivalent is not transmitted",
    source=SEED,
    section="Things to know",
)
RULE_FLOWER: Final = Rule(
    code="MA-MASSCIP-FLOWER",
    summary="a flower category's grams/concentration value counts as it is (x1)",
    source=SEED,
    section="Things to know",
)
RULE_NON_FLOWER: Final = Rule(
    code="MA-MASSCIP-5.3",
    summary="a non-flower category's grams/concentration value is multiplied by 5.3",
    source=SEED,
    section="Things to know",
)
