"""``fe-compliance outbox``: look at, push, retry and resolve the Batch-mode outbox.

::

    fe-compliance outbox status  --db FILE [--json]
    fe-compliance outbox push    --db FILE [--every 15m] [--config FILE] [--batch-size 10]
    fe-compliance outbox retry   ID --db FILE [--json]
    fe-compliance outbox resolve ID --db FILE [--note TEXT] [--json]

Exit codes: 0 every item done (nothing failed, nothing parked), 1 some items failed (or their outcome is unknown)
and stay queued, 2 usage or configuration error. ``push --every 15m`` pushes, sleeps, and pushes again until
SIGTERM or SIGINT, and stops between items (never between sending a receipt and recording what happened).

Target and keys come from the environment or a mode-0600 config file, never from flags (see
:mod:`fe_compliance.outbox.config`). ``--json`` for ``status`` prints one object::

    {"db": "...", "counts": {"total", "queued", "done", "dead", "resolved", "failed", "outcome_unknown",
     "leased"}, "all_done": bool, "needs_attention": [<item>, ...]}

where an item is ``OutboxItem.to_dict()`` (id, kind, license_number, external_receipt_number, user_id, state,
receipt_id, attempts, failed, outcome_unknown, last_error, last_error_type, lease_owner, lease_until,
resolution, note, created_at, updated_at, finished_at).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import signal
import threading
import time
from types import FrameType
from typing import Any, TextIO

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

_EVERY = re.compile(r"\A(\d+(?:\.\d+)?)([smh])\Z")


def parse_every(text: str) -> float:
    """``"15m"`` -> 900.0 seconds; ``s``, ``m`` or ``h``, at least one second."""
    from ..errors import InvalidValueError

    match = _EVERY.match(text.strip().lower())
    if not match:
        raise InvalidValueError("--every", text, "must be a number with s, m or h, e.g. 15m")
    seconds = float(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2)]
    if not 1 <= seconds <= 7 * 86400:
        raise InvalidValueError("--every", text, "must be from 1 s to 7 days")
    return seconds


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "outbox",
        help="status, push, retry or resolve the Batch-mode outbox of receipts",
        description="The durable Batch-mode outbox: see what is queued, push it, retry or resolve an item.",
        epilog="Exit codes: 0 all done, 1 some items failed and stay queued, 2 usage or configuration error. "
        "Keys come from FE_METRC_* environment variables or a mode-0600 --config file, never from flags.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--db", required=True, metavar="FILE", help="the outbox's SQLite file")
        sub.set_defaults(handler=_handle)

    status = actions.add_parser("status", help="counts by state and the items that need attention")
    common(status)
    status.add_argument("--json", action="store_true", help="one JSON object (shape in docs/cli.md)")

    push = actions.add_parser("push", help="push every pushable item (failed ones are retried)")
    common(push)
    push.add_argument("--every", metavar="INTERVAL", help="push again every INTERVAL (e.g. 15m) until SIGTERM/SIGINT")
    push.add_argument("--config", metavar="FILE", help="TOML file with target and keys; must be mode 0600")
    push.add_argument("--batch-size", type=int, default=10, help="receipts per request (default 10)")
    push.add_argument("--lease", type=float, default=300.0, metavar="SECONDS",
                      help="how long a claimed item is reserved for this pusher (default 300)")
    push.add_argument("--json", action="store_true", help="print each push's report as one JSON line")

    retry = actions.add_parser("retry", help="queue a failed or parked item again now")
    common(retry)
    retry.add_argument("item_id", type=int, metavar="ID")
    retry.add_argument("--json", action="store_true", help="print {\"item\": ...} as JSON")

    resolve = actions.add_parser("resolve", help="close an item by hand (kept for the audit trail)")
    common(resolve)
    resolve.add_argument("item_id", type=int, metavar="ID")
    resolve.add_argument("--note", default="resolved by an operator", help="why (kept with the item)")
    resolve.add_argument("--json", action="store_true", help="print {\"item\": ...} as JSON")


def _handle(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..outbox import Outbox

    with Outbox.open(args.db, create=args.action == "push" and bool(args.every)) as box:
        if args.action == "status":
            return _status(box, args, out)
        if args.action in ("retry", "resolve"):
            item = box.retry(args.item_id) if args.action == "retry" else box.resolve(args.item_id, args.note)
            if args.json:
                print(json.dumps({"item": item.to_dict()}, sort_keys=True), file=out)
            elif args.action == "retry":
                print(f"item {item.id} ({item.kind.value} {item.external_receipt_number}) queued again", file=out)
            else:
                print(f"item {item.id} ({item.kind.value} {item.external_receipt_number}) resolved: {item.note}",
                      file=out)
            return EXIT_OK
        return _push(box, args, out, err)


def _needs_attention_code(box: Any) -> int:
    status = box.status()
    return EXIT_FAILED if (status.failed or status.outcome_unknown or status.dead) else EXIT_OK


def _status(box: Any, args: argparse.Namespace, out: TextIO) -> int:
    status = box.status()
    attention = list(box.items(failed_only=True))
    attention = [item for item in attention if item.state.value in ("queued", "dead")]
    if args.json:
        print(json.dumps({"db": box.path, "counts": status.to_dict(), "all_done": status.all_done,
                          "needs_attention": [item.to_dict() for item in attention]}, sort_keys=True), file=out)
    else:
        print(f"{box.path}: {status.total} items: {status.queued} queued ({status.failed} failed, "
              f"{status.outcome_unknown} outcome unknown, {status.leased} being pushed), {status.done} done, "
              f"{status.dead} parked, {status.resolved} resolved", file=out)
        for item in attention:
            flag = "outcome unknown" if item.outcome_unknown else ("parked" if item.state.value == "dead" else "failed")
            print(f"  item {item.id}: {item.kind.value} {item.external_receipt_number} (license "
                  f"{item.license_number}, user {item.user_id}), {flag} after {item.attempts} attempt(s): "
                  f"{item.last_error}", file=out)
    return _needs_attention_code(box)


class _StopFlag:
    """Set by SIGTERM/SIGINT; the pusher checks it between items."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self) -> bool:
        return self.event.is_set()

    def handler(self, signum: int, frame: FrameType | None) -> None:
        self.event.set()


