"""A pusher process for the crash tests, forked on demand from a "zygote" that imported everything once.

Run as ``python tests/outbox/push_child.py``; it reads JSON commands on standard input, one per line:

- ``{"spawn": {...job...}}`` forks a child that pushes the outbox described by the job, and answers
  ``{"pid": N}`` at once;
- ``{"wait": N}`` waits for child N and answers ``{"pid": N, "signal": S, "code": C}``.

Why a zygote: a fresh interpreter costs about half a second of imports; forking one that has them (and runs no
threads, so forking is safe) makes a child in milliseconds, which keeps dozens of kills in the normal suite cheap.

A job: ``db``, ``base_url``, ``vendor_key``, ``user_key``, ``zone``, ``license``, ``user_id``, ``lease``,
``budget``, ``deadline`` (seconds to keep pushing until all done), ``report`` (a file for the child's summary),
and the kill point: ``kill_at`` (a checkpoint name of ``fe_compliance.outbox.CHECKPOINTS``) with ``kill_nth``
(the how-many-th time that checkpoint is reached). At that moment the child sends itself SIGKILL: no cleanup, no
rollback, no flushing, like a power switch for the process.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from typing import Any


def run_job(job: dict[str, Any]) -> int:
    from fe_compliance.outbox import Outbox, Pusher, keys_from_mapping
    from fe_compliance.outbox.config import load_push_config
    from fe_compliance.outbox.metrc import metrc_client_factory
    from fe_compliance.tracktrace.retry import RetryPolicy
    from fe_compliance.tracktrace.transport import Timeouts

    seen: dict[str, int] = {}
    kill_at = job.get("kill_at")
    kill_nth = int(job.get("kill_nth", 1))

    def checkpoint(name: str) -> None:
        seen[name] = seen.get(name, 0) + 1
        if name == kill_at and seen[name] == kill_nth:
            os.kill(os.getpid(), signal.SIGKILL)

    config = load_push_config({
        "FE_METRC_VENDOR_KEY": job["vendor_key"], "FE_METRC_LICENSE": job["license"],
        "FE_METRC_BASE_URL": job["base_url"], "FE_METRC_FACILITY_ZONE": job["zone"],
    })
    read = float(job.get("read_timeout", 0.15))
    factory = metrc_client_factory(
        config,
        timeouts=Timeouts(connect=read, read=read),
        retry=RetryPolicy(max_attempts=2, backoff_base=0.005, backoff_cap=0.01, retry_after_cap=0.05,
                          deadline=float(job["budget"]) * 0.8),
    )
    totals = {"posted": 0, "found": 0, "requests": 0, "lookups": 0, "pushes": 0}
    stop_at = time.monotonic() + float(job["deadline"])
    with Outbox.open(job["db"], durability=job.get("durability", "full")) as box:
        while True:
            pusher = Pusher(box, factory, keys_from_mapping({job["user_id"]: job["user_key"]}),
                            lease_seconds=float(job["lease"]), request_budget=float(job["budget"]),
                            checkpoint=checkpoint)
            report = pusher.push()
            totals["pushes"] += 1
            for key in ("posted", "found", "requests", "lookups"):
                totals[key] += getattr(report, key)
            status = box.status()
            if status.queued == 0:
                break
            if time.monotonic() > stop_at:
                break
            time.sleep(0.01)
        done = box.status().queued == 0
    if job.get("report"):
        with open(job["report"], "w", encoding="utf-8") as handle:
            json.dump({**totals, "done": done}, handle)
    return 0 if done else 3


def zygote() -> int:
    import fe_compliance.outbox.metrc  # noqa: F401  (import once, before any fork)

    for line in sys.stdin:
        command = json.loads(line)
        if "spawn" in command:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = run_job(command["spawn"])
                except BaseException:
                    traceback.print_exc()
                finally:
                    sys.stderr.flush()
                    os._exit(code)
            print(json.dumps({"pid": pid}), flush=True)
        elif "wait" in command:
            pid, status = os.waitpid(int(command["wait"]), 0)
            signalled = os.WIFSIGNALED(status)
            print(json.dumps({
                "pid": pid, "signal": os.WTERMSIG(status) if signalled else None,
                "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            }), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(zygote())
