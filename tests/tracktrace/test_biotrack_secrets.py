"""A canary password and canary session ids never appear in anything a test can capture: logs at every level
(ours and the fake's), exceptions (str, repr, args, chained causes, tracebacks and every local variable of every
frame), reprs of the client, credentials, transport, the fake and its request log, and standard output."""

from __future__ import annotations

import itertools
import pickle
import time
from decimal import Decimal

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.testing.fake_biotrack import BioTrackUser, FakeBioTrack, Fault
from fe_compliance.tracktrace import SaleLine, Timeouts, TrackAndTraceError
from fe_compliance.tracktrace.biotrack import BioTrackClient, BioTrackCredentials
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import make_sale
from .test_metrc_secrets import texts_of_error

USERNAME = "canary.user@example.com"
PASSWORD = "CanaryPassword5e81c7"
SESSION_PREFIX = "CanarySession0a9d"
FORBIDDEN = [PASSWORD, SESSION_PREFIX]


def assert_clean(texts: list[str], where: str) -> None:
    for text in texts:
        for secret in FORBIDDEN:
            assert secret not in text, f"{where} shows a credential"


def sale(number: str) -> object:
    return make_sale(number, lines=[SaleLine("1584004777122787", 1, "Grams", Decimal("5"))])


def test_password_and_session_never_show(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(1)
    counter = itertools.count()
    errors: list[BaseException] = []
    policy = RetryPolicy(max_attempts=2, backoff_base=0.01, backoff_cap=0.01, retry_after_cap=0.1, deadline=3.0)
    credentials = BioTrackCredentials(USERNAME, PASSWORD)
    users = [BioTrackUser(USERNAME, PASSWORD), BioTrackUser("clerk@example.com", PASSWORD, privileges=frozenset())]
    with FakeBioTrack(users=users, session_ids=lambda: f"{SESSION_PREFIX}{next(counter)}") as fake:
        client = BioTrackClient(credentials, fake.license_number, url=fake.url, terminal_id="t", retry=policy,
                                timeouts=Timeouts(0.5, 0.3), sleep=lambda s: time.sleep(min(s, 0.01)))
        fake.faults.script(Fault.server_error())  # the login is retried
        client.post_sale(sale("OK-1"))
        fake.expire_sessions()
        fake.leak_header = True
        client.post_sale(sale("OK-2"))
        fake.leak_header = False
        for fault in (Fault.drop_after_store(), Fault.server_error(), Fault.slow(0.6), Fault.reset_after_read(),
                      Fault.reset_before_read(), Fault.malformed_json()):
            fake.faults.script(fault)
            try:
                client.post_sale(sale(f"F-{fault.kind.value}"))
            except TrackAndTraceError as error:
                errors.append(error)
        try:
            client.void_sale("999999")
        except TrackAndTraceError as error:
            errors.append(error)
        fake.expire_sessions()
        fake.faults.script(Fault.reset_after_read(), times=2)  # the re-login fails on the network
        try:
            client.find_receipt("OK-1")
        except TrackAndTraceError as error:
            errors.append(error)
        # (built inline: a local variable holding a password would sit in this test's own traceback frame)
        for other_credentials in (BioTrackCredentials("clerk@example.com", PASSWORD),
                                  BioTrackCredentials(USERNAME, PASSWORD + "x")):
            other = BioTrackClient(other_credentials, fake.license_number, url=fake.url, terminal_id="t",
                                   retry=policy)
            try:
                other.post_sale(sale("DENIED"))
            except TrackAndTraceError as error:
                errors.append(error)
            other.close()
        reprs = [repr(client), str(client), repr(credentials), str(credentials), f"{credentials}", repr(fake),
                 repr(client.transport), repr(fake.requests), repr(vars(client)) if hasattr(client, "__dict__") else "",
                 repr([call.fields for call in fake.requests]), repr(fake.sales)]
        assert fake.logins >= 3
        client.close()
    stopped = BioTrackClient(credentials, fake.license_number, url=fake.url, terminal_id="t", retry=policy)
    try:
        stopped.post_sale(sale("DOWN"))
    except TrackAndTraceError as error:
        errors.append(error)
    for bad in ("", 5):
        try:
            BioTrackCredentials(USERNAME, bad)  # type: ignore[arg-type]
        except InvalidValueError as error:
            errors.append(error)
    assert len(errors) >= 10
    for error in errors:
        assert_clean(list(texts_of_error(error)), f"error {type(error).__name__}")
    assert_clean(reprs, "a repr")
    assert caplog.records
    assert_clean([record.getMessage() for record in caplog.records], "a log record")
    assert_clean([repr(record.args) for record in caplog.records], "log record args")
    assert_clean([caplog.text], "the log text")
    out, err = capsys.readouterr()
    assert_clean([out, err], "standard output")


def test_credentials_cannot_be_pickled_and_show_nothing() -> None:
    credentials = BioTrackCredentials(USERNAME, PASSWORD)
    with pytest.raises(TypeError):
        pickle.dumps(credentials)
    assert_clean([repr(credentials.password), str(credentials.password), f"{credentials.password}"], "the password")
    assert USERNAME not in repr(credentials)
    assert credentials.password.reveal() == PASSWORD