def _push(box: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..outbox import Pusher
    from ..outbox.config import load_push_config
    from ..outbox.metrc import metrc_client_factory

    every = parse_every(args.every) if args.every else None
    config = load_push_config(config_path=args.config)
    factory = metrc_client_factory(config)
    stop = _StopFlag()
    previous = {sig: signal.signal(sig, stop.handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("fe_compliance.outbox")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        while True:
            pusher = Pusher(
                box, factory, config.user_key, batch_size=args.batch_size, lease_seconds=args.lease,
                request_budget=min(args.lease / 2, config.timeout_seconds * 4),
            )
            report = pusher.push(stop=stop)
            status = box.status()
            if args.json:
                print(json.dumps({"report": report.to_dict(), "counts": status.to_dict()}, sort_keys=True), file=out)
            else:
                print(f"pushed: {report.posted} posted, {report.found} found already on the system, "
                      f"{report.updated} updated, {report.voided} voided in {report.requests} request(s); "
                      f"{len(set(report.failed_ids))} failed, {len(set(report.unknown_ids))} outcome unknown; "
                      f"{status.queued} still queued", file=out, flush=True)
            if every is None or stop():
                break
            deadline = time.monotonic() + every
            while not stop() and time.monotonic() < deadline:
                stop.event.wait(min(1.0, max(0.0, deadline - time.monotonic())))
            if stop():
                break
        if stop():
            print("stopped by signal between items", file=err)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return _needs_attention_code(box)
