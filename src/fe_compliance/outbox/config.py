"""Where the push command finds its target and its keys: environment variables or a 0600 config file, never flags.

Keys given as command-line flags end up in shell history, in ``ps`` output and in process accounting; so the
command takes none. It reads, in this order (the first source that sets a value wins):

1. Environment variables: ``FE_METRC_VENDOR_KEY`` (the integrator key), ``FE_METRC_LICENSE`` (the license, or
   several separated by commas, this pusher may push), ``FE_METRC_STATE`` (two letters, e.g. ``ma``: the
   production URL ``https://api-{st}.metrc.com``) or ``FE_METRC_BASE_URL``, and one ``FE_METRC_USER_KEY_<ID>``
   per selling user, where ``<ID>`` is the user id upper-cased with every character other than A-Z and 0-9
   written as ``_`` (user ``cashier-7`` -> ``FE_METRC_USER_KEY_CASHIER_7``). Optional: ``FE_METRC_API_VERSION``
   (1 or 2), ``FE_METRC_FACILITY_ZONE`` (IANA name, when the state is not one the adapter knows).
2. A TOML file named by ``--config FILE`` (or ``FE_OUTBOX_CONFIG``). It must be a regular file readable and
   writable by its owner only (mode 0600 or stricter): a key file others can read is refused, saying so::

       vendor_key = "..."
       license = "LIC-0001"          # or licenses = ["LIC-1", "LIC-2"]
       state = "ma"                  # or base_url = "https://..."
       [user_keys]
       "cashier-7" = "..."

A :class:`PushConfig` never shows a key in its repr; :meth:`PushConfig.user_key` is the credential provider.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import FEComplianceError, InvalidValueError

__all__ = ["ConfigError", "PushConfig", "env_name_for_user", "load_push_config"]

ENV_PREFIX_USER_KEY = "FE_METRC_USER_KEY_"
_FILE_KEYS = frozenset(
    {"vendor_key", "license", "licenses", "state", "base_url", "user_keys", "api_version", "facility_zone",
     "timeout_seconds"}
)


class ConfigError(FEComplianceError):
    """The push configuration is missing, unsafe or malformed (the command exits 2). Never quotes a key."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field, value=None)


def env_name_for_user(user_id: str) -> str:
    """The environment variable holding ``user_id``'s key: ``FE_METRC_USER_KEY_`` + the id, upper-cased, with
    every character outside A-Z and 0-9 written as ``_``."""
    return ENV_PREFIX_USER_KEY + re.sub(r"[^A-Z0-9]", "_", user_id.upper())


@attrs.frozen(slots=True, repr=False)
class PushConfig:
    """Target and keys for pushing. ``repr`` names the sources and the user ids, never a key."""

    licenses: tuple[str, ...]
    base_url: str | None
    state: str | None
    vendor_key: str = attrs.field(repr=False)
    file_user_keys: Mapping[str, str] = attrs.field(repr=False)
    env: Mapping[str, str] = attrs.field(repr=False)
    api_version: int = 2
    facility_zone: str | None = None
    timeout_seconds: float = 30.0

    def __repr__(self) -> str:
        return (
            f"PushConfig(licenses={self.licenses!r}, state={self.state!r}, base_url={self.base_url!r}, "
            f"api_version={self.api_version}, vendor_key=<redacted>, file_user_ids={sorted(self.file_user_keys)!r})"
        )

    def user_key(self, user_id: str) -> str | None:
        """The key of ``user_id`` (environment first, then the file), or None."""
        from_env = self.env.get(env_name_for_user(user_id))
        if from_env:
            return from_env
        return self.file_user_keys.get(user_id)


def _check_private(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError("config", f"no config file at {path}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError("config", f"{path} is not a regular file")
    loose = stat.S_IMODE(info.st_mode) & 0o077
    if loose:
        raise ConfigError(
            "config",
            f"{path} has mode {stat.S_IMODE(info.st_mode):04o}: it holds API keys, so group and others must have no "
            f"access (run: chmod 600 {path})",
        )


def _read_file(path: Path) -> dict[str, Any]:
    _check_private(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # The decoder's message can quote the offending line, which may hold a key: keep only the position.
        where = re.search(r"\(at line \d+, column \d+\)", str(exc))
        raise ConfigError("config", f"{path} is not valid TOML {where.group(0) if where else ''}".strip()) from None
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise ConfigError("config", f"{path}: unknown setting(s) {', '.join(unknown)}")
    return data


def _text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(field, "must be non-empty text")
    return value.strip()


def load_push_config(
    env: Mapping[str, str] | None = None, config_path: str | os.PathLike[str] | None = None
) -> PushConfig:
    """Build the push configuration from ``env`` (default ``os.environ``) and the optional config file."""
    env = dict(os.environ if env is None else env)
    path_text = config_path if config_path is not None else env.get("FE_OUTBOX_CONFIG")
    data = _read_file(Path(path_text)) if path_text else {}
    vendor_key = env.get("FE_METRC_VENDOR_KEY") or data.get("vendor_key")
    if not vendor_key or not isinstance(vendor_key, str):
        raise ConfigError("FE_METRC_VENDOR_KEY", "no vendor (integrator) key: set FE_METRC_VENDOR_KEY or vendor_key in "
                          "the config file")
    license_text = env.get("FE_METRC_LICENSE")
    if license_text:
        licenses = tuple(part.strip() for part in license_text.split(",") if part.strip())
    elif "licenses" in data:
        raw = data["licenses"]
        if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
            raise ConfigError("licenses", "must be a list of license numbers")
        licenses = tuple(x.strip() for x in raw)
    else:
        single = _text("license", data.get("license"))
        licenses = (single,) if single else ()
    if not licenses:
        raise ConfigError("FE_METRC_LICENSE", "no license: set FE_METRC_LICENSE or license in the config file")
    state = _text("FE_METRC_STATE", env.get("FE_METRC_STATE")) or _text("state", data.get("state"))
    base_url = _text("FE_METRC_BASE_URL", env.get("FE_METRC_BASE_URL")) or _text("base_url", data.get("base_url"))
    if (state is None) == (base_url is None):
        raise ConfigError(
            "FE_METRC_STATE", "give exactly one of FE_METRC_STATE (e.g. ma) and FE_METRC_BASE_URL (or state / "
            "base_url in the config file)"
        )
    user_keys = data.get("user_keys", {})
    if not isinstance(user_keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in
                                                   user_keys.items()):
        raise ConfigError("user_keys", "must be a table of user id = \"key\"")
    version_text = env.get("FE_METRC_API_VERSION") or data.get("api_version") or 2
    try:
        api_version = int(version_text)
    except (TypeError, ValueError):
        raise ConfigError("FE_METRC_API_VERSION", "must be 1 or 2") from None
    if api_version not in (1, 2):
        raise ConfigError("FE_METRC_API_VERSION", "must be 1 or 2")
    timeout = data.get("timeout_seconds", 30.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 600:
        raise InvalidValueError("timeout_seconds", timeout, "must be a number of seconds from 0 to 600")
    zone = _text("FE_METRC_FACILITY_ZONE", env.get("FE_METRC_FACILITY_ZONE")) or _text(
        "facility_zone", data.get("facility_zone")
    )
    return PushConfig(
        licenses=licenses, base_url=base_url, state=state.lower() if state else None, vendor_key=vendor_key,
        file_user_keys=dict(user_keys), env={k: v for k, v in env.items() if k.startswith(ENV_PREFIX_USER_KEY)},
        api_version=api_version, facility_zone=zone, timeout_seconds=float(timeout),
    )
