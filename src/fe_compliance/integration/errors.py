"""Typed errors of the MassCIP integration. Each names the field or user and never a key."""

from __future__ import annotations

from ..errors import FEComplianceError, InvalidValueError
from ..tracktrace.errors import TrackAndTraceError

__all__ = [
    "CheckoutBlockedError",
    "IntegrationError",
    "LicenseExpiredError",
    "SettingsError",
    "UserKeyRejectedError",
]

SEED = "seeds/000_ccfae62b51cd6f41.txt"


class IntegrationError(FEComplianceError):
    """Base of the integration's errors."""


class SettingsError(InvalidValueError, IntegrationError):
    """A MassCIP setting that the seed does not allow (names the setting and the value, never a secret)."""


class CheckoutBlockedError(IntegrationError):
    """Real Time: the sale could not be posted, so checkout must not complete (seed 000: "Any failure in posting
    will return an error to the POS and prevent the checkout"). ``cause`` is the typed failure;
    ``outcome_unknown`` says the sale may be stored: retry the checkout with the same external receipt number
    (it is looked up before any re-post)."""

    def __init__(
        self, external_receipt_number: str, cause: BaseException, *, outcome_unknown: bool = False,
        message: str | None = None,
    ) -> None:
        self.external_receipt_number = external_receipt_number
        self.cause = cause
        self.outcome_unknown = outcome_unknown
        detail = str(cause) if isinstance(cause, FEComplianceError) else type(cause).__name__
        tail = "; retry with the same receipt number (it is looked up first)" if outcome_unknown else ""
        super().__init__(message or f"checkout of receipt {external_receipt_number!r} blocked: {detail}{tail}",
                         field="external_receipt_number", value=external_receipt_number)


class UserKeyRejectedError(CheckoutBlockedError):
    """The selling user's own key was refused (401). It is that user's failure: nothing is retried with the
    master key (seed 000: "In NEITHER case will it use the master username/password if the user's credentials
    fail")."""

    def __init__(self, external_receipt_number: str, user_id: str, cause: TrackAndTraceError) -> None:
        self.user_id = user_id
        super().__init__(
            external_receipt_number, cause,
            message=f"checkout of receipt {external_receipt_number!r} blocked: the key of user {user_id!r} was "
            f"refused ({cause}); the master key is never used in its place ({SEED}); the user must renew their key",
        )


class LicenseExpiredError(IntegrationError):
    """A patient's registration is outside its effective dates on the day of sale: the sale is refused."""

    def __init__(self, license_number: str, start: object, end: object, on: object) -> None:
        self.license_number = license_number
        super().__init__(
            field="patient_license_number", value=license_number,
            message=f"patient license {license_number!r} is not in effect on {on} (effective {start} to {end}); "
            "the sale is refused"
        )
