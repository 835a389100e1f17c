"""Purchase limits: the rule-pack model, the cart check engine and the in-memory ledger.

Layers inside this package, ground floor first:

* :mod:`~fe_compliance.limits.rules`: the dated, cited rule kinds (limits with their windows, equivalencies,
  volume rules, exemptions, counting basis, reporting) a state pack is made of;
* :mod:`~fe_compliance.limits.pack`: :class:`RulePack` (every version of every rule of a state) and
  :class:`RuleSet` (the rules in force in one period);
* :mod:`~fe_compliance.limits.customer` and :mod:`~fe_compliance.limits.lines`: the plain data a POS supplies;
* :mod:`~fe_compliance.limits.engine`: :class:`LimitEngine`, which decides a cart (results in
  :mod:`~fe_compliance.limits.results`);
* :mod:`~fe_compliance.limits.ledger`: :class:`Ledger`, accepted carts, returns and voids in memory.

The state packs themselves live in :mod:`fe_compliance.states`. Nothing here touches a database or the network.
"""

from __future__ import annotations

from .customer import SALES_LIMIT_EXEMPTION, TERMINALLY_ILL, Customer
from .engine import LimitEngine
from .errors import (
    CategoryMismatchError,
    InvalidDateError,
    InvalidLineError,
    InvalidRuleError,
    LedgerError,
    LineDataError,
    NaiveDatetimeError,
    NoRulesInForceError,
    RefusedSaleError,
    UnknownStateError,
)
from .ledger import Ledger, LedgerEvent
from .lines import CartLine, LineKind, PastLine
from .pack import RulePack, RuleSet
from .reporting import BatchReportingWarning, ReportingMode, batch_mode_warning, warn_if_batch
from .results import CAP_TOLERANCE, CartDecision, LimitUsage, LineCount
from .rules import (
    CountingBasis,
    CountingRule,
    CustomerCondition,
    DatedRule,
    Enforcement,
    Equivalency,
    ExemptProducts,
    Limit,
    LimitKind,
    Measure,
    NotResearched,
    PeriodAnchor,
    ReportingRule,
    RollingConvention,
    VolumeEquivalency,
    Window,
    WindowKind,
)

__all__ = [
    "CAP_TOLERANCE",
    "SALES_LIMIT_EXEMPTION",
    "TERMINALLY_ILL",
    "BatchReportingWarning",
    "CartDecision",
    "CartLine",
    "CategoryMismatchError",
    "CountingBasis",
    "CountingRule",
    "Customer",
    "CustomerCondition",
    "DatedRule",
    "Enforcement",
    "Equivalency",
    "ExemptProducts",
    "InvalidDateError",
    "InvalidLineError",
    "InvalidRuleError",
    "Ledger",
    "LedgerError",
    "LedgerEvent",
    "Limit",
    "LimitEngine",
    "LimitKind",
    "LimitUsage",
    "LineCount",
    "LineDataError",
    "LineKind",
    "Measure",
    "NaiveDatetimeError",
    "NoRulesInForceError",
    "NotResearched",
    "PastLine",
    "PeriodAnchor",
    "RefusedSaleError",
    "ReportingMode",
    "ReportingRule",
    "RollingConvention",
    "RulePack",
    "RuleSet",
    "UnknownStateError",
    "VolumeEquivalency",
    "Window",
    "WindowKind",
    "batch_mode_warning",
    "warn_if_batch",
]
