"""What an audit reports: the summary (with what makes it reproducible), and the violations as text, JSON and CSV.

Violations are written as they are found: to the CSV file directly, and to a temporary JSON-lines file from which
the JSON (and HTML) reports are assembled at the end, so memory holds counters, never the list of violations.
Every report records the library version, the rule periods of the pack in force over the audited dates (with
each limit's code, dates and whether it is confirmed), the options, and each input's SHA-256 and row count.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from typing import IO, Any, Final, TextIO

from .. import __version__
from ..limits import LimitEngine
from ..limits.rules import Limit
from .errors import AuditInputError
from .replay import ADVISORY, CONFIRMED, UNCONFIRMED, Replayer, Violation
from .rows import InputFile

__all__ = ["CSV_COLUMNS", "AuditReport"]

CSV_COLUMNS: Final = (
    "status",
    "code",
    "customer_id",
    "customer_type",
    "transaction_id",
    "sold_at",
    "store_date",
    "line_ids",
    "kind",
    "window",
    "window_start",
    "unit",
    "cap",
    "used",
    "requested",
    "total",
    "over_by",
    "citation",
    "sources",
    "explanation",
)
BAD_ROWS_KEPT: Final = 1000
"""The report lists at most this many bad rows one by one (all are counted)."""


class AuditReport:
    """Collects what a replay finds: violations (streamed to disk), bad rows, and the summary."""

    def __init__(self, engine: LimitEngine, options: dict[str, Any], csv_out: TextIO | None = None) -> None:
        self.engine = engine
        self.options = options
        self.bad_rows: list[dict[str, Any]] = []
        self.bad_row_count = 0
        self.violation_count = 0
        self._spool: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self._csv = csv.writer(csv_out) if csv_out is not None else None
        if self._csv is not None:
            self._csv.writerow(CSV_COLUMNS)
        self.inputs: list[InputFile] = []
        self.flagged: dict[str, tuple[int, set[str]]] = {}
        """customer id -> (violations, limit codes violated): who the HTML report charts."""
        self.customers_file: InputFile | None = None

    def close(self) -> None:
        self._spool.close()

    # ------------------------------------------------------------------------------------------ collecting

    def violation(self, violation: Violation) -> None:
        self.violation_count += 1
        count, codes = self.flagged.get(violation.customer_id, (0, set()))
        codes.add(violation.code)
        self.flagged[violation.customer_id] = (count + 1, codes)
        self._spool.write(json.dumps(violation.to_dict()) + "\n")
        if self._csv is not None:
            record = violation.to_dict()
            record["line_ids"] = ";".join(violation.line_ids)
            record["sources"] = ";".join(violation.sources)
            record["explanation"] = " | ".join(violation.explanation)
            self._csv.writerow([record[c] for c in CSV_COLUMNS])

    def error(self, error: AuditInputError) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < BAD_ROWS_KEPT:
            self.bad_rows.append({"file": error.source, "line": error.line, "error": str(error)})

    def violations(self) -> Iterator[dict[str, Any]]:
        """Every violation found, in the order found (read back from the spool)."""
        spool = self._spool
        spool.flush()
        spool.seek(0)
        for text in spool:
            record: dict[str, Any] = json.loads(text)
            yield record
        spool.seek(0, 2)

    def most_flagged(self, limit: int) -> dict[str, set[str]]:
        """The ``limit`` customers with most violations (ties by id), with the codes each violated."""
        ranked = sorted(self.flagged.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return {customer: codes for customer, (_, codes) in ranked}

    # --------------------------------------------------------------------------------------------- summary

    def _rule_periods(self, first: dt.datetime | None, last: dt.datetime | None) -> list[dict[str, Any]]:
        pack = self.engine.pack
        if first is None or last is None:
            return []
        zone = self.engine.zone
        start, end = first.astimezone(zone).date(), last.astimezone(zone).date()
        periods = []
        for rules in pack._sets:
            if rules.valid_until is not None and rules.valid_until <= start:
                continue
            if rules.valid_from > end:
                continue
            periods.append(
                {
                    "valid_from": rules.valid_from.isoformat(),
                    "valid_until": None if rules.valid_until is None else rules.valid_until.isoformat(),
                    "limits": [
                        {
                            "code": limit.code,
                            "customer_type": str(limit.customer_type),
                            "cap": f"{limit.cap:~P}",
                            "window": limit.window.describe(),
                            "effective": limit.effective.isoformat(),
                            "until": None if limit.until is None else limit.until.isoformat(),
                            "confirmed": limit.confirmed,
                            "enforced": limit.enforced,
                            "citation": limit.citation,
                        }
                        for limit in rules.of_type(Limit)
                    ],
                }
            )
        return periods

    def summary(self, replay: Replayer) -> dict[str, Any]:
        counts = replay.counts
        pack = self.engine.pack
        return {
            "library": {"name": "fe-compliance", "version": __version__},
            "state": pack.state,
            "pack": pack.name,
            "store_time_zone": str(self.engine.zone),
            "rule_periods": self._rule_periods(replay.first, replay.last),
            "options": self.options,
            "inputs": [
                {"file": f.name, "format": f.format, "sha256": f.sha256, "rows": f.rows} for f in self.inputs
            ],
            "customers_file": None
            if self.customers_file is None
            else {"file": self.customers_file.name, "sha256": self.customers_file.sha256,
                  "rows": self.customers_file.rows},
            "first_sale": None if replay.first is None else replay.first.isoformat(),
            "last_sale": None if replay.last is None else replay.last.isoformat(),
            "lines_read": sum(f.rows for f in self.inputs),
            "rows_replayed": counts["rows"],
            "customers": len(replay.customer_ids),
            "sales": counts["sales"],
            "carts": counts["carts"],
            "returns": counts["returns"],
            "voids": counts["voids"],
            "unmatched_returns_and_voids": counts["unmatched"],
            "unmatched": replay.unmatched,
            "carts_in_violation": replay.carts_in_violation,
            "violations": self.violation_count,
            "violations_by_status": dict(replay.violations_by_status),
            "violations_by_limit": dict(sorted(replay.violations_by_code.items())),
            "bad_rows": self.bad_row_count,
            "bad_row_list": self.bad_rows,
            "bad_rows_listed": len(self.bad_rows),
        }

    # --------------------------------------------------------------------------------------------- writing

    def write_json(self, summary: dict[str, Any], out: TextIO) -> None:
        """One JSON object ``{"summary": ..., "violations": [...]}``, streamed from the spool."""
        out.write('{"summary": ' + json.dumps(summary) + ', "violations": [')
        for n, record in enumerate(self.violations()):
            out.write((",\n" if n else "\n") + json.dumps(record))
        out.write("\n]}\n")

    @staticmethod
    def write_text(summary: dict[str, Any], out: TextIO) -> None:
        w = out.write
        w(f"fe-compliance audit: {summary['pack']} ({summary['state']}), fe-compliance "
          f"{summary['library']['version']}\n")
        for item in summary["inputs"]:
            w(f"  input {item['file']}: {item['rows']} rows, sha256 {item['sha256']}\n")
        if summary["customers_file"]:
            c = summary["customers_file"]
            w(f"  customers {c['file']}: {c['rows']} rows, sha256 {c['sha256']}\n")
        w(f"  sales from {summary['first_sale']} to {summary['last_sale']}\n")
        for period in summary["rule_periods"]:
            until = period["valid_until"] or "now"
            w(f"  rules in force {period['valid_from']} to {until}: "
              + ", ".join(f"{lim['code']} {lim['cap']}" + ("" if lim["confirmed"] else " (UNCONFIRMED)")
                          + ("" if lim["enforced"] else " (advisory)") for lim in period["limits"]) + "\n")
        w(f"lines read: {summary['lines_read']}; customers: {summary['customers']}; sales: {summary['sales']} in "
          f"{summary['carts']} carts; returns: {summary['returns']}; voids: {summary['voids']}\n")
        by = summary["violations_by_status"]
        w(f"violations: {summary['violations']} in {summary['carts_in_violation']} carts - "
          f"{by[CONFIRMED]} of confirmed limits, {by[UNCONFIRMED]} of UNCONFIRMED limits, "
          f"{by[ADVISORY]} of advisory limits\n")
        for code, count in summary["violations_by_limit"].items():
            w(f"  {code}: {count}\n")
        if summary["unmatched_returns_and_voids"]:
            w(f"returns and voids that undo no held sale (they give nothing back): "
              f"{summary['unmatched_returns_and_voids']}\n")
            for text in summary["unmatched"][:20]:
                w(f"  {text}\n")
        w(f"bad rows: {summary['bad_rows']}\n")
        for bad in summary["bad_row_list"][:50]:
            w(f"  {bad['error']}\n")
        if summary["bad_rows"] > 50:
            w(f"  ... {summary['bad_rows'] - 50} more (all in --json)\n")
