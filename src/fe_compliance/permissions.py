"""Users and the two permissions that guard flower-equivalency definitions.

``001_0f6da1db91b12d45.txt`` ("Things to know") names two permissions in the Maintenance section: one to view
definitions and one to edit them. Editing covers creating, changing, deleting and "Apply to Catalog / Inventory".
The library checks them wherever a person acts; automatic recalculation on a product edit needs neither, because it
is the system applying definitions someone with the edit permission already approved.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from .errors import InvalidValueError, PermissionDeniedError

__all__ = ["Permission", "User", "require"]


class Permission(enum.Enum):
    """The permissions, named as the POS names them."""

    VIEW_FLOWER_EQUIVALENCY_DEFINITION = "View Flower Equivalency Definition"
    EDIT_FLOWER_EQUIVALENCY_DEFINITION = "Edit Flower Equivalency Definition"

    def __str__(self) -> str:
        return self.value


def _permissions(values: Iterable[Permission | str]) -> frozenset[Permission]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        # A single string would be read letter by letter.
        raise InvalidValueError("permissions", values, "expected a collection of permissions")
    result: set[Permission] = set()
    for value in values:
        if isinstance(value, Permission):
            result.add(value)
            continue
        try:
            result.add(Permission(value))
        except ValueError as exc:
            raise InvalidValueError("permissions", value, "not a known permission") from exc
    return frozenset(result)


def _user_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("name", value, "expected the user's name")
    return value


@attrs.frozen(slots=True)
class User:
    """Someone acting in the POS back office: a name for the audit trail and the permissions they hold."""

    name: str = attrs.field(converter=_user_name)
    permissions: frozenset[Permission] = attrs.field(factory=frozenset, converter=_permissions)

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    @classmethod
    def with_all_permissions(cls, name: str) -> User:
        return cls(name, frozenset(Permission))


def require(user: User, permission: Permission, operation: str) -> None:
    """Raise :class:`PermissionDeniedError` unless ``user`` holds ``permission``."""
    if not isinstance(user, User):
        raise InvalidValueError("user", user, "expected a fe_compliance.User")
    if not user.has(permission):
        raise PermissionDeniedError(user.name, permission.value, operation)
