"""``fe-compliance outbox push`` against the fake Metrc: exit codes, ``--every`` stopped by SIGTERM, no key shown."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fe_compliance.cli import main
from fe_compliance.outbox import Outbox
from fe_compliance.outbox.config import env_name_for_user
from fe_compliance.testing.fake_metrc import FakeMetrc, MetrcUser

from .helpers import CANARY_KEY, make_sale
from .metrc_setup import LICENSE, USER_ID, ZONE, enqueue


@pytest.fixture
def fake() -> Iterator[FakeMetrc]:
    with FakeMetrc(users=[MetrcUser("user-1", CANARY_KEY, {LICENSE})]) as server:
        yield server


def env_for(fake: FakeMetrc) -> dict[str, str]:
    return {
        "FE_METRC_VENDOR_KEY": fake.vendor_key, "FE_METRC_LICENSE": LICENSE, "FE_METRC_BASE_URL": fake.url,
        "FE_METRC_FACILITY_ZONE": ZONE, env_name_for_user(USER_ID): CANARY_KEY,
    }


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_push_exit_zero_when_all_done_and_one_when_an_item_stays_queued(
    tmp_path: Path, fake: FakeMetrc, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env_for(fake).items():
        monkeypatch.setenv(name, value)
    db = tmp_path / "o.db"
    numbers = enqueue(db, 12)
    code, out, err = run("outbox", "push", "--db", str(db))
    assert code == 0, err
    assert "12 posted" in out and all(fake.stored_count(n) == 1 for n in numbers)
    with Outbox.open(db) as box:
        box.enqueue_sale(make_sale("NO-KEY"), license_number=LICENSE, user_id="cashier-without-key")
    code, out, err = run("outbox", "push", "--db", str(db), "--json")
    assert code == 1 and json.loads(out)["report"]["failed_ids"] == [13]
    assert "NoUsableCredentialError" in run("outbox", "status", "--db", str(db), "--json")[1]
    assert "cashier-without-key" in err
    code, out, err = run("outbox", "status", "--db", str(db))
    assert code == 1
    for text in (out, err):
        assert CANARY_KEY not in text


def test_push_refuses_missing_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("FE_METRC_") or name == "FE_OUTBOX_CONFIG":
            monkeypatch.delenv(name)
    enqueue(tmp_path / "o.db", 1)
    code, _, err = run("outbox", "push", "--db", str(tmp_path / "o.db"))
    assert code == 2 and "FE_METRC_VENDOR_KEY" in err


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_push_every_runs_until_a_signal_and_stops_cleanly(
    tmp_path: Path, fake: FakeMetrc, stop_signal: signal.Signals
) -> None:
    db = tmp_path / "o.db"
    numbers = enqueue(db, 5)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, **env_for(fake), "PYTHONPATH": str(root / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "fe_compliance", "outbox", "push", "--db", str(db), "--every", "1s"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "5 posted" in first
        # More work arrives while it sleeps; the next round pushes it.
        numbers += enqueue(db, 3, start=100)
        second = process.stdout.readline()
        assert "3 posted" in second
        process.send_signal(stop_signal)
        rest, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "stopped by signal" in err
    assert all(fake.stored_count(n) == 1 for n in numbers)
    assert CANARY_KEY not in first + second + rest + err
