"""A durable Batch-mode outbox on SQLite: queue each sale at checkout, push the queue later, every receipt once.

Seed 000 ("Status and modes"): in Batch mode transactions "are queued for transmission periodically (typically
every 15 minutes) and checkout will never be blocked"; a failure "is logged for review and will be tried again
with every subsequent push until the error is resolved". Metrc's receipt POST is not idempotent
(reference/metrc-api.md), so the queue must neither forget a sale nor post it twice: see ``docs/outbox.md`` for
the durability settings, the exactly-once argument and its residual risk.

Import it as a subpackage (``from fe_compliance.outbox import Outbox, Pusher``); ``import fe_compliance`` does not
load it. The command is ``fe-compliance outbox status|push|retry ID|resolve ID --db FILE``.
"""

from __future__ import annotations

from .codec import sale_from_json, sale_to_json
from .credentials import (
    CredentialProvider,
    CredentialRule,
    UserKey,
    individual_key_required,
    individual_or_fallback,
    keys_from_mapping,
)
from .errors import (
    ConflictingReceiptError,
    DatabaseBusyError,
    DatabaseWriteError,
    ItemNotFoundError,
    ItemStateError,
    NoUsableCredentialError,
    OutboxError,
    ReceiptNotOnSystemError,
    SchemaVersionError,
)
from .pusher import CHECKPOINTS, ClientFactory, Pusher, PushReport
from .store import SCHEMA_VERSION, Durability, ItemKind, ItemResult, ItemState, Outbox, OutboxItem, OutboxStatus

__all__ = [
    "CHECKPOINTS",
    "SCHEMA_VERSION",
    "ClientFactory",
    "ConflictingReceiptError",
    "CredentialProvider",
    "CredentialRule",
    "DatabaseBusyError",
    "DatabaseWriteError",
    "Durability",
    "ItemKind",
    "ItemNotFoundError",
    "ItemResult",
    "ItemState",
    "ItemStateError",
    "NoUsableCredentialError",
    "Outbox",
    "OutboxError",
    "OutboxItem",
    "OutboxStatus",
    "PushReport",
    "Pusher",
    "ReceiptNotOnSystemError",
    "SchemaVersionError",
    "UserKey",
    "individual_key_required",
    "individual_or_fallback",
    "keys_from_mapping",
    "sale_from_json",
    "sale_to_json",
]
