"""Auditing a year of sales: replay an export through the state's rules and report every violation.

``fe_compliance.audit`` is not re-exported from the top-level package (import it as a subpackage). It reads
exports (:mod:`~fe_compliance.audit.rows`), replays them per customer with running window sums that agree with
:class:`~fe_compliance.limits.LimitEngine` to the last bit (:mod:`~fe_compliance.audit.replay`) and writes the
reports (:mod:`~fe_compliance.audit.report`). It touches no network and no database. See ``docs/audit.md``.
"""

from __future__ import annotations

from .customers import read_customers
from .errors import AuditInputError
from .replay import ADVISORY, CONFIRMED, UNCONFIRMED, LimitFigures, Replayer, SaleOutcome, Violation, limit_status
from .rows import COLUMNS, InputFile, SaleRow, merge_by_time

__all__ = [
    "ADVISORY",
    "COLUMNS",
    "CONFIRMED",
    "UNCONFIRMED",
    "AuditInputError",
    "InputFile",
    "LimitFigures",
    "Replayer",
    "SaleOutcome",
    "SaleRow",
    "Violation",
    "limit_status",
    "merge_by_time",
    "read_customers",
]
