"""Whose key a MassCIP call uses: the rule of seed 000, word for word, for every call.

Seed 000, "Require Individual User Credentials": Yes means users "cannot use the master username and password
and must provide their own credentials"; No means the integration "will use the individual users' credentials
if they exist but automatically fall back to the master username and password if they do not". And: "In
NEITHER case will it use the master username/password if the user's credentials fail, only if they are not set."

So the decision is made from what is *set*, before any request, and never revisited after a failure: a 401 on a
user's key is that user's typed error (see :class:`~fe_compliance.integration.errors.UserKeyRejectedError`).
The same callable serves Real Time and the Batch outbox (passed as the pusher's ``credential_rule``), so both
paths decide alike.
"""

from __future__ import annotations

from ..outbox.credentials import CredentialProvider, CredentialRule, UserKey
from ..outbox.errors import NoUsableCredentialError
from .errors import SEED
from .settings import MassCIPSettings

__all__ = ["masscip_credential_rule"]


def _own_key(provider: CredentialProvider, user_id: str) -> str | None:
    key = provider(user_id)
    if key is None or (isinstance(key, str) and not key.strip()):
        return None
    if not isinstance(key, str):
        raise NoUsableCredentialError(user_id, f"the credential provider returned a {type(key).__name__}, not text")
    return key


def masscip_credential_rule(settings: MassCIPSettings) -> CredentialRule:
    """The credential rule of ``settings``: the user's own key when set; the master key only when the user has
    none AND individual credentials are not required; otherwise :class:`NoUsableCredentialError`."""
    required = settings.require_individual_user_credentials
    master_id = settings.master_user_id
    master_key = settings.master_key

    def rule(user_id: str, license_number: str, provider: CredentialProvider) -> UserKey:
        own = _own_key(provider, user_id)
        if own is not None:
            return UserKey(user_id, own)
        if required:
            raise NoUsableCredentialError(
                user_id, f"the user has no key and Require Individual User Credentials is Yes ({SEED})"
            )
        if master_id is None or master_key is None:
            raise NoUsableCredentialError(user_id, "the user has no key and no master account is configured")
        return UserKey(master_id, master_key.reveal())

    rule.__name__ = "masscip_credential_rule"
    return rule
