"""The MassCIP integration's settings as one frozen value (seed 000, "Configure MassCIP settings").

The fields are the seed's: Enable Dispensing, Require Individual User Credentials, Use Flower Equivalent for
Transmission ("Select No"), Use External Component ("Select No"), MassCIP MTC Name, and the master account. For
Metrc the master "username and password" is one API key: the facility's designated user key, held as a
:class:`~fe_compliance.tracktrace.transport.Secret` so that no repr, log line or error shows it.

Massachusetts requires individual Metrc user keys (reference/metrc-api.md, "Massachusetts specifics"), so
``require_individual_user_credentials`` defaults to True.
"""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs

from ..limits.reporting import ReportingMode
from ..tracktrace.transport import Secret
from .errors import SEED, SettingsError

__all__ = ["DEFAULT_PUSH_INTERVAL_SECONDS", "DEFAULT_REAL_TIME_DEADLINE_SECONDS", "MassCIPSettings", "Status"]

#: Batch pushes "typically every 15 minutes" (seed 000, "Status and modes").
DEFAULT_PUSH_INTERVAL_SECONDS = 15 * 60.0
#: How long a Real Time checkout may wait for the state system before it is blocked (a choice of this library).
DEFAULT_REAL_TIME_DEADLINE_SECONDS = 20.0


class Status(enum.Enum):
    """Seed 000: "A status of Disabled indicates Dutchie is not communicating with the VG at all"."""

    ENABLED = "enabled"
    DISABLED = "disabled"


def _yes_no(field: str) -> Any:
    def convert(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
            return value.strip().lower() == "yes"
        raise SettingsError(field, value, "must be Yes or No")

    return convert


def _enable_dispensing(value: Any) -> bool:
    return bool(_yes_no("enable_dispensing")(value))


def _require_individual(value: Any) -> bool:
    return bool(_yes_no("require_individual_user_credentials")(value))


def _use_fe(value: Any) -> bool:
    return bool(_yes_no("use_flower_equivalent_for_transmission")(value))


def _use_external(value: Any) -> bool:
    return bool(_yes_no("use_external_component")(value))


def _mtc_name(value: Any) -> str | None:
    return _optional_text("mtc_name")(value)  # type: ignore[no-any-return]


def _master_user_id(value: Any) -> str | None:
    return _optional_text("master_user_id")(value)  # type: ignore[no-any-return]


def _push_interval(value: Any) -> float:
    return float(_seconds("push_interval_seconds")(value))


def _deadline(value: Any) -> float:
    return float(_seconds("real_time_deadline_seconds")(value))


def _status(value: Any) -> Status:
    if isinstance(value, Status):
        return value
    if isinstance(value, str):
        for member in Status:
            if member.value == value.strip().lower():
                return member
    raise SettingsError("status", value, "must be Enabled or Disabled")


def _mode(value: Any) -> ReportingMode:
    try:
        return ReportingMode.parse(value)
    except ValueError:
        raise SettingsError("reporting_mode", value, "must be Real Time, Batch or Allotment Only") from None


def _optional_text(field: str) -> Any:
    def convert(value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or any(ord(c) < 32 for c in value):
            raise SettingsError(field, value, "must be text without control characters, or None")
        return value.strip() or None

    return convert


def _secret(value: Any) -> Secret | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or any(ord(c) <= 32 for c in value.strip()):
        raise SettingsError("master_key", "<redacted>", "must be a key: printable text without spaces")
    return value if isinstance(value, Secret) else Secret(value.strip())


def _seconds(field: str) -> Any:
    def convert(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise SettingsError(field, value, "must be a number of seconds above zero")
        return float(value)

    return convert


@attrs.frozen(slots=True)
class MassCIPSettings:
    """The integration's configuration. Build it once; it is checked as a whole in ``__attrs_post_init__``.

    ``reporting_mode`` applies while ``enable_dispensing`` is Yes; Enable Dispensing = No means Allotment Only
    (seed 000), whatever ``reporting_mode`` says: :attr:`mode` is the mode in force. ``master_user_id`` names the
    master key in logs and in the outbox's records (never the key itself).
    """

    mtc_name: str | None = attrs.field(default=None, converter=_mtc_name)
    enable_dispensing: bool = attrs.field(default=True, converter=_enable_dispensing)
    require_individual_user_credentials: bool = attrs.field(
        default=True, converter=_require_individual
    )
    use_flower_equivalent_for_transmission: bool = attrs.field(
        default=False, converter=_use_fe
    )
    use_external_component: bool = attrs.field(default=False, converter=_use_external)
    master_user_id: str | None = attrs.field(default=None, converter=_master_user_id)
    master_key: Secret | None = attrs.field(default=None, converter=_secret, repr=False)
    status: Status = attrs.field(default=Status.ENABLED, converter=_status)
    reporting_mode: ReportingMode = attrs.field(default=ReportingMode.REAL_TIME, converter=_mode)
    push_interval_seconds: float = attrs.field(
        default=DEFAULT_PUSH_INTERVAL_SECONDS, converter=_push_interval
    )
    real_time_deadline_seconds: float = attrs.field(
        default=DEFAULT_REAL_TIME_DEADLINE_SECONDS, converter=_deadline
    )

    def __attrs_post_init__(self) -> None:
        if self.use_flower_equivalent_for_transmission:
            raise SettingsError(
                "use_flower_equivalent_for_transmission", "Yes",
                f"must be No: MassCIP counts grams/concentration and the flower equivalent is never transmitted "
                f"({SEED}: 'Use Flower Equivalent for Transmission | Select No')",
            )
        if self.use_external_component:
            raise SettingsError(
                "use_external_component", "Yes", f"must be No ({SEED}: 'Use External Component | Select No')"
            )
        if (self.master_key is None) != (self.master_user_id is None):
            raise SettingsError(
                "master_user_id", self.master_user_id, "the master account needs both a user id and a key, or neither"
            )
        if self.enable_dispensing and self.reporting_mode is ReportingMode.ALLOTMENT_ONLY:
            raise SettingsError(
                "reporting_mode", "Allotment Only",
                f"contradicts Enable Dispensing = Yes; set Enable Dispensing = No for Allotment Only ({SEED})",
            )

    @property
    def mode(self) -> ReportingMode:
        """The mode in force: Allotment Only when dispensing is disabled (seed 000), else ``reporting_mode``."""
        return self.reporting_mode if self.enable_dispensing else ReportingMode.ALLOTMENT_ONLY

    @property
    def disabled(self) -> bool:
        """Status Disabled: nothing is sent and nothing is pulled."""
        return self.status is Status.DISABLED

    @property
    def has_master(self) -> bool:
        return self.master_key is not None
