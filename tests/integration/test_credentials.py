"""The credential rule of seed 000 as a table, against the fake Metrc over loopback, in Real Time and in Batch.

Every combination the seed allows: individual credentials required or not; the user's key set and valid, set and
failing (401), or not set; a master account configured or not. The fake's request log names the key behind each
request, and proves that a failing user key is never followed by a request with the master key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fe_compliance.integration import CheckoutBlockedError, MassCIPSettings, UserKeyRejectedError
from fe_compliance.outbox import NoUsableCredentialError, Outbox
from fe_compliance.testing.fake_metrc import FakeMetrc

from .helpers import ALICE_KEY, BOB_KEY, LICENSE, MASTER_KEY, fake_metrc, make_integration, make_sale

# (required, user's key: "valid" | "failing" | "unset", master configured, expected: key id used | error kind)
TABLE = [
    (True, "valid", True, "alice"),
    (True, "valid", False, "alice"),
    (True, "failing", True, "rejected"),
    (True, "failing", False, "rejected"),
    (True, "unset", True, "no_key"),
    (True, "unset", False, "no_key"),
    (False, "valid", True, "alice"),
    (False, "valid", False, "alice"),
    (False, "failing", True, "rejected"),
    (False, "failing", False, "rejected"),
    (False, "unset", True, "master"),
    (False, "unset", False, "no_key"),
]
USER_OF = {"valid": ("alice", ALICE_KEY), "failing": ("bob", BOB_KEY), "unset": ("carol", None)}


@pytest.fixture
def fake() -> Iterator[FakeMetrc]:
    with fake_metrc() as server:
        yield server


def settings_for(required: bool, master: bool, mode: str) -> MassCIPSettings:
    return MassCIPSettings(
        require_individual_user_credentials=required, reporting_mode=mode,
        master_user_id="master" if master else None, master_key=MASTER_KEY if master else None,
    )


def keys_for(user: str, key: str | None) -> dict[str, str]:
    return {user: key} if key is not None else {}


@pytest.mark.parametrize(("required", "user_key", "master", "expected"), TABLE)
def test_real_time_uses_the_key_the_seed_allows(
    fake: FakeMetrc, required: bool, user_key: str, master: bool, expected: str
) -> None:
    user, key = USER_OF[user_key]
    integration = make_integration(fake, settings_for(required, master, "real time"), keys_for(user, key))
    sale = make_sale(f"RT-{required}-{user_key}-{master}")
    with integration:
        if expected in ("alice", "master"):
            result = integration.checkout(sale, user_id=user, license_number=LICENSE)
            assert result.outcome == "posted" and result.key_user_id == expected
            assert fake.stored_count(sale.external_receipt_number) == 1
            assert {r.user_key_id for r in fake.requests} == {expected}
        elif expected == "rejected":
            with pytest.raises(UserKeyRejectedError) as info:
                integration.checkout(sale, user_id=user, license_number=LICENSE)
            assert info.value.user_id == "bob" and "master key is never used" in str(info.value)
            assert fake.requests, "the user's key was tried"
            assert all(r.status == 401 for r in fake.requests)
            assert "master" not in {r.user_key_id for r in fake.requests}
            assert fake.stored_count(sale.external_receipt_number) == 0
        else:
            with pytest.raises(CheckoutBlockedError) as blocked:
                integration.checkout(sale, user_id=user, license_number=LICENSE)
            assert isinstance(blocked.value.cause, NoUsableCredentialError)
            assert fake.requests == ()
        for secret in (ALICE_KEY, BOB_KEY, MASTER_KEY):
            assert secret not in repr(integration) and secret not in repr(integration.settings)


@pytest.mark.parametrize(("required", "user_key", "master", "expected"), TABLE)
def test_batch_push_uses_the_key_the_seed_allows(
    fake: FakeMetrc, tmp_path: Path, required: bool, user_key: str, master: bool, expected: str
) -> None:
    user, key = USER_OF[user_key]
    with Outbox.open(tmp_path / "outbox.db") as box:
        integration = make_integration(fake, settings_for(required, master, "batch"), keys_for(user, key),
                                       outbox=box)
        sale = make_sale(f"B-{required}-{user_key}-{master}")
        result = integration.checkout(sale, user_id=user, license_number=LICENSE)
        assert result.outcome == "queued" and fake.requests == ()
        report = integration.pusher(lease_seconds=5.0, request_budget=2.0).push()
        item = box.get(result.outbox_item_id or 0)
        if expected in ("alice", "master"):
            assert report.posted == 1 and fake.stored_count(sale.external_receipt_number) == 1
            assert {r.user_key_id for r in fake.requests} == {expected}
        else:
            assert report.failed_ids == [item.id] and item.state.value != "done"
            assert fake.stored_count(sale.external_receipt_number) == 0
            assert "master" not in {r.user_key_id for r in fake.requests}
            if expected == "rejected":
                assert fake.requests and all(r.status == 401 for r in fake.requests)
            else:
                assert fake.requests == ()
