"""Hypothesis: whatever a BioTrack server answers (any JSON, any bytes, the leaked header, any status), every
action gives a model or a typed ``TrackAndTraceError``, never another exception; and a write is never re-sent
except after a session-expired answer (then once, with the same nonce)."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fe_compliance.tracktrace import HttpRequest, HttpResponse, MockTransport, PostedSale, Receipt, TrackAndTraceError
from fe_compliance.tracktrace.biotrack import BioTrackClient, BioTrackCredentials
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import FakeClock
from .test_biotrack_client import LICENSE, LOGIN_OK, URL, bt_sale

scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
field_values = st.sampled_from([0, 1, "0", "1", True, False, None, "", "63", 63, "62", "602", "17", "200", "9", 2.5])
answers = st.fixed_dictionaries(
    {},
    optional={
        "success": field_values,
        "errorcode": field_values,
        "error": st.sampled_from(["Session expired", "no", "", None, 5]),
        "transactionid": field_values | st.text(max_size=10),
        "sessionid": st.sampled_from(["s-9", "", None, 7]),
        "sessiontime": json_values,
    },
)
bodies = (
    answers.map(lambda a: json.dumps(a).encode())
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=40)
)
prefixes = st.sampled_from([b"", b"Content-Type: text/plain\r\n\r\n", b"content-type: text/plain\n", b"\xff"])
statuses = st.sampled_from([200, 200, 200, 201, 302, 400, 401, 403, 404, 429, 500, 503])


def run(action: str, answer: HttpResponse, login: HttpResponse | None = None) -> tuple[Any, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def handler(request: HttpRequest) -> HttpResponse:
        body = json.loads(request.body)
        sent.append(body)
        if body["action"] == "login":
            return login if login is not None else HttpResponse(200, {}, json.dumps(LOGIN_OK).encode())
        return answer

    clock = FakeClock()
    client = BioTrackClient(
        BioTrackCredentials("u", "p"), LICENSE, url=URL, terminal_id="t", transport=MockTransport(handler),
        retry=RetryPolicy(max_attempts=3, backoff_base=0.1, backoff_cap=0.2, retry_after_cap=1.0, deadline=20.0),
        clock=clock, sleep=clock.sleep, rng=random.Random(1),
    )
    try:
        if action == "sale_dispense":
            result: Any = client.post_sale(bt_sale())
            assert isinstance(result, PostedSale)
        elif action == "nonce_replay":
            result = client.find_receipt("R-1")
            assert result is None or isinstance(result, Receipt)
        elif action == "sale_void":
            client.void_sale("77")
            result = None
        else:
            client.login()
            result = None
    except TrackAndTraceError as error:
        result = error
    return result, sent


@given(action=st.sampled_from(["sale_dispense", "nonce_replay", "sale_void"]), body=bodies, prefix=prefixes,
       status=statuses)
def test_any_answer_gives_a_model_or_a_typed_error(action: str, body: bytes, prefix: bytes, status: int) -> None:
    _result, sent = run(action, HttpResponse(status, {}, prefix + body))
    if action == "sale_dispense":
        dispenses = [b for b in sent if b["action"] == "sale_dispense"]
        assert len(dispenses) <= 2 and len({b["nonce"] for b in dispenses}) == 1
        if len(dispenses) == 2:  # only a session-expired answer re-sends a write
            assert len([b for b in sent if b["action"] == "login"]) == 2


@given(body=bodies, prefix=prefixes, status=statuses)
def test_any_login_answer_gives_a_session_or_a_typed_error(body: bytes, prefix: bytes, status: int) -> None:
    run("login", HttpResponse(200, {}, b""), login=HttpResponse(status, {}, prefix + body))
