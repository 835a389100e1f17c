"""Shared pieces of the integration tests: a fake Metrc with a user key per cashier plus a master key."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from fe_compliance.integration import MassCIPIntegration, MassCIPSettings, metrc_factory
from fe_compliance.outbox import Outbox, keys_from_mapping
from fe_compliance.testing.fake_metrc import DEFAULT_VENDOR_KEY, FakeMetrc, MetrcUser
from fe_compliance.tracktrace import Sale, SaleLine, Timeouts
from fe_compliance.tracktrace.retry import RetryPolicy

LICENSE = "LIC-0001"
ZONE = "America/New_York"
ALICE_KEY = "alice-key-0001"
BOB_KEY = "bob-key-0002"  # never given to the fake: Bob's key fails with 401
MASTER_KEY = "master-key-0003"
FAST_TIMEOUTS = Timeouts(connect=0.5, read=0.3)
FAST_RETRY = RetryPolicy(max_attempts=2, backoff_base=0.005, backoff_cap=0.01, retry_after_cap=0.05, deadline=1.0)


def fake_metrc() -> FakeMetrc:
    """Alice and the master key are valid for the license; Bob's key is unknown to the fake (a 401)."""
    return FakeMetrc(users=(
        MetrcUser("alice", ALICE_KEY, frozenset({LICENSE})),
        MetrcUser("master", MASTER_KEY, frozenset({LICENSE})),
    ))


def user_keys(**keys: str) -> dict[str, str]:
    return dict(keys)


def make_integration(
    fake: FakeMetrc,
    settings: MassCIPSettings,
    keys: dict[str, str],
    *,
    outbox: Outbox | None = None,
    clock: object = time.monotonic,
    sleep: object = None,
    retry: RetryPolicy = FAST_RETRY,
) -> MassCIPIntegration:
    factory = metrc_factory(
        DEFAULT_VENDOR_KEY, [LICENSE], base_url=fake.url, facility_zone=ZONE, timeouts=FAST_TIMEOUTS, retry=retry,
        deadline_seconds=settings.real_time_deadline_seconds,
        clock=clock if clock is not time.monotonic else None,  # type: ignore[arg-type]
        sleep=sleep,  # type: ignore[arg-type]
    )
    return MassCIPIntegration(settings, factory, keys_from_mapping(keys), outbox=outbox,
                              clock=clock)  # type: ignore[arg-type]


def make_sale(number: str, *, grams: float = 3.5, patient: str | None = None) -> Sale:
    return Sale(
        external_receipt_number=number,
        sold_at=dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.UTC),
        customer_type="Patient" if patient else "Consumer",
        patient_license_number=patient,
        lines=(SaleLine("1A4000000000000000001234", grams, "Grams", Decimal("20.00")),),
    )


def master_settings(*, required: bool, mode: str = "real time", **extra: object) -> MassCIPSettings:
    return MassCIPSettings(
        mtc_name="Test LSP", require_individual_user_credentials=required, master_user_id="master",
        master_key=MASTER_KEY, reporting_mode=mode, **extra,  # type: ignore[arg-type]
    )
