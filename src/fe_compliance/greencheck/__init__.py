"""Gram extraction for the POS and track-and-trace systems Green Check reads, with the trace of why.

A bank decides whether a sale broke a purchase limit from the "grams" of each product sold, and each POS keeps
that number somewhere else. Seed ``003_52e340b70ce4c404.txt`` gives, vendor by vendor, the chain of fields Green
Check reads; this package implements each chain as a small declarative module and returns, for one sale line,
the grams *and* every step tried with why it was taken or skipped::

    >>> from fe_compliance import greencheck
    >>> result = greencheck.extract_grams(
    ...     "dutchie",
    ...     product={"thcContent": 20, "thcContentUnit": "%", "productGrams": 3.5},
    ...     sale_line={"quantity": 2},
    ... )
    >>> result.grams_value, result.basis.value, result.source
    (7.0, 'product_weight', 'product.productGrams')
    >>> print(result.trace[0])
    THC content [product.thcContent]: skipped, product.thcContentUnit is '%', a percentage, not a weight

Public names: :func:`vendors`, :func:`known_vendors`, :func:`extract_grams`, :func:`extract_many`,
:func:`get_vendor`, :func:`check_purchase_limit`, the result types (:class:`GramsResult`, :class:`TraceStep`,
:class:`BulkExtraction`, :class:`LineGrams`, :class:`Basis`), :class:`TierConvention` and the errors
(:mod:`fe_compliance.greencheck.errors`).

Recipe: adding a vendor
-----------------------
1. Write ``src/fe_compliance/greencheck/<slug>.py`` defining ``VENDOR = VendorSpec(...)``; :mod:`.metrc` is the
   smallest worked example, :mod:`.flowhub` shows conditions and a list element, :mod:`.blaze` weight tiers.

   - ``slug`` (one of :data:`KNOWN_VENDORS`), ``name``, ``rule=seed_rule("<slug>", "<the seed's heading>",
     summary)`` (:func:`~fe_compliance.greencheck.vendor.seed_rule`), ``summary`` (the chain in your own words),
     ``records={Record.PRODUCT: "...", Record.SALE_LINE: "..."}`` (what each mapping is for this vendor).
   - ``fields``: one :class:`FieldDoc` per field read (name as a dotted path, record, :class:`Confidence` from
     ``vendor-fields.md``, source, meaning). Where no name was found, use the seed's label in the vendor's usual
     casing and ``Confidence.NONE_FOUND``.
   - ``steps``: the seed's chain in order, from :mod:`.steps`: :class:`Weight` (number + unit field or fixed
     unit), :class:`Tier` (named sizes), :class:`Compute` (anything else, reading only through :mod:`.fields`;
     it may return :class:`Computed` to attach plausibility warnings of its own),
     each with ``basis``, ``per_unit`` and optional ``when=`` (:class:`FieldIs`, :class:`FlagIs`,
     :class:`UnitKindIs`, :class:`AnyOf`, :class:`AllOf`, :class:`Not`) and, for :class:`Weight`, ``within=``
     :class:`ItemWhere` for a list element.
   - ``quantity=LineQuantity("<field>")`` when any step is per unit; ``decisions`` for every choice where the
     seed is open; optional ``plausibility=Plausibility(category=..., cross_checks=...)``.
   - A wholesale integration is ``VENDOR = wholesale_integration(...)`` (:mod:`.wholesale`): no steps,
     ``not_applicable`` set, every extraction a ``NotApplicableError``.
2. Add the slug to :data:`fe_compliance.greencheck.registry.IMPLEMENTED`.
3. If the vendor spells a unit the table lacks, add the spelling to
   :data:`fe_compliance.units.VENDOR_UNIT_SPELLINGS` (never a private table in the vendor module).
4. Write ``tests/greencheck/test_<slug>.py``: a class subclassing ``tests.greencheck.common.VendorTestBase``
   with ``vendor = "<slug>"`` and ``examples`` (good records covering every branch), plus one test per branch
   and per fallback of the chain.
5. Generate the page: ``python scripts/gen_vendor_docs.py <slug>`` writes ``docs/vendors/<slug>.md``; the test
   base fails if the page and the code differ.

Units: every unit spelling goes through :func:`fe_compliance.units.normalize_unit`; a percentage, a count or a
volume where a weight is needed is skipped with its reason, never converted. Weight tiers: see
:mod:`.tiers` (trade convention by default, ``tier_convention="avoirdupois"`` for fractions of the exact ounce).
"""

from __future__ import annotations

from .errors import (
    NoGramsError,
    NoQuantityError,
    NotApplicableError,
    UnknownVendorError,
    VendorError,
    VendorFieldError,
    VendorNotImplementedError,
)
from .fields import Confidence, FieldDoc, Record
from .limit_check import LimitCheck, LimitFlag, SaleGrams, check_purchase_limit
from .plausibility import Plausibility
from .registry import (
    IMPLEMENTED,
    KNOWN_VENDORS,
    extract_grams,
    extract_many,
    get_vendor,
    known_vendors,
    normalize_slug,
    vendors,
)
from .result import (
    Basis,
    BulkExtraction,
    ExtractOptions,
    GramsResult,
    LineGrams,
    Outcome,
    PlausibilityWarning,
    TraceStep,
)
from .steps import (
    AllOf,
    AnyOf,
    Compute,
    Computed,
    FieldIs,
    FlagIs,
    ItemWhere,
    LineQuantity,
    Not,
    Tier,
    UnitKindIs,
    Weight,
)
from .tiers import DEFAULT_TIER_CONVENTION, TierConvention, TierSize, tier_grams
from .vendor import VendorSpec

__all__ = [
    "DEFAULT_TIER_CONVENTION",
    "IMPLEMENTED",
    "KNOWN_VENDORS",
    "AllOf",
    "AnyOf",
    "Basis",
    "BulkExtraction",
    "Compute",
    "Computed",
    "Confidence",
    "ExtractOptions",
    "FieldDoc",
    "FieldIs",
    "FlagIs",
    "GramsResult",
    "ItemWhere",
    "LimitCheck",
    "LimitFlag",
    "LineGrams",
    "LineQuantity",
    "NoGramsError",
    "NoQuantityError",
    "Not",
    "NotApplicableError",
    "Outcome",
    "Plausibility",
    "PlausibilityWarning",
    "Record",
    "SaleGrams",
    "Tier",
    "TierConvention",
    "TierSize",
    "TraceStep",
    "UnitKindIs",
    "UnknownVendorError",
    "VendorError",
    "VendorFieldError",
    "VendorNotImplementedError",
    "VendorSpec",
    "Weight",
    "check_purchase_limit",
    "extract_grams",
    "extract_many",
    "get_vendor",
    "known_vendors",
    "normalize_slug",
    "tier_grams",
    "vendors",
]
