"""The purchase-limit categories rule packs speak of, and the names POS systems and states use for them.

A sub-cap ("at most 15 g of concentrate") only protects anyone if every concentrate line reaches it. So rule packs
name categories from one canonical list, every line's category is resolved through the pack's aliases, and a line
whose category the pack does not know is an error rather than a line that silently escapes its sub-cap. A POS
with its own names passes extra aliases to the engine.

The canonical names follow the POS naming of ``001_0f6da1db91b12d45.txt`` where it gives one ("Combined
Inhalable", which some states call "Cartridges").
"""

from __future__ import annotations

from typing import Final

from ..categories import DEFAULT_ALIASES

__all__ = [
    "COMBINED_INHALABLE",
    "CONCENTRATE",
    "FLOWER",
    "INFUSED_NON_EDIBLE",
    "LIQUID_EDIBLE",
    "SOLID_EDIBLE",
    "STANDARD_ALIASES",
    "STANDARD_CATEGORIES",
    "SUPPOSITORY",
    "TINCTURE",
    "TOPICAL",
]

FLOWER: Final = "Flower"
CONCENTRATE: Final = "Concentrate"
COMBINED_INHALABLE: Final = "Combined Inhalable"
SOLID_EDIBLE: Final = "Solid Edible"
LIQUID_EDIBLE: Final = "Liquid Edible"
TINCTURE: Final = "Tincture"
INFUSED_NON_EDIBLE: Final = "Infused Non-Edible"
TOPICAL: Final = "Topical"
SUPPOSITORY: Final = "Suppository"

STANDARD_CATEGORIES: Final[tuple[str, ...]] = (
    FLOWER,
    CONCENTRATE,
    COMBINED_INHALABLE,
    SOLID_EDIBLE,
    LIQUID_EDIBLE,
    TINCTURE,
    INFUSED_NON_EDIBLE,
    TOPICAL,
    SUPPOSITORY,
)
"""Every canonical purchase-limit category a pack may name."""

STANDARD_ALIASES: Final = DEFAULT_ALIASES.with_aliases(
    {
        "Buds": FLOWER,
        "Bud": FLOWER,
        "Usable Marijuana": FLOWER,
        "Usable Marihuana": FLOWER,
        "Pre-Roll": FLOWER,
        "Pre-Rolls": FLOWER,
        "Preroll": FLOWER,
        "Shake": FLOWER,
        "Trim": FLOWER,
        "Shake/Trim": FLOWER,
        "Concentrates": CONCENTRATE,
        "Extract": CONCENTRATE,
        "Extracts": CONCENTRATE,
        "Concentrated Cannabis": CONCENTRATE,
        "Kief": CONCENTRATE,
        "Resin": CONCENTRATE,
        "Wax": CONCENTRATE,
        "Vape Oil": CONCENTRATE,
        "Vape": COMBINED_INHALABLE,
        "Vape Cartridge": COMBINED_INHALABLE,
        "Vape Cartridges": COMBINED_INHALABLE,
        "Edible": SOLID_EDIBLE,
        "Edibles": SOLID_EDIBLE,
        "Solid Edibles": SOLID_EDIBLE,
        "Solid Infused": SOLID_EDIBLE,
        "Beverage": LIQUID_EDIBLE,
        "Beverages": LIQUID_EDIBLE,
        "Liquid Edibles": LIQUID_EDIBLE,
        "Liquid Infused": LIQUID_EDIBLE,
        "Tinctures": TINCTURE,
        "Infused Non-Edibles": INFUSED_NON_EDIBLE,
        "Topicals": TOPICAL,
        "Suppositories": SUPPOSITORY,
    }
)
"""Canonical names plus the common spellings of them; a pack may add its state's own names."""
