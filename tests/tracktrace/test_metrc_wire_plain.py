"""The fast reader of receipt rows (``_plain_receipt``, taken by ``parse_receipt`` for rows as Metrc writes them)
must give exactly what the general, case-insensitive reader gives, or hand the row over to it. The general reader
is reached by adding an unknown key, which it ignores and the fast reader refuses."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance.testing.fake_metrc import FakeMetrc
from fe_compliance.tracktrace.errors import ResponseFormatError
from fe_compliance.tracktrace.metrc_wire import (
    _PLAIN_LINE_KEYS,
    _PLAIN_RECEIPT_KEYS,
    _NotPlainError,
    _plain_receipt,
    parse_receipt,
)

ZONE = ZoneInfo("America/New_York")


def outcome(row: Any) -> str:
    try:
        return repr(parse_receipt(row, ZONE))
    except ResponseFormatError as error:
        return f"error: {error}"


def general(row: dict[str, Any]) -> str:
    return outcome({**row, "NotAMetrcKey": 1})


@pytest.mark.parametrize("names", ["write", "read", "empty"])
def test_the_fakes_rows_take_the_fast_path_and_read_the_same(names: str) -> None:
    with FakeMetrc(transaction_names=names) as fake:  # type: ignore[arg-type]
        fake.seed_receipts(30)
        rows = json.loads(json.dumps(fake.receipts()))
    for row in rows:
        fast = _plain_receipt(row, ZONE)  # does not hand over
        assert repr(fast) == general(row)
        assert fast.sold_at is not None and fast.sold_at.tzinfo is ZONE


def test_rows_outside_the_plain_form_are_handed_over() -> None:
    row = {"Id": 1, "SalesDateTime": "2024-01-02T10:00:00.000", "Transactions": []}
    for odd in ({"id": 1}, {"Id": "7"}, {"Id": True}, {"TotalPrice": 3}, {"IsFinal": "no"},
                {"Transactions": [{"Quantity": 1}]}, {"Transactions": [{"quantity": 1.0}]},
                {"SalesDateTime": "yesterday"}, {"ExternalReceiptNumber": 12}):
        with pytest.raises(_NotPlainError):
            _plain_receipt({**row, **odd}, ZONE)
        assert outcome({**row, **odd}) == general({**row, **odd})


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from(["", "  ", " x ", "2024-01-02T10:00:00.000", "2024-01-02T10:00:00+00:00", "2024-13-40", "12"]),
)
_LINE = st.dictionaries(
    st.sampled_from([*sorted(_PLAIN_LINE_KEYS), "quantity", "Extra"]), _SCALARS, max_size=6,
)
_VALUES = st.one_of(_SCALARS, st.lists(st.one_of(_LINE, _SCALARS), max_size=3))


@given(st.dictionaries(st.sampled_from([*sorted(_PLAIN_RECEIPT_KEYS), "id", "totalprice"]), _VALUES, max_size=12))
def test_fast_and_general_readers_agree_on_any_row(row: dict[str, Any]) -> None:
    assert outcome(row) == general(row)


@given(st.lists(_LINE, max_size=3), st.integers(min_value=0, max_value=10**6))
def test_fast_and_general_readers_agree_on_any_lines(lines: list[dict[str, Any]], receipt_id: int) -> None:
    row = {"Id": receipt_id, "SalesDateTime": "2024-01-02T10:00:00.000", "Transactions": lines}
    assert outcome(row) == general(row)
