"""What an extraction returns: the grams, what they measure, where they were read, and the trace of why."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any, NamedTuple

import attrs

from ..explain import Rule
from ..units import grams_quantity
from .errors import VendorError
from .tiers import DEFAULT_TIER_CONVENTION, TierConvention

__all__ = [
    "Basis",
    "BulkExtraction",
    "ExtractOptions",
    "GramsResult",
    "LineGrams",
    "Outcome",
    "PlausibilityWarning",
    "TraceLog",
    "TraceStep",
]


class Basis(enum.StrEnum):
    """What the grams measure. A purchase-limit rule decides which basis it accepts; the library only reports it."""

    THC = "thc"
    """Grams of THC in the product (an edible's THC content, not its weight)."""
    PRODUCT_WEIGHT = "product_weight"
    """The product's own weight field (Dutchie productGrams, Flowhub productWeight)."""
    NET_WEIGHT = "net_weight"
    """The net weight of the product's contents."""
    USABLE_WEIGHT = "usable_weight"
    """Usable cannabis weight as a track-and-trace system records it (BioTrack, Alleaves)."""
    UNIT_WEIGHT = "unit_weight"
    """The weight of one unit as recorded on the item or the sale line (Metrc UnitWeight, Dutchie unitWeight)."""
    WEIGHT_SOLD = "weight_sold"
    """A weight sold, read from a weight tier or a grams-sold field on the line."""
    CUSTOM_WEIGHT = "custom_weight"
    """A weight the retailer typed in for a product outside the standard tiers (Blaze custom grams)."""
    UNIT_MULTIPLIER = "unit_multiplier"
    """Grams per unit of the product's unit of measure (Flowhub's multiplier)."""
    FLOWER_EQUIVALENT = "flower_equivalent"
    """The POS's own flower-equivalent figure."""


class Outcome(enum.Enum):
    """What happened at one step of the chain."""

    TAKEN = "taken"
    SKIPPED = "skipped"
    NOTE = "note"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True)
class TraceStep:
    """One line of the trace: the chain step, the field it is about, what happened and why."""

    step: str
    source: str
    outcome: Outcome
    reason: str

    def __str__(self) -> str:
        return f"{self.step} [{self.source}]: {self.outcome.value}, {self.reason}"

    def to_dict(self) -> dict[str, str]:
        return {"step": self.step, "source": self.source, "outcome": self.outcome.value, "reason": self.reason}


@attrs.frozen(slots=True)
class PlausibilityWarning:
    """A value that is probably mis-keyed. The grams are still returned; the warning says why to doubt them."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class TraceLog(list[TraceStep]):
    """The trace of one traced extraction while it runs: the steps in order, and the plausibility warnings a step
    attached to the value it gave (a :class:`~fe_compliance.greencheck.steps.Computed`), which the runner adds to
    the result's ``warnings``. The bulk path has no trace and so no warnings."""

    __slots__ = ("warnings",)

    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[PlausibilityWarning] = []


def _convention(value: object) -> TierConvention:
    return TierConvention.parse(value)


@attrs.frozen(slots=True)
class ExtractOptions:
    """Caller choices that change the numbers. ``tier_convention`` matters only to vendors with weight tiers."""

    tier_convention: TierConvention = attrs.field(default=DEFAULT_TIER_CONVENTION, converter=_convention)


@attrs.frozen(slots=True)
class GramsResult:
    """The grams of one sale line, explained.

    ``grams_value`` is the whole line in grams (a per-unit value times ``quantity``); ``per_unit_value`` the
    grams of one unit when the field read is per unit, else ``None``. :attr:`grams` and :attr:`per_unit` give
    the same numbers as pint Quantities. ``trace`` lists every step tried, in order.
    """

    vendor: str
    grams_value: float
    per_unit_value: float | None
    quantity: float | None
    basis: Basis
    source: str
    step: str
    warnings: tuple[PlausibilityWarning, ...]
    trace: tuple[TraceStep, ...]
    rule: Rule
    options: ExtractOptions

    @property
    def grams(self) -> Any:
        """The line's grams as a Quantity in grams."""
        return grams_quantity(self.grams_value)

    @property
    def per_unit(self) -> Any:
        """Grams of one unit as a Quantity, or ``None`` when the field read covers the whole line."""
        return None if self.per_unit_value is None else grams_quantity(self.per_unit_value)

    def explanation(self) -> list[str]:
        """The trace as numbered sentences, then the result and any warnings."""
        lines = [f"{number}. {step}" for number, step in enumerate(self.trace, start=1)]
        lines.append(f"= {self.grams_value:.6g} g ({self.basis.value}, from {self.source}) [{self.rule.citation}]")
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return lines

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping. Shape::

            {"vendor": str, "grams": float, "unit": "g", "per_unit_grams": float | null, "quantity": float | null,
             "basis": str, "source": str, "step": str, "tier_convention": str,
             "warnings": [{"code", "message"}], "trace": [{"step", "source", "outcome", "reason"}],
             "rule": {"code", "summary", "citation"}}
        """
        return {
            "vendor": self.vendor,
            "grams": self.grams_value,
            "unit": "g",
            "per_unit_grams": self.per_unit_value,
            "quantity": self.quantity,
            "basis": self.basis.value,
            "source": self.source,
            "step": self.step,
            "tier_convention": self.options.tier_convention.value,
            "warnings": [warning.to_dict() for warning in self.warnings],
            "trace": [step.to_dict() for step in self.trace],
            "rule": {"code": self.rule.code, "summary": self.rule.summary, "citation": self.rule.citation},
        }


class LineGrams(NamedTuple):
    """One line of a bulk extraction: ``grams`` and ``source``, or ``error`` (then both are ``None``).
    ``position`` is the line's 0-based position in the input."""

    position: int
    grams: float | None
    source: str | None
    error: VendorError | None

    @property
    def ok(self) -> bool:
        return self.error is None


@attrs.frozen(slots=True)
class BulkExtraction:
    """The outcome of :func:`~fe_compliance.greencheck.extract_many`, stored as parallel columns.

    ``grams[i]`` and ``sources[i]`` are line ``i``'s grams (float) and field read, or ``None`` when the line failed;
    ``errors`` maps the index of each failed line to its error. Iterating yields :class:`LineGrams` rows. No trace
    is built in bulk: extract a line alone with :func:`~fe_compliance.greencheck.extract_grams` to see why.
    """

    vendor: str
    grams: list[float | None]
    sources: list[str | None]
    errors: dict[int, VendorError]
    options: ExtractOptions

    def __len__(self) -> int:
        return len(self.grams)

    def __iter__(self) -> Iterator[LineGrams]:
        errors = self.errors
        for index, (grams, source) in enumerate(zip(self.grams, self.sources, strict=True)):
            yield LineGrams(index, grams, source, errors.get(index))

    def __getitem__(self, index: int) -> LineGrams:
        if index < 0:
            index += len(self.grams)
        return LineGrams(index, self.grams[index], self.sources[index], self.errors.get(index))

    @property
    def ok_count(self) -> int:
        return len(self.grams) - len(self.errors)

    @property
    def total_grams(self) -> float:
        """Sum of the lines that succeeded (check :attr:`errors` before trusting it as a customer's total)."""
        return sum(grams for grams in self.grams if grams is not None)
