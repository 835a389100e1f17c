"""hypothesis: whatever a server answers (wrong types, missing keys, huge numbers, deep nesting, garbage bytes,
any status), every adapter call returns its model or raises a typed TrackAndTraceError, never another exception.
Runs under the suite's hypothesis profile (``HYPOTHESIS_PROFILE=thorough`` for a long run)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fe_compliance.tracktrace import (
    HttpRequest,
    HttpResponse,
    Item,
    ItemCategory,
    Patient,
    PostedSale,
    Receipt,
    TrackAndTraceError,
    UnitOfMeasure,
    metrc_wire,
)
from fe_compliance.tracktrace.errors import ResponseFormatError, map_failure
from fe_compliance.tracktrace.retry import RetryPolicy

from .helpers import NY, make_client, make_sale

KEYS = [
    "Id",
    "Name",
    "ExternalReceiptNumber",
    "SalesDateTime",
    "Transactions",
    "Data",
    "TotalPages",
    "Quantity",
    "QuantitySold",
    "UnitOfMeasure",
    "UnitOfMeasureName",
    "TotalAmount",
    "TotalPrice",
    "QuantityType",
    "IsFinal",
    "LicenseNumber",
    "PatientId",
    "LicenseEffectiveStartDate",
    "HasSalesLimitExemption",
    "RecommendedPlants",
    "Abbreviation",
    "Ids",
    "Warnings",
    "ArchivedDate",
    "LastModified",
    "row",
    "message",
    "Message",
    "PackageLabel",
    "SupplyDurationDays",
    "RequiresUnitWeight",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2024-05-01T10:00:00.000", "2024-05-01", "WeightBased", "CountBased", "ABC-1234", "1"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=6)
    ),
    max_leaves=25,
)


def encode(value: Any) -> bytes:
    return json.dumps(value).encode()


special_bodies = st.sampled_from(
    [
        b"",
        b"null",
        b"NaN",
        b'{"Data": [{"Id": 1e999}]}',
        b"[" * 50_000 + b"]" * 50_000,
        b'{"Id": ' + b"9" * 5000 + b"}",
        b"\xff\xfe\x00garbage",
        b"The provided API key is only valid for V1 API endpoints.",
        b'{"Data": [], "TotalPages": 99999999999}',
        # Deep but within the JSON decoder's nesting limit: parsed, then walked by our readers.
        b'[{"row": 0, "message": ' + b"[" * 500 + b"]" * 500 + b"}]",
        b'{"Data": [{"Id": 1, "ExternalReceiptNumber": "ABC-1234", "Transactions": '
        + b"[" * 500
        + b"]" * 500
        + b'}], "TotalPages": 1}',
        b'{"Ids": ' + b"[" * 500 + b"]" * 500 + b', "Warnings": ' + b'{"a":' * 500 + b"1" + b"}" * 500 + b"}",
    ]
)
bodies = json_values.map(encode) | special_bodies
statuses = st.sampled_from([200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 405, 413, 418, 429, 500, 502, 503])
header_values = st.text(max_size=30) | st.sampled_from(
    ["\u00b2", "\u0663", "1" * 5000, "-1", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT"]
)
headers = st.dictionaries(st.sampled_from(["Retry-After", "Content-Type"]), header_values, max_size=2)

CALLS = {
    "list_receipts": (lambda c: c.list_receipts(dt.date(2024, 5, 1)), Receipt),
    "list_items": (lambda c: c.list_items(), Item),
    "list_item_categories": (lambda c: c.list_item_categories(), ItemCategory),
    "list_patients": (lambda c: c.list_patients(), Patient),
    "list_units_of_measure": (lambda c: c.list_units_of_measure(), UnitOfMeasure),
    "find_receipt": (lambda c: c.find_receipt("ABC-1234", sold_at=dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)), Receipt),
    "get_receipt": (lambda c: c.get_receipt("12"), Receipt),
    "post_sale": (lambda c: c.post_sale(make_sale()), PostedSale),
    "void_sale": (lambda c: c.void_sale("12"), type(None)),
    "update_item": (lambda c: c.update_item(Item(id="3", name="x")), type(None)),
}


@given(
    call=st.sampled_from(sorted(CALLS)),
    answers=st.lists(st.tuples(statuses, bodies, headers), min_size=1, max_size=3),
    version=st.sampled_from([1, 2]),
)
def test_any_answer_gives_a_model_or_a_typed_error(
    call: str, answers: list[tuple[int, bytes, dict[str, str]]], version: int
) -> None:
    queue = list(answers)

    def handler(request: HttpRequest) -> HttpResponse:
        status, body, extra = queue.pop(0) if len(queue) > 1 else queue[0]
        return HttpResponse(status, extra, body)

    policy = RetryPolicy(max_attempts=2, backoff_base=0.01, backoff_cap=0.01, retry_after_cap=0.5, deadline=5.0)
    client, _, _ = make_client(handler, retry=policy, api_version=version)
    run, model = CALLS[call]
    try:
        result = run(client)
    except TrackAndTraceError:
        return
    if isinstance(result, list):
        assert all(isinstance(row, model) for row in result)
    else:
        assert result is None or isinstance(result, model)


PARSERS = [
    lambda d: metrc_wire.parse_receipt(d, NY),
    metrc_wire.parse_patient,
    metrc_wire.parse_item,
    metrc_wire.parse_item_category,
    metrc_wire.parse_unit_of_measure,
    metrc_wire.page_rows,
    metrc_wire.receipts_of_lookup,
]
objects = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=10) | json_values


@given(data=objects, which=st.integers(min_value=0, max_value=len(PARSERS) - 1))
def test_parsers_raise_only_format_errors(data: Any, which: int) -> None:
    with contextlib.suppress(ResponseFormatError):
        PARSERS[which](data)


@given(body=st.binary(max_size=200) | bodies, status=st.integers(min_value=100, max_value=599), write=st.booleans())
def test_map_failure_types_every_answer(body: bytes, status: int, write: bool) -> None:
    error = map_failure("POST" if write else "GET", "/x?licenseNumber=L", status=status, body=body, write=write)
    assert isinstance(error, TrackAndTraceError)
    assert "licenseNumber" not in str(error)
