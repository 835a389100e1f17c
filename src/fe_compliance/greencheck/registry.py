"""The vendor registry: slugs, the modules that implement them, and the two public entry points.

A vendor is implemented by a module ``fe_compliance.greencheck.<slug>`` defining ``VENDOR`` (a
:class:`~fe_compliance.greencheck.vendor.VendorSpec`) and listed in :data:`IMPLEMENTED`. Modules are imported
lazily, one per slug, the first time that vendor is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any, Final

from .errors import UnknownVendorError, VendorNotImplementedError
from .result import BulkExtraction, ExtractOptions, GramsResult
from .tiers import TierConvention
from .vendor import VendorSpec

__all__ = [
    "IMPLEMENTED",
    "KNOWN_VENDORS",
    "extract_grams",
    "extract_many",
    "get_vendor",
    "known_vendors",
    "normalize_slug",
    "vendors",
]

KNOWN_VENDORS: Final[tuple[str, ...]] = (
    "alleaves", "biotrack", "blaze", "brytemap", "canix", "cova", "dutchie", "flowhub", "greenbits", "growflow",
    "indicaonline", "meadow", "metrc", "mjfreeway", "posabit", "proteus420", "quickbooks", "sage_intacct", "treez",
)
"""The 19 systems the Green Check seed document describes (``003_52e340b70ce4c404.txt``), sorted."""

IMPLEMENTED: tuple[str, ...] = (
    "metrc",
    "dutchie",
    "flowhub",
    "blaze",
    "alleaves",
    "quickbooks",
    "sage_intacct",
    "biotrack",
    "mjfreeway",
    "proteus420",
    "brytemap",
    "canix",
    "treez",
    "cova",
    "posabit",
    "greenbits",
    "meadow",
    "growflow",
    "indicaonline",
)
"""Slugs whose module exists. Adding a vendor: write ``greencheck/<slug>.py`` and add its slug here."""

_SPECS: dict[str, VendorSpec] = {}
_DEFAULT_OPTIONS: Final = ExtractOptions()
_ALIASES: Final[dict[str, str]] = {"leaflogix": "dutchie", "mj_freeway": "mjfreeway", "mj freeway": "mjfreeway",
                                   "sageintacct": "sage_intacct", "bio_track": "biotrack", "indica_online":
                                   "indicaonline", "proteus": "proteus420", "green_bits": "greenbits",
                                   "grow_flow": "growflow"}


def vendors() -> tuple[str, ...]:
    """The slugs of the implemented vendors, sorted (a subset of :data:`KNOWN_VENDORS` until all are written)."""
    return tuple(sorted(IMPLEMENTED))


def known_vendors() -> tuple[str, ...]:
    """All 19 slugs of the seed, implemented or not, sorted."""
    return KNOWN_VENDORS


def normalize_slug(vendor: object) -> str:
    """``"Dutchie"``, ``" sage-intacct "``, ``"LeafLogix"`` -> the registry slug; unknown names raise
    :class:`~fe_compliance.greencheck.errors.UnknownVendorError`."""
    if not isinstance(vendor, str):
        raise UnknownVendorError(vendor, KNOWN_VENDORS)
    folded = "_".join(vendor.strip().lower().replace("-", " ").split())
    folded = _ALIASES.get(folded, _ALIASES.get(folded.replace("_", " "), folded))
    if folded not in KNOWN_VENDORS:
        raise UnknownVendorError(vendor, KNOWN_VENDORS)
    return folded


def get_vendor(vendor: object) -> VendorSpec:
    """The :class:`VendorSpec` of ``vendor`` (a slug or a spelling :func:`normalize_slug` reads).

    Raises :class:`UnknownVendorError` for a name nobody knows and :class:`VendorNotImplementedError` for one of
    the 19 whose module is not written yet.
    """
    if isinstance(vendor, str):
        spec = _SPECS.get(vendor)
        if spec is not None:
            return spec
    slug = normalize_slug(vendor)
    spec = _SPECS.get(slug)
    if spec is not None:
        return spec
    if slug not in IMPLEMENTED:
        raise VendorNotImplementedError(slug)
    module = importlib.import_module(f"{__package__}.{slug}")
    spec = module.VENDOR
    if not isinstance(spec, VendorSpec) or spec.slug != slug:
        raise RuntimeError(f"module {module.__name__} must define VENDOR = VendorSpec(slug={slug!r}, ...)")
    _SPECS[slug] = spec
    return spec


def _options(tier_convention: TierConvention | str | None) -> ExtractOptions:
    if tier_convention is None:
        return _DEFAULT_OPTIONS
    return ExtractOptions(tier_convention=tier_convention)


def extract_grams(vendor: str, product: Any = None, sale_line: Any = None, *,
                  tier_convention: TierConvention | str | None = None) -> GramsResult:
    """The grams of one sale line, with the trace of every step tried.

    ``product`` is the vendor's product/item/inventory record and ``sale_line`` the line of the sale, both as
    parsed JSON mappings (``None`` counts as an empty record). ``tier_convention`` (default
    :attr:`TierConvention.TRADE`) decides what an "eighth" weighs for vendors that sell by weight tier.

    Raises a :class:`~fe_compliance.greencheck.errors.VendorError` subclass naming the vendor, field and value:
    never a ``KeyError``, ``TypeError`` or pint error.
    """
    return get_vendor(vendor).extract(product, sale_line, _options(tier_convention))


def extract_many(vendor: str, lines: Iterable[Any], *,
                 tier_convention: TierConvention | str | None = None) -> BulkExtraction:
    """The grams of many lines, fast and without traces; one bad line never stops the others.

    Each line is ``(product, sale_line)`` or ``{"product": ..., "sale_line": ...}``. Returns a
    :class:`~fe_compliance.greencheck.result.BulkExtraction`: per line, grams (float) and source, or the error.
    """
    return get_vendor(vendor).extract_many(lines, _options(tier_convention))
