"""The MassCIP integration (seed 000): settings, the credential rule, status and modes, over tracktrace and outbox.

Massachusetts dispensing and allotments go through Metrc (MassCIP has no API of its own for a POS). This package
sits above :mod:`fe_compliance.tracktrace` and :mod:`fe_compliance.outbox`; the pure counting rule
(:mod:`fe_compliance.masscip`) never imports it, and ``import fe_compliance`` does not load it. See
``docs/masscip.md``, "The integration".
"""

from __future__ import annotations

from ..limits.reporting import ReportingMode
from .allotments import ALLOTMENT_LIMIT, Allotment, allotment, patient_customer
from .credentials import masscip_credential_rule
from .errors import (
    CheckoutBlockedError,
    IntegrationError,
    LicenseExpiredError,
    SettingsError,
    UserKeyRejectedError,
)
from .item_links import (
    BrokenLink,
    ItemLinkReport,
    LinkProblem,
    ProductLink,
    SyncReport,
    check_item_links,
    sync_items,
)
from .ledger import DispensingLedger
from .metrc import metrc_factory
from .posting import UNIT_BY_QUANTITY_TYPE, sale_line_for
from .service import CheckoutResult, IntegrationDisabledError, MassCIPIntegration, run_batch_pushes
from .settings import (
    DEFAULT_PUSH_INTERVAL_SECONDS,
    DEFAULT_REAL_TIME_DEADLINE_SECONDS,
    MassCIPSettings,
    Status,
)

__all__ = [
    "ALLOTMENT_LIMIT",
    "DEFAULT_PUSH_INTERVAL_SECONDS",
    "DEFAULT_REAL_TIME_DEADLINE_SECONDS",
    "UNIT_BY_QUANTITY_TYPE",
    "Allotment",
    "BrokenLink",
    "CheckoutBlockedError",
    "CheckoutResult",
    "DispensingLedger",
    "IntegrationDisabledError",
    "IntegrationError",
    "ItemLinkReport",
    "LicenseExpiredError",
    "LinkProblem",
    "MassCIPIntegration",
    "MassCIPSettings",
    "ProductLink",
    "ReportingMode",
    "SettingsError",
    "Status",
    "SyncReport",
    "UserKeyRejectedError",
    "allotment",
    "check_item_links",
    "masscip_credential_rule",
    "metrc_factory",
    "patient_customer",
    "run_batch_pushes",
    "sale_line_for",
    "sync_items",
]
