"""Building pushers that talk to the fake Metrc over loopback, with timeouts short enough for tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fe_compliance.outbox import Outbox, Pusher
from fe_compliance.outbox.config import PushConfig, load_push_config
from fe_compliance.outbox.metrc import metrc_client_factory
from fe_compliance.tracktrace.retry import RetryPolicy
from fe_compliance.tracktrace.transport import Timeouts

LICENSE = "LIC-0001"
USER_ID = "cashier-7"
ZONE = "America/New_York"
# Fast: sub-second timeouts, no long Retry-After waits, one re-try at most.
FAST_TIMEOUTS = Timeouts(connect=0.5, read=0.15)
FAST_RETRY = RetryPolicy(max_attempts=2, backoff_base=0.005, backoff_cap=0.01, retry_after_cap=0.05, deadline=1.0)


def push_config(base_url: str, vendor_key: str, user_key: str, *, user_id: str = USER_ID) -> PushConfig:
    from fe_compliance.outbox.config import env_name_for_user

    return load_push_config({
        "FE_METRC_VENDOR_KEY": vendor_key, "FE_METRC_LICENSE": LICENSE, "FE_METRC_BASE_URL": base_url,
        "FE_METRC_FACILITY_ZONE": ZONE, env_name_for_user(user_id): user_key,
    })


def make_pusher(
    box: Outbox, config: PushConfig, *, lease_seconds: float = 5.0, request_budget: float = 2.0,
    checkpoint: Callable[[str], None] | None = None, owner: str | None = None,
) -> Pusher:
    factory = metrc_client_factory(config, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    return Pusher(box, factory, config.user_key, lease_seconds=lease_seconds, request_budget=request_budget,
                  checkpoint=checkpoint, owner=owner)


def enqueue(db: Path, count: int, *, start: int = 0, durability: str = "normal") -> list[str]:
    from .helpers import make_sale

    numbers = []
    with Outbox.open(db, durability=durability) as box:
        for n in range(start, start + count):
            sale = make_sale(f"X-{n:05d}")
            box.enqueue_sale(sale, license_number=LICENSE, user_id=USER_ID)
            numbers.append(sale.external_receipt_number)
    return numbers
