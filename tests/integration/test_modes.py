"""Every status and mode of seed 000 against the fake Metrc over loopback: Disabled, Real Time, Batch, Allotment
Only; and the configuration-time warning for Batch in Massachusetts."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from fe_compliance.integration import (
    CheckoutBlockedError,
    IntegrationDisabledError,
    MassCIPSettings,
    ReportingMode,
    run_batch_pushes,
)
from fe_compliance.limits import BatchReportingWarning
from fe_compliance.outbox import Outbox
from fe_compliance.states import pack_for
from fe_compliance.testing.fake_metrc import FakeMetrc, Fault
from fe_compliance.tracktrace import DeadlineExceededError, TrackAndTraceError, ValidationError
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import ALICE_KEY, LICENSE, fake_metrc, make_integration, make_sale

KEYS = {"alice": ALICE_KEY}
POST_PATH = "/sales/v*/receipts"


@pytest.fixture
def fake() -> Iterator[FakeMetrc]:
    with fake_metrc() as server:
        yield server


def posts(fake: FakeMetrc) -> list[str]:
    return [r.path for r in fake.requests if r.method == "POST"]


class FakeClock:
    """A monotonic clock that moves only when someone sleeps (or a test moves it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


# ------------------------------------------------------------------ Real Time

def test_real_time_posts_before_checkout_completes(fake: FakeMetrc) -> None:
    with make_integration(fake, MassCIPSettings(), KEYS) as integration:
        result = integration.checkout(make_sale("RT-1"), user_id="alice", license_number=LICENSE)
    assert result.mode is ReportingMode.REAL_TIME and result.outcome == "posted"
    assert fake.stored_count("RT-1") == 1 and len(posts(fake)) == 1


def test_real_time_refusal_blocks_checkout_with_the_typed_cause(fake: FakeMetrc) -> None:
    fake.faults.script(Fault.error(400, body=b'[{"row": 0, "message": "Package not found"}]'), method="POST")
    with make_integration(fake, MassCIPSettings(), KEYS) as integration, \
            pytest.raises(CheckoutBlockedError) as blocked:
        integration.checkout(make_sale("RT-2"), user_id="alice", license_number=LICENSE)
    assert isinstance(blocked.value.cause, ValidationError) and not blocked.value.outcome_unknown
    assert fake.stored_count("RT-2") == 0


def test_real_time_blocks_within_its_deadline_on_the_injected_clock(fake: FakeMetrc) -> None:
    clock = FakeClock()
    settings = MassCIPSettings(real_time_deadline_seconds=5.0)
    retry = RetryPolicy(max_attempts=50, backoff_base=1.0, backoff_cap=2.0, retry_after_cap=3.0, deadline=60.0)
    sale = make_sale("RT-3")
    with make_integration(fake, settings, KEYS, clock=clock, sleep=clock.sleep, retry=retry) as integration:
        fake.faults.script(Fault.server_error(), method="POST")  # outcome unknown: the retry must ask first
        with pytest.raises(CheckoutBlockedError):
            integration.checkout(sale, user_id="alice", license_number=LICENSE)
        fake.faults.script(Fault.unavailable(retry_after=1.5), method="GET", times=50)  # then the system is down
        start = clock.now
        with pytest.raises(CheckoutBlockedError) as blocked:
            integration.checkout(sale, user_id="alice", license_number=LICENSE)
    assert clock.now - start <= 5.0, "no wait outlived the Real Time deadline"
    assert clock.slept, "the client did retry while time was left"
    assert isinstance(blocked.value.cause, TrackAndTraceError), "a typed failure, whichever ended the waiting"
    assert blocked.value.outcome_unknown
    assert len(posts(fake)) == 1, "never re-posted without an answer to the lookup"
    assert fake.stored_count("RT-3") == 0


def test_real_time_refuses_to_start_a_post_after_the_deadline(fake: FakeMetrc) -> None:
    clock = FakeClock()
    settings = MassCIPSettings(real_time_deadline_seconds=2.0)
    with make_integration(fake, settings, KEYS, clock=clock, sleep=clock.sleep) as integration:
        integration.checkout(make_sale("RT-4a"), user_id="alice", license_number=LICENSE)
        fake.clear_requests()
        real_find = integration.client_for("alice", LICENSE)[1]
        original = real_find.find_receipt  # type: ignore[attr-defined]

        def slow_find(number: str, **kwargs: object) -> object:
            clock.now += 3.0  # the lookup used up the deadline
            return original(number, **kwargs)

        real_find.find_receipt = slow_find  # type: ignore[attr-defined]
        integration._unsettled.add((LICENSE, "RT-4b"))  # as if an earlier attempt had been outcome unknown
        with pytest.raises(CheckoutBlockedError) as blocked:
            integration.checkout(make_sale("RT-4b"), user_id="alice", license_number=LICENSE)
    assert isinstance(blocked.value.cause, DeadlineExceededError) and blocked.value.outcome_unknown
    assert posts(fake) == [] and fake.stored_count("RT-4b") == 0


def test_retried_checkout_after_outcome_unknown_stores_once(fake: FakeMetrc) -> None:
    fake.faults.script(Fault.drop_after_store(), method="POST")
    sale = make_sale("RT-5")
    with make_integration(fake, MassCIPSettings(), KEYS) as integration:
        with pytest.raises(CheckoutBlockedError) as blocked:
            integration.checkout(sale, user_id="alice", license_number=LICENSE)
        assert blocked.value.outcome_unknown
        assert fake.stored_count("RT-5") == 1  # it was stored; the answer never came
        result = integration.checkout(sale, user_id="alice", license_number=LICENSE)  # the cashier presses again
        again = integration.checkout(sale, user_id="alice", license_number=LICENSE)
    assert result.outcome == "found" and result.receipt_id
    assert again.outcome == "found" and again.receipt_id == result.receipt_id
    assert fake.stored_count("RT-5") == 1 and len(posts(fake)) == 1


def test_retried_checkout_after_a_server_error_looks_up_then_posts_once(fake: FakeMetrc) -> None:
    fake.faults.script(Fault.server_error(), method="POST")  # 500: outcome unknown, nothing stored
    sale = make_sale("RT-6")
    with make_integration(fake, MassCIPSettings(), KEYS) as integration:
        with pytest.raises(CheckoutBlockedError) as blocked:
            integration.checkout(sale, user_id="alice", license_number=LICENSE)
        assert blocked.value.outcome_unknown and fake.stored_count("RT-6") == 0
        fake.clear_requests()
        result = integration.checkout(sale, user_id="alice", license_number=LICENSE)
    assert result.outcome == "posted" and fake.stored_count("RT-6") == 1
    methods = [r.method for r in fake.requests]
    assert methods.index("GET") < methods.index("POST"), "asked by external number before the re-post"


# ---------------------------------------------------------------------- Batch

def test_batch_never_blocks_and_gets_every_item_through(fake: FakeMetrc, tmp_path: Path) -> None:
    settings = MassCIPSettings(reporting_mode="Batch")
    with Outbox.open(tmp_path / "outbox.db") as box:
        integration = make_integration(fake, settings, KEYS, outbox=box)
        fake.stop_listening()  # the state system is unreachable at checkout time
        results = [integration.checkout(make_sale(f"B-{n}"), user_id="alice", license_number=LICENSE)
                   for n in range(12)]
        assert {r.outcome for r in results} == {"queued"} and fake.requests == ()
        first = integration.pusher(lease_seconds=5.0, request_budget=2.0).push()
        assert first.done == 0 and first.failed_ids, "nothing reached the system; the items stay queued"
        fake.resume_listening()
        fake.faults.randomly(0.3, (Fault.server_error(), Fault.drop_after_store()), seed=13)
        sleeps: list[float] = []
        run_batch_pushes(integration, integration.pusher(lease_seconds=5.0, request_budget=2.0),
                         stop=lambda: box.status().all_done or len(sleeps) >= 12, sleep=sleeps.append)
        fake.faults.clear()
        assert box.status().all_done
    assert all(fake.stored_count(f"B-{n}") == 1 for n in range(12))
    assert sleeps and set(sleeps) == {15 * 60.0}, "pushes every 15 minutes by default"


# ------------------------------------------------------------- Allotment Only

def test_allotment_only_never_posts(fake: FakeMetrc, tmp_path: Path) -> None:
    settings = MassCIPSettings(enable_dispensing="No")
    assert settings.mode is ReportingMode.ALLOTMENT_ONLY
    with make_integration(fake, settings, KEYS) as integration:
        result = integration.checkout(make_sale("AO-1"), user_id="alice", license_number=LICENSE)
        integration.client_for("alice", LICENSE)[1].list_patients()  # type: ignore[attr-defined]
    assert result.outcome == "not_sent" and posts(fake) == []
    assert [r.method for r in fake.requests] == ["GET"], "allotments are still pulled"


# ------------------------------------------------------------------- Disabled

def test_disabled_sends_and_pulls_nothing(fake: FakeMetrc, tmp_path: Path) -> None:
    settings = MassCIPSettings(status="Disabled", reporting_mode="batch")
    with Outbox.open(tmp_path / "outbox.db") as box:
        integration = make_integration(fake, settings, KEYS, outbox=box)
        result = integration.checkout(make_sale("D-1"), user_id="alice", license_number=LICENSE)
        with pytest.raises(IntegrationDisabledError):
            integration.require_enabled("allotments")
        reports = run_batch_pushes(integration, integration.pusher(), stop=iter([False, True, True]).__next__,
                                   sleep=lambda s: None)
        assert box.status().total == 0
    assert result.outcome == "not_sent" and reports == [] and fake.requests == ()


# -------------------------------------------------------------- configuration

def test_batch_in_massachusetts_warns_and_says_whether_the_rule_is_confirmed(fake: FakeMetrc, tmp_path: Path) -> None:
    pack = pack_for("MA")
    import datetime as dt

    on = dt.date(2026, 12, 4)
    rule = pack.in_force(on).reporting
    assert rule is not None and rule.real_time_required
    with Outbox.open(tmp_path / "o.db") as box, pytest.warns(BatchReportingWarning) as caught:
        integration = make_integration(fake, MassCIPSettings(reporting_mode="batch"), KEYS, outbox=box)
        integration = type(integration)(integration.settings, integration.client_factory, integration.credentials,
                                        outbox=box, rules=pack, on=on)
    text = str(caught[-1].message)
    assert ("UNCONFIRMED" in text) is (not rule.confirmed) and "MA" in text
    assert integration.warnings == (text,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = type(integration)(MassCIPSettings(), integration.client_factory, integration.credentials,
                                  rules=pack, on=on)
    assert quiet.warnings == ()
