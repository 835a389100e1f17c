"""The one exception tree of fe-compliance.

Every failure a caller can cause raises a subclass of :class:`FEComplianceError`. Each error names the field it
is about and the offending value, so a POS can show the cashier what to fix and an auditor can log what was
wrong. Credentials are never part of an error: fields that hold secrets are reported by name only.

::

    FEComplianceError
    ├── InvalidValueError             (also ValueError) a value that can never be right for its field
    │   ├── InvalidQuantityError      not a mass, negative, NaN, infinite, a percentage where a mass is needed
    │   └── InvalidUnitError          a unit spelling nobody can read as a unit
    ├── MissingDataError              a value the rule needs is absent (a sale is never allowed without it)
    │   └── RequiredFieldError        a field the location settings make required is blank
    ├── DefinitionNotFoundError       (also LookupError) no FE definition for a category and customer type
    ├── UnknownCategoryError          (also LookupError) a category nobody mapped
    ├── PermissionDeniedError         the user lacks the permission the operation needs
    ├── ReadOnlyFieldError            a derived field (package potency) was edited directly
    ├── DuplicateDefinitionError      (equivalency) a second definition for the same category and customer type
    └── FeatureDisabledError          (recalc) an explicit FE operation at a location with the feature off

Later layers (rule packs, vendors, transports) add their own subclasses under this root.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DefinitionNotFoundError",
    "FEComplianceError",
    "InvalidQuantityError",
    "InvalidUnitError",
    "InvalidValueError",
    "MissingDataError",
    "PermissionDeniedError",
    "ReadOnlyFieldError",
    "RequiredFieldError",
    "UnknownCategoryError",
    "describe_value",
]

_MAX_VALUE_CHARS = 80


def describe_value(value: Any) -> str:
    """A short, safe rendering of an offending value for an error message.

    Long values are cut so a megabyte of garbage in a field does not become a megabyte of log line.
    """
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        text = f"<unprintable {type(value).__name__}>"
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


class FEComplianceError(Exception):
    """Root of every error fe-compliance raises.

    ``field`` is the name of the field the error is about (or ``None`` when it is about no single field) and
    ``value`` the offending value as given. ``str(error)`` is a complete sentence for a person.
    """

    field: str | None
    value: Any

    def __init__(self, message: str, *, field: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value

    def __str__(self) -> str:
        return self.message


class InvalidValueError(FEComplianceError, ValueError):
    """A value that can never be right for its field (wrong type, unparseable text, out of range)."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(f"{field}: {reason} (got {describe_value(value)})", field=field, value=value)
        self.reason = reason


class InvalidQuantityError(InvalidValueError):
    """An amount that is not a usable mass: wrong dimension, negative, zero where forbidden, NaN or infinite."""


class InvalidUnitError(InvalidValueError):
    """A unit spelling that cannot be read as a unit."""


class MissingDataError(FEComplianceError):
    """A value a rule needs is absent. The library never treats missing data as zero or as allowed."""

    def __init__(self, field: str, reason: str, *, value: Any = None) -> None:
        super().__init__(f"{field}: {reason}", field=field, value=value)
        self.reason = reason


class RequiredFieldError(MissingDataError):
    """A field that the location settings (or the definition's basis) make required is blank."""


class DefinitionNotFoundError(FEComplianceError, LookupError):
    """No flower-equivalency definition exists for a purchase-limit category and customer type."""

    def __init__(self, category: str, customer_type: object) -> None:
        super().__init__(
            f"purchase_limit_category: no flower equivalency definition for {category!r} "
            f"and customer type {customer_type!s}; the flower equivalent must be entered manually",
            field="purchase_limit_category",
            value=category,
        )
        self.category = category
        self.customer_type = customer_type


class UnknownCategoryError(FEComplianceError, LookupError):
    """A category name that no mapping knows, where guessing would be unsafe."""

    def __init__(self, field: str, value: Any, known: tuple[str, ...] = ()) -> None:
        hint = f"; known: {', '.join(known)}" if known else ""
        super().__init__(
            f"{field}: unknown category {describe_value(value)}{hint}", field=field, value=value
        )


class PermissionDeniedError(FEComplianceError):
    """The acting user lacks the permission that the operation requires."""

    def __init__(self, user: str, permission: str, operation: str) -> None:
        super().__init__(
            f"user {user!r} needs the {permission!r} permission to {operation}",
            field="permissions",
            value=permission,
        )
        self.user = user
        self.permission = permission
        self.operation = operation


class ReadOnlyFieldError(FEComplianceError):
    """A derived field was written directly (a package's potency comes from its lab results)."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(f"{field}: {reason} (got {describe_value(value)})", field=field, value=value)
