"""A canary key never appears in anything a test can capture: logs at every level (ours and the fake's),
exceptions (str, repr, args, chained causes, formatted tracebacks, and the repr of every local variable of every
frame, as error trackers record them), reprs of the client, credentials, transport, requests and the fake, and
standard output. Checked in plain text and in the base64 form of the ``Authorization: Basic`` header."""

from __future__ import annotations

import base64
import logging
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.testing.fake_metrc import FakeMetrc, Fault, MetrcUser
from fe_compliance.tracktrace import Timeouts, TrackAndTraceError
from fe_compliance.tracktrace.metrc import MetrcClient, MetrcCredentials
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import make_sale

VENDOR = "CanaryVendor7f3a9c"
USER = "CanaryUser19bd2e"
LICENSE = "LIC-0001"
TOKEN = base64.b64encode(f"{VENDOR}:{USER}".encode()).decode()
FORBIDDEN = [
    VENDOR,
    USER,
    TOKEN,
    TOKEN[:16],
    base64.b64encode(VENDOR.encode()).decode()[:12],
    base64.b64encode(USER.encode()).decode()[:12],
]


def texts_of_error(error: BaseException) -> Iterator[str]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield repr(current.args)
        yield repr(vars(current)) if hasattr(current, "__dict__") else ""
        yield "".join(traceback.format_exception(current))
        tb = current.__traceback__
        while tb is not None:
            for value in tb.tb_frame.f_locals.values():
                try:
                    yield repr(value)
                except Exception:
                    yield ""
            tb = tb.tb_next
        current = current.__cause__ or current.__context__


def assert_clean(texts: Iterator[str] | list[str], where: str) -> None:
    for text in texts:
        for secret in FORBIDDEN:
            assert secret not in text, f"{where} shows a credential"


def test_credentials_never_show(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(1)  # every level, every logger (ours, the fake's, the standard library's)
    errors: list[BaseException] = []
    users = [MetrcUser("canary", USER, frozenset({LICENSE}))]
    policy = RetryPolicy(max_attempts=2, backoff_base=0.01, backoff_cap=0.01, retry_after_cap=0.1, deadline=3.0)
    credentials = MetrcCredentials(VENDOR, USER)
    with FakeMetrc(vendor_key=VENDOR, users=users) as fake:
        client = MetrcClient(
            credentials,
            LICENSE,
            base_url=fake.url,
            facility_zone="America/New_York",
            retry=policy,
            timeouts=Timeouts(0.5, 0.3),
        )
        fake.faults.script(Fault.server_error(), method="GET")
        client.list_units_of_measure()
        client.post_sale(make_sale("OK-1"))
        for fault in (
            Fault.drop_after_store(),
            Fault.server_error(),
            Fault.slow(0.6),
            Fault.reset_after_read(),
            Fault.error(400, '[{"row":0,"message":"bad"}]'),
        ):
            fake.faults.script(fault, method="POST")
            try:
                client.post_sale(make_sale("F-1"))
            except TrackAndTraceError as error:
                errors.append(error)
        for fault in (Fault.malformed_json(), Fault.rate_limited(retry_after=30), Fault.error(403)):
            fake.faults.script(fault, method="GET")
            try:
                client.list_items()
            except TrackAndTraceError as error:
                errors.append(error)
        client.license_number = "LIC-NOT-MINE"
        try:
            client.find_receipt("OK-1")
        except TrackAndTraceError as error:
            errors.append(error)
        wrong = MetrcClient(
            MetrcCredentials(VENDOR + "x", USER), LICENSE, base_url=fake.url, facility_zone="UTC", retry=policy
        )
        try:
            wrong.list_items()
        except TrackAndTraceError as error:
            errors.append(error)
        reprs = [
            repr(client),
            str(client),
            repr(credentials),
            str(credentials),
            f"{credentials}",
            repr(fake),
            repr(client.transport),
            repr(fake.requests),
            repr(client.rate_limiter),
            repr(vars(client)),
        ]
        client.close()
        wrong.close()
    fake.stop()
    stopped = MetrcClient(credentials, LICENSE, base_url=fake.url, facility_zone="UTC", retry=policy)
    try:
        stopped.post_sale(make_sale("DOWN"))
    except TrackAndTraceError as error:
        errors.append(error)
    for bad in ("", 5):
        try:
            MetrcCredentials(VENDOR, bad)  # type: ignore[arg-type]
        except InvalidValueError as error:
            errors.append(error)
    assert len(errors) >= 10
    assert any(isinstance(e, TrackAndTraceError) and e.status == 401 for e in errors)
    for error in errors:
        assert_clean(texts_of_error(error), f"error {type(error).__name__}")
    assert_clean(reprs, "a repr")
    assert caplog.records, "the scenario logs something"
    assert_clean([record.getMessage() for record in caplog.records], "a log record")
    assert_clean([repr(record.args) for record in caplog.records], "log record args")
    assert_clean([caplog.text], "the log text")
    out, err = capsys.readouterr()
    assert_clean([out, err], "standard output")


def test_credentials_cannot_be_pickled_or_compared_by_value() -> None:
    import pickle

    credentials = MetrcCredentials(VENDOR, USER)
    with pytest.raises(TypeError):
        pickle.dumps(credentials)
    header = credentials.authorization()
    assert_clean([repr(header), str(header), f"{header}", "%s" % (header,)], "the header")  # noqa: UP031
    assert header.reveal() == "Basic " + TOKEN


@pytest.mark.parametrize("bad", ["", "  ", "with space", "line\nbreak", 7, None])
def test_bad_keys_are_refused_without_echoing_them(bad: Any) -> None:
    with pytest.raises(InvalidValueError) as info:
        MetrcCredentials(bad, USER)
    assert info.value.field == "vendor_key"
    if isinstance(bad, str) and bad.strip():
        assert bad not in str(info.value)


def test_logging_at_debug_names_no_header(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="fe_compliance")
    users = [MetrcUser("c", USER, frozenset({LICENSE}))]
    with (
        FakeMetrc(vendor_key=VENDOR, users=users) as fake,
        MetrcClient(MetrcCredentials(VENDOR, USER), LICENSE, base_url=fake.url, facility_zone="UTC") as client,
    ):
        client.list_units_of_measure()
    assert any("/unitsofmeasure/v2/active" in r.getMessage() for r in caplog.records)
    assert_clean([caplog.text], "debug log")
