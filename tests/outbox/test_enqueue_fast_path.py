"""The enqueue fast path (issue 12): what it returns and what it accepts must be what the slow path gave."""

from __future__ import annotations

from pathlib import Path

import pytest

from fe_compliance.errors import InvalidValueError
from fe_compliance.outbox import ItemKind, ItemState, Outbox

from .helpers import make_sale


def test_a_fresh_post_returns_exactly_the_stored_row(tmp_path: Path) -> None:
    # The fresh item is built from the values inserted, not read back: it must equal the row SQLite holds,
    # with an integer clock too (a REAL column gives the time back as a float).
    with Outbox.open(tmp_path / "o.db", clock=lambda: 1_700_000_000) as box:  # type: ignore[arg-type, return-value]
        item = box.enqueue_sale(make_sale(1), license_number=" LIC-1 ", user_id="u1")
        stored = box.get(item.id)
        assert item == stored
        assert type(item.created_at) is float and type(stored.created_at) is float
        assert item.kind is ItemKind.POST and item.state is ItemState.QUEUED and item.license_number == "LIC-1"
        assert box.enqueue_sale(make_sale(1), license_number="LIC-1", user_id="u1") == stored


def test_a_remembered_license_does_not_let_a_bad_one_through(tmp_path: Path) -> None:
    with Outbox.open(tmp_path / "o.db") as box:
        box.enqueue_sale(make_sale(1), license_number="LIC-1", user_id="u1")
        for bad in ("LIC-\n1", "LIC\x001", " ", "L" * 101, 7):
            with pytest.raises(InvalidValueError, match="license_number"):
                box.enqueue_sale(make_sale(2), license_number=bad, user_id="u1")  # type: ignore[arg-type]
            with pytest.raises(InvalidValueError, match="user_id"):
                box.enqueue_sale(make_sale(2), license_number="LIC-1", user_id=bad)  # type: ignore[arg-type]
        assert box.status().total == 1
