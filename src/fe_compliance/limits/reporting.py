"""Real-time reporting: warn when a store configures Batch mode where its state requires real time.

Some states do not permit batch reporting of sales to their tracking system (one large POS vendor lists MD, CO,
OK, MT, MO, MA, MI, DC, MN and WV; see ``state-rules.md``). Each rule pack carries a
:class:`~fe_compliance.limits.rules.ReportingRule` saying whether real time is required; this module turns that into
a warning at configuration time, so a store does not learn it from an inspector.

The modes are the three of ``000_ccfae62b51cd6f41.txt`` ("Status and modes"): Real Time, Batch, Allotment Only.
"""

from __future__ import annotations

import enum
import warnings

from ..errors import InvalidValueError
from .pack import RulePack, RuleSet

__all__ = ["BatchReportingWarning", "ReportingMode", "batch_mode_warning", "warn_if_batch"]


class ReportingMode(enum.Enum):
    """How sales reach the state system: the three modes of seed 000 ("Status and modes"). The library's one
    reporting-mode enum (``fe_compliance.integration`` runs them; "Disabled" is a status there, not a mode)."""

    REAL_TIME = "real_time"
    BATCH = "batch"
    ALLOTMENT_ONLY = "allotment_only"

    @classmethod
    def parse(cls, value: object) -> ReportingMode:
        """A member from itself or from text such as ``"Real Time"``, ``"batch"``, ``"allotment-only"``."""
        return _mode(value)


_MODES = {
    "batch": ReportingMode.BATCH,
    "real time": ReportingMode.REAL_TIME,
    "realtime": ReportingMode.REAL_TIME,
    "real_time": ReportingMode.REAL_TIME,
    "allotment only": ReportingMode.ALLOTMENT_ONLY,
    "allotment_only": ReportingMode.ALLOTMENT_ONLY,
}


class BatchReportingWarning(UserWarning):
    """Batch mode was configured for a state whose rule pack says real-time reporting is required."""


def _mode(value: object) -> ReportingMode:
    if isinstance(value, ReportingMode):
        return value
    raw = getattr(value, "value", value)
    if isinstance(raw, str):
        found = _MODES.get(" ".join(raw.replace("-", " ").replace("_", " ").split()).lower())
        if found is not None:
            return found
    raise InvalidValueError("mode", value, "expected 'real_time', 'batch' or 'allotment_only'")


def batch_mode_warning(rules: RulePack | RuleSet, mode: object, *, on: object = None) -> str | None:
    """The warning text for configuring ``mode`` under ``rules`` (a pack, with ``on``, or a rule set), or ``None``.

    Only Batch can warn. A pack without a reporting rule in force warns too: not knowing is not permission.
    """
    if _mode(mode) is not ReportingMode.BATCH:
        return None
    if isinstance(rules, RulePack):
        if on is None:
            raise InvalidValueError("on", on, "a date is needed to pick the reporting rule of a pack")
        rule_set = rules.in_force(on)
    elif isinstance(rules, RuleSet):
        rule_set = rules
    else:
        raise InvalidValueError("rules", rules, "expected a RulePack or a RuleSet")
    rule = rule_set.reporting
    state = rule_set.state
    if rule is None:
        return f"{state}: the rule pack does not say whether batch reporting is permitted; check before using Batch"
    if rule.real_time_required:
        flag = "" if rule.confirmed else " (UNCONFIRMED)"
        return (
            f"{state}: real-time reporting to the tracking system is required{flag} [{rule.citation}]; "
            "Batch mode queues sales and lets checkout proceed without the state system"
        )
    return None


def warn_if_batch(rules: RulePack | RuleSet, mode: object, *, on: object = None, stacklevel: int = 2) -> str | None:
    """Issue a :class:`BatchReportingWarning` when :func:`batch_mode_warning` has one; return its text."""
    text = batch_mode_warning(rules, mode, on=on)
    if text is not None:
        warnings.warn(text, BatchReportingWarning, stacklevel=stacklevel)
    return text
