"""Typed errors of the outbox. Each names the field and the value it is about, never a credential.

::

    FEComplianceError
    └── OutboxError
        ├── ConflictingReceiptError   the same (license, external number) enqueued with different content
        ├── ItemStateError            an operation that the item's state does not allow (void twice, retry a done item)
        ├── ItemNotFoundError         (also LookupError) no item with that id
        ├── SchemaVersionError        the database was written by a newer (or unknown) schema version
        ├── DatabaseWriteError        a write failed; ``may_have_committed`` says whether it can have been kept
        │   └── DatabaseBusyError     "database is locked" persisted past the library's retries
        ├── NoUsableCredentialError   the selling user has no key the credential rule accepts (the item stays queued)
        └── ReceiptNotOnSystemError   an update or void whose sale the system says it does not hold
"""

from __future__ import annotations

from typing import Any

from ..errors import FEComplianceError, describe_value

__all__ = [
    "ConflictingReceiptError",
    "DatabaseBusyError",
    "DatabaseWriteError",
    "ItemNotFoundError",
    "ItemStateError",
    "NoUsableCredentialError",
    "OutboxError",
    "ReceiptNotOnSystemError",
    "SchemaVersionError",
]


class OutboxError(FEComplianceError):
    """Root of the outbox's errors."""


class ConflictingReceiptError(OutboxError):
    """An item for this license and external receipt number is already queued with other content.

    Enqueuing the same sale twice is harmless (one item); the same number with a different sale means two sales
    share a receipt number, and posting either could hide the other: refused.
    """

    def __init__(self, license_number: str, external_receipt_number: str, kind: str, existing_id: int) -> None:
        super().__init__(
            f"external_receipt_number: {describe_value(external_receipt_number)} under license "
            f"{describe_value(license_number)} is already queued as item {existing_id} ({kind}) with different "
            "content; give each sale its own receipt number, or enqueue an update",
            field="external_receipt_number",
            value=external_receipt_number,
        )
        self.license_number = license_number
        self.external_receipt_number = external_receipt_number
        self.existing_id = existing_id


class ItemStateError(OutboxError):
    """The item's state does not allow the operation (an update after a void, a retry of a done item)."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(f"{field}: {reason} (got {describe_value(value)})", field=field, value=value)


class ItemNotFoundError(OutboxError, LookupError):
    """No item with this id in the outbox."""

    def __init__(self, item_id: Any) -> None:
        super().__init__(f"item_id: no outbox item {describe_value(item_id)}", field="item_id", value=item_id)


class SchemaVersionError(OutboxError):
    """The database's schema version is not one this code can read (written by a newer version, or not an outbox)."""

    def __init__(self, path: str, found: Any, supported: int) -> None:
        super().__init__(
            f"schema_version: {path} has outbox schema version {describe_value(found)}; this fe-compliance reads "
            f"version {supported} (upgrade fe-compliance, or point --db at an outbox file)",
            field="schema_version",
            value=found,
        )


class DatabaseWriteError(OutboxError):
    """A write transaction failed. ``may_have_committed`` is False when it certainly did not commit (it failed
    before COMMIT, or COMMIT answered busy and was rolled back); True when COMMIT itself failed in a way SQLite
    does not explain (an I/O error), where the change may or may not be on disk.

    Enqueuing is idempotent (the same sale again is the same item), so after either answer it is safe to enqueue
    the same sale again.
    """

    def __init__(self, operation: str, reason: str, *, may_have_committed: bool) -> None:
        tail = (
            "it MAY have been committed (enqueuing the same sale again is safe: it stays one item)"
            if may_have_committed
            else "nothing was committed"
        )
        super().__init__(f"database: {operation} failed: {reason}; {tail}", field="database", value=operation)
        self.operation = operation
        self.reason = reason
        self.may_have_committed = may_have_committed


class DatabaseBusyError(DatabaseWriteError):
    """SQLite stayed locked ("database is locked") past the library's retries; nothing was committed."""

    def __init__(self, operation: str, waited: float) -> None:
        super().__init__(
            operation, f"the database stayed locked for {waited:.1f} s", may_have_committed=False
        )
        self.waited = waited


class NoUsableCredentialError(OutboxError):
    """The credential rule found no key it may use for the selling user; the item stays queued with this error.

    Names the user id and the rule, never a key.
    """

    def __init__(self, user_id: str, reason: str) -> None:
        super().__init__(
            f"user_id: no usable track-and-trace key for selling user {describe_value(user_id)}: {reason}",
            field="user_id",
            value=user_id,
        )
        self.user_id = user_id
        self.reason = reason


class ReceiptNotOnSystemError(OutboxError):
    """An update or void needs the system's receipt id, and the system answered that it holds no such receipt."""

    def __init__(self, external_receipt_number: str, kind: str) -> None:
        super().__init__(
            f"external_receipt_number: the system holds no receipt {describe_value(external_receipt_number)} to "
            f"{kind}; post the sale first (or resolve this item by hand)",
            field="external_receipt_number",
            value=external_receipt_number,
        )
