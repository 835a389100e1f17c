"""Sage Intacct: a wholesale (accounting) integration, where gram extraction does not apply (seed 003, "Sage
Intacct").

Every extraction raises :class:`~fe_compliance.greencheck.errors.NotApplicableError`; why, and what the page says,
is in :mod:`fe_compliance.greencheck.wholesale`.
"""

from __future__ import annotations

from .wholesale import wholesale_integration

__all__ = ["VENDOR"]

VENDOR = wholesale_integration(slug="sage_intacct", name="Sage Intacct", section="Sage Intacct",
                               line="sales invoice or order")
