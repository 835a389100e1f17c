"""Weight tiers ("an eighth", "a half ounce") and the convention that turns them into grams.

Retail counts an eighth as 3.5 g, a quarter as 7 g, a half ounce as 14 g and an ounce as 28 g: the trade's
round numbers. The avoirdupois ounce is 28.349523125 g exactly (``fe_compliance.units.GRAMS_PER_OUNCE``), so an
eighth "by the ounce" is 3.543690390625 g. The difference is about 1.2 %: small per sale, but enough to move a
customer across a purchase limit. The convention is therefore explicit, defaults to the trade's
(:attr:`TierConvention.TRADE`), and every extraction takes ``tier_convention=`` so a caller can choose.

Gram tiers (half gram, gram, two grams ...) are the same in both conventions.
"""

from __future__ import annotations

import enum
from typing import Final

from ..units import GRAMS_PER_OUNCE

__all__ = ["DEFAULT_TIER_CONVENTION", "TierConvention", "TierSize", "tier_grams"]


class TierConvention(enum.Enum):
    """How ounce-fraction tiers become grams."""

    TRADE = "trade"
    """Eighth 3.5 g, quarter 7 g, half ounce 14 g, ounce 28 g, pound 448 g (16 trade ounces)."""

    AVOIRDUPOIS = "avoirdupois"
    """Fractions of the exact ounce: eighth 3.543690390625 g, ounce 28.349523125 g, pound 453.59237 g."""

    @classmethod
    def parse(cls, value: object) -> TierConvention:
        """Accept a member or its name/value in any case ("trade", "AVOIRDUPOIS", "ounce" for avoirdupois)."""
        from ..errors import InvalidValueError

        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            folded = value.strip().lower()
            if folded in ("ounce", "exact", "avoirdupois"):
                return cls.AVOIRDUPOIS
            if folded == "trade":
                return cls.TRADE
        raise InvalidValueError("tier_convention", value, "expected 'trade' or 'avoirdupois'")

    def __str__(self) -> str:
        return self.value


DEFAULT_TIER_CONVENTION: Final = TierConvention.TRADE


class TierSize(enum.Enum):
    """A named retail size. The value is (trade grams, avoirdupois grams)."""

    MILLIGRAM = (0.001, 0.001)
    HALF_GRAM = (0.5, 0.5)
    GRAM = (1.0, 1.0)
    TWO_GRAMS = (2.0, 2.0)
    THREE_GRAMS = (3.0, 3.0)
    EIGHTH = (3.5, GRAMS_PER_OUNCE / 8)
    QUARTER = (7.0, GRAMS_PER_OUNCE / 4)
    HALF_OUNCE = (14.0, GRAMS_PER_OUNCE / 2)
    OUNCE = (28.0, GRAMS_PER_OUNCE)
    POUND = (448.0, 16 * GRAMS_PER_OUNCE)

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


def tier_grams(size: TierSize, convention: TierConvention) -> float:
    """Grams of one ``size`` under ``convention``."""
    trade, exact = size.value
    return trade if convention is TierConvention.TRADE else exact
