"""Whose key a queued receipt is pushed with, decided at push time, never stored in the outbox.

An outbox item records the selling user's *id*. When the pusher reaches it, it asks a **credential provider**
(``user id -> that user's key, or None``) and applies a **credential rule**, a plain callable that decides which
key may be used. Keys live only in memory, wrapped in :class:`UserKey` so that a repr, a log line or a traceback
shows no secret.

Two rules ship here. :func:`individual_key_required` uses only the selling user's own key: a user without one
leaves the item queued with :class:`~fe_compliance.outbox.errors.NoUsableCredentialError` (the Dutchie MassCIP
setting "Require Individual User Credentials" = Yes, seed 000). :func:`individual_or_fallback` uses the user's
key when it is set and otherwise the fallback user's (the same setting = No: "use the individual users'
credentials if they exist but automatically fall back to the master ... if they do not"; a key that exists but
fails is never replaced by the fallback, seed 000 "In NEITHER case ..."). A state's own rule (Massachusetts: the
MassCIP integration) is any callable with the same signature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from ..errors import InvalidValueError
from .errors import NoUsableCredentialError

__all__ = [
    "CredentialProvider",
    "CredentialRule",
    "UserKey",
    "individual_key_required",
    "individual_or_fallback",
    "keys_from_mapping",
]


class UserKey:
    """A user's API key. ``repr``/``str``/``format`` show ``<redacted>``; :meth:`reveal` gives the key to the
    one place that writes it on the wire. Not picklable (a key must not travel into a queue or a file)."""

    __slots__ = ("_key", "user_id")

    def __init__(self, user_id: str, key: str) -> None:
        if not isinstance(key, str) or not key.strip():
            raise InvalidValueError("user_key", "<redacted>", f"the key of user {user_id!r} is blank or not text")
        self.user_id = user_id
        self._key = key.strip()

    def reveal(self) -> str:
        return self._key

    def __repr__(self) -> str:
        return f"UserKey(user_id={self.user_id!r}, key=<redacted>)"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a UserKey cannot be pickled")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UserKey) and other.user_id == self.user_id and other._key == self._key

    def __hash__(self) -> int:
        return hash(("UserKey", self.user_id))


#: ``user id -> that user's key`` (None when the provider has none for the user).
CredentialProvider = Callable[[str], "str | None"]


class CredentialRule(Protocol):
    """Which key may push a receipt sold by ``user_id`` under ``license_number``; raises
    :class:`~fe_compliance.outbox.errors.NoUsableCredentialError` (naming the user, never a key) when none."""

    def __call__(self, user_id: str, license_number: str, provider: CredentialProvider) -> UserKey:
        ...


def _lookup(provider: CredentialProvider, user_id: str) -> str | None:
    key = provider(user_id)
    if key is None or (isinstance(key, str) and not key.strip()):
        return None
    if not isinstance(key, str):
        raise NoUsableCredentialError(user_id, f"the credential provider returned a {type(key).__name__}, not text")
    return key


def individual_key_required(user_id: str, license_number: str, provider: CredentialProvider) -> UserKey:
    """Only the selling user's own key (the default, and what Massachusetts requires per metrc-api.md)."""
    key = _lookup(provider, user_id)
    if key is None:
        raise NoUsableCredentialError(
            user_id, "the user has no key and the credential rule requires individual user keys"
        )
    return UserKey(user_id, key)


def individual_or_fallback(fallback_user_id: str) -> CredentialRule:
    """The user's own key when set, else ``fallback_user_id``'s (only when the user has none: seed 000)."""
    if not isinstance(fallback_user_id, str) or not fallback_user_id.strip():
        raise InvalidValueError("fallback_user_id", fallback_user_id, "must be a user id")

    def rule(user_id: str, license_number: str, provider: CredentialProvider) -> UserKey:
        key = _lookup(provider, user_id)
        if key is not None:
            return UserKey(user_id, key)
        fallback = _lookup(provider, fallback_user_id)
        if fallback is None:
            raise NoUsableCredentialError(
                user_id, f"neither the user nor the fallback user {fallback_user_id!r} has a key"
            )
        return UserKey(fallback_user_id, fallback)

    rule.__name__ = f"individual_or_fallback({fallback_user_id!r})"
    return rule


def keys_from_mapping(keys: Mapping[str, str]) -> CredentialProvider:
    """A provider over a fixed mapping of user id to key (the command builds one from its configuration)."""
    frozen = dict(keys)

    def provider(user_id: str) -> str | None:
        return frozen.get(user_id)

    return provider
