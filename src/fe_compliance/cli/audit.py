"""``fe-compliance audit``: replay sales exports against a state's rules and report every violation.

Text summary on standard output by default; ``--json`` prints one object ``{"summary", "violations"}`` instead;
``--csv FILE`` writes the violations as CSV as well. Exit codes: 2 for a usage error, and when any row could not
be read or replayed (after auditing all the others); otherwise 1 when violations were found (0 with
``--exit-zero``), 0 when none. See ``docs/audit.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from ..audit.customers import read_customers
from ..audit.errors import AuditInputError
from ..audit.html import MAX_CHARTS, charts_html, write_html
from ..audit.replay import SaleOutcome
from ..audit.report import AuditReport
from ..audit.run import audit_files, options_record
from ..audit.vendor import vendor_reader
from ..errors import InvalidValueError
from ..greencheck import get_vendor
from ..limits import Customer, LimitEngine, PeriodAnchor
from ..states import pack_for
from ..states.registry import STATES

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "audit",
        help="replay sales exports against a state's purchase limits and report every violation",
        description=(
            "Replay every sale of the exports, customer by customer, through the rules in force on its day, and "
            "report each violation of a confirmed, UNCONFIRMED or advisory limit with the engine's explanation. "
            "Rows must come in sale-time order in each file; several files are merged by sale time."
        ),
        epilog="Exit codes: 0 no violations, 1 violations (0 with --exit-zero), 2 usage error or unreadable rows "
        "(reported with file and line, after auditing the rest). Columns and semantics: docs/audit.md.",
    )
    parser.add_argument("files", metavar="FILE", nargs="+", type=Path,
                        help="sales export: CSV or JSON lines (by extension or --format); .gz read transparently")
    parser.add_argument("--state", required=True, help=f"two-letter state code ({', '.join(sorted(STATES))})")
    parser.add_argument("--format", choices=("csv", "jsonl"), help="input format when the extension does not say")
    parser.add_argument("--customers", metavar="FILE", type=Path,
                        help="customer attributes by id (CSV or JSON lines: customer_type, resident, birth_date, "
                        "caregiver, exemptions, certification_date, allotment_override, override_limit)")
    parser.add_argument("--vendor", metavar="SLUG",
                        help="read the files as a POS vendor's JSON lines ({customer, transaction_id, line_id, kind, "
                        "sold_at, category, metrc_category, product, sale_line}); grams from the vendor's chain, "
                        "mapped by the basis table of docs/audit.md")
    parser.add_argument("--tier-convention", choices=("trade", "avoirdupois"),
                        help="with --vendor: what a weight tier weighs (default trade: an eighth is 3.5 g)")
    parser.add_argument("--sort", action="store_true",
                        help="sort the rows by sale time first instead of requiring them in order (holds every row "
                        "in memory)")
    parser.add_argument("--store-tz", metavar="ZONE", help="store time zone (default: the state's)")
    parser.add_argument("--period-anchor", choices=("rolling", "certification_date"), default="rolling",
                        help="anchor of the windows that allow it (MA medical); default rolling")
    parser.add_argument("--enforce-advisory", action="store_true",
                        help="count advisory limits as enforced (their violations are then reported as such)")
    parser.add_argument("--json", action="store_true", help="print one JSON object {summary, violations}")
    parser.add_argument("--csv", metavar="FILE", type=Path, help="also write the violations as CSV to FILE")
    parser.add_argument("--html", metavar="FILE", type=Path,
                        help="also write a self-contained HTML report (sortable, filterable table; usage charts of "
                        "the 200 customers with most violations; reads the inputs a second time for the charts)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when violations were found")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    parser.add_argument("--dask", metavar="SCHEDULER",
                        help="run the replay on a Dask cluster (the dask extra): a scheduler address such as "
                        "tcp://10.0.0.5:8786, or local[:N] for N worker processes here; same reports, no progress "
                        "bar; every worker must see the files (shared or object storage, fsspec URLs)")
    parser.set_defaults(handler=handle)


class _Progress:
    """A one-line progress bar on standard error, drawn only for runs past a second and only on a terminal."""

    def __init__(self, err: TextIO, enabled: bool) -> None:
        self.err = err
        self.enabled = enabled and err.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, rows: int, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        elapsed = now - self.started
        if elapsed < 1.0 or now - self.last < 0.2:
            return
        self.last = now
        rate = rows / elapsed if elapsed else 0.0
        size = f", {done / 1e6:.1f}/{total / 1e6:.1f} MB" if total and done <= total else ""
        share = f" {min(done / total, 1.0):4.0%}" if total and done <= total else ""
        self.err.write(f"\raudit:{share} {rows:,} rows, {rate:,.0f} rows/s{size}   ")
        self.err.flush()
        self.drawn = True

    def done(self) -> None:
        if self.drawn:
            self.err.write("\n")
            self.err.flush()


def _reader(args: argparse.Namespace) -> Any:
    if args.vendor is None:
        if args.tier_convention is not None:
            raise InvalidValueError("tier_convention", args.tier_convention, "applies only with --vendor")
        return None
    get_vendor(args.vendor)  # an unknown slug is a usage error before any row is read
    return vendor_reader(args.vendor, args.tier_convention)


def _write_html(
    args: argparse.Namespace,
    engine: LimitEngine,
    customers: Mapping[str, Customer] | None,
    report: AuditReport,
    summary: dict[str, Any],
    client: Any = None,
) -> None:
    wanted = report.most_flagged(MAX_CHARTS)
    outcomes: list[SaleOutcome] = []
    if wanted:  # a second pass, tracing only the charted customers
        scratch = AuditReport(engine, {})
        try:
            if client is not None:
                from ..audit.dask import audit_files_dask

                audit_files_dask(client, args.files, engine, scratch, fmt=args.format, customers=customers,
                                 sort=args.sort, on_sale=outcomes.append, trace=set(wanted))
            else:
                audit_files(args.files, engine, scratch, fmt=args.format, customers=customers, sort=args.sort,
                            on_sale=outcomes.append, trace=set(wanted), rows=_reader(args))
        finally:
            scratch.close()
    charts = charts_html(outcomes, wanted)
    with args.html.open("w", encoding="utf-8") as page:
        write_html(summary, report.violations(), charts, len(report.flagged), page)


def handle(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    pack = pack_for(args.state)
    engine = LimitEngine(
        pack,
        store_tz=args.store_tz,
        period_anchor=PeriodAnchor(args.period_anchor),
        enforce_advisory=args.enforce_advisory,
    )
    customers = None
    customer_errors: list[AuditInputError] = []
    customers_file = None
    if args.customers is not None:
        customers, customer_errors, customers_file = read_customers(args.customers)
    options = options_record(
        state=pack.state,
        format=args.format,
        customers=args.customers,
        sort=args.sort,
        store_tz=str(engine.zone),
        period_anchor=args.period_anchor,
        enforce_advisory=args.enforce_advisory,
        exit_zero=args.exit_zero,
        vendor=args.vendor,
        tier_convention=args.tier_convention,
    )
    if args.dask is not None:
        options["dask"] = args.dask  # how it ran (the result does not depend on it)
        if args.vendor is not None:
            raise InvalidValueError("dask", args.dask, "the vendor mode (--vendor) runs in one process only")
    with contextlib.ExitStack() as stack:
        client = None
        if args.dask is not None:
            from ..audit.dask import connect  # the optional extra: imported only when asked for

            client = stack.enter_context(connect(args.dask))
        csv_out = None
        if args.csv is not None:
            csv_out = stack.enter_context(args.csv.open("w", encoding="utf-8", newline=""))
        report = AuditReport(engine, options, csv_out)
        stack.callback(report.close)
        report.customers_file = customers_file
        for error in customer_errors:
            report.error(error)
        if client is not None:
            from ..audit.dask import audit_files_dask

            replay = audit_files_dask(client, args.files, engine, report, fmt=args.format, customers=customers,
                                      sort=args.sort)
        else:
            progress = _Progress(err, not args.quiet)
            replay = audit_files(args.files, engine, report, fmt=args.format, customers=customers, sort=args.sort,
                                 progress=progress, rows=_reader(args))
            progress.done()
        summary = report.summary(replay)
        if args.html is not None:
            _write_html(args, engine, customers, report, summary, client)
        if args.json:
            report.write_json(summary, out)
        else:
            report.write_text(summary, out)
        for bad in report.bad_rows:
            print(f"fe-compliance audit: {bad['error']}", file=err)
        if report.bad_row_count > len(report.bad_rows):
            print(f"fe-compliance audit: ... and {report.bad_row_count - len(report.bad_rows)} more bad rows",
                  file=err)
    if report.bad_row_count:
        return EXIT_USAGE
    if report.violation_count and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK

