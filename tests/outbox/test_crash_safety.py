"""Crash safety: a pushing process killed with SIGKILL at every named point and at random moments, restarted each
time; at the end every receipt is on the fake Metrc exactly once. And two processes pushing one file at once.

The pushing processes are forked from a zygote (``push_child.py``) so that a kill and restart costs milliseconds,
not an interpreter start. The normal run makes a few dozen kills; ``FE_CRASH_LOOPS=long`` makes hundreds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fe_compliance.outbox import CHECKPOINTS, Outbox
from fe_compliance.testing.fake_metrc import FakeMetrc, Fault, MetrcUser

from .helpers import CANARY_KEY
from .metrc_setup import LICENSE, USER_ID, ZONE, enqueue

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash harness forks (POSIX only)")

LONG = os.environ.get("FE_CRASH_LOOPS", "").lower() == "long"
ROUNDS = 15 if LONG else 2  # rounds of (each named point + the pause + random moments)
RANDOM_KILLS_PER_ROUND = 16 if LONG else 6
MIN_KILLS = 200 if LONG else 20
CHILD = Path(__file__).with_name("push_child.py")
LEASE = 0.4
BUDGET = 0.3


class Zygote:
    def __init__(self) -> None:
        root = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": str(root / "src")}
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the zygote died"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def spawn(self, job: dict[str, Any]) -> int:
        return int(self._ask({"spawn": job})["pid"])

    def wait(self, pid: int) -> dict[str, Any]:
        return self._ask({"wait": pid})

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    try:
        yield z
    finally:
        z.close()


@pytest.fixture
def fake() -> Iterator[FakeMetrc]:
    with FakeMetrc(users=[MetrcUser("user-1", CANARY_KEY, {LICENSE})]) as server:
        yield server


def job(fake: FakeMetrc, db: Path, **extra: Any) -> dict[str, Any]:
    return {
        "db": str(db), "base_url": fake.url, "vendor_key": fake.vendor_key, "user_key": CANARY_KEY, "zone": ZONE,
        "license": LICENSE, "user_id": USER_ID, "lease": LEASE, "budget": BUDGET, "deadline": 20.0, **extra,
    }


def test_sigkill_at_every_named_point_and_at_random_moments_loses_and_doubles_nothing(
    tmp_path: Path, fake: FakeMetrc, zygote: Zygote
) -> None:
    rng = random.Random(20261204)
    db = tmp_path / "outbox.db"
    numbers: list[str] = []
    kills: dict[str, int] = {}

    def more(count: int) -> None:
        numbers.extend(enqueue(db, count, start=len(numbers), durability="full"))

    def killed(result: dict[str, Any]) -> bool:
        return result["signal"] == signal.SIGKILL

    for _ in range(ROUNDS):
        # The pusher's own points: it kills itself there.
        for point in CHECKPOINTS:
            more(12)
            result = zygote.wait(zygote.spawn(job(fake, db, kill_at=point, kill_nth=rng.randint(1, 2))))
            if killed(result):
                kills[point] = kills.get(point, 0) + 1
        # After the request was sent, while the fake holds the answer of a receipt it stored.
        more(12)
        pause_fault = Fault.pause_after_store(timeout=5.0)
        fake.faults.script(pause_fault, method="POST")
        pid = zygote.spawn(job(fake, db))
        assert pause_fault.pause is not None
        assert pause_fault.pause.reached.wait(10), "the pusher never posted"
        os.kill(pid, signal.SIGKILL)
        pause_fault.pause.release.set()
        if killed(zygote.wait(pid)):
            kills["paused_after_store"] = kills.get("paused_after_store", 0) + 1
        # Seeded random moments.
        for _ in range(RANDOM_KILLS_PER_ROUND):
            more(8)
            pid = zygote.spawn(job(fake, db))
            time.sleep(rng.uniform(0.0, 0.12))
            os.kill(pid, signal.SIGKILL)
            if killed(zygote.wait(pid)):
                kills["random"] = kills.get("random", 0) + 1
    # Restart once more without a kill: it must finish everything.
    report = tmp_path / "final.json"
    final = zygote.wait(zygote.spawn(job(fake, db, report=str(report))))
    assert final["code"] == 0, final
    print(f"crash-safety kills: {sum(kills.values())} {kills}")
    assert sum(kills.values()) >= MIN_KILLS, kills
    for point in (*CHECKPOINTS, "paused_after_store"):
        assert kills.get(point, 0) >= ROUNDS, (point, kills)
    counts = {number: fake.stored_count(number) for number in numbers}
    assert [n for n, c in counts.items() if c != 1] == [], {n: c for n, c in counts.items() if c != 1}
    with Outbox.open(db) as box:
        status = box.status()
        assert status.done == len(numbers) and status.queued == 0
        # Some receipts had been stored by a process that died before recording it: they were found, not re-posted.
        assert any(item.resolution == "found" for item in box.items())
    assert CANARY_KEY.encode() not in db.read_bytes()


def test_two_processes_pushing_one_database_store_each_receipt_once(
    tmp_path: Path, fake: FakeMetrc, zygote: Zygote
) -> None:
    db = tmp_path / "outbox.db"
    numbers = enqueue(db, 300, durability="full")
    reports = [tmp_path / "a.json", tmp_path / "b.json"]
    pids = [zygote.spawn(job(fake, db, lease=5.0, budget=1.0, report=str(path))) for path in reports]
    results = [zygote.wait(pid) for pid in pids]
    assert all(result["code"] == 0 for result in results), results
    posted = [json.loads(path.read_text())["posted"] for path in reports]
    assert sum(posted) == 300
    assert all(fake.stored_count(number) == 1 for number in numbers)
    with Outbox.open(db) as box:
        assert box.status().done == 300
