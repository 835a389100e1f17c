"""One audit end to end: read the exports (merged by time, or sorted), replay them, and fill an :class:`AuditReport`.

``progress`` (optional) is called every few thousand rows with (rows so far, bytes read so far, total bytes); the
command line draws its progress bar from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..limits import Customer, LimitEngine
from .replay import Replayer, SaleOutcome
from .report import AuditReport
from .rows import InputFile, SaleRow, _LineFactory, merge_by_time

__all__ = ["audit_files"]

ProgressFn = Callable[[int, int, int], None]


def _sorted_rows(files: Sequence[InputFile], report: AuditReport) -> Iterator[SaleRow]:
    rows = [row for f in files for row in f.sale_rows(report.error, check_order=False)]
    rows.sort(key=lambda row: row.timestamp)  # stable: equal times keep file and line order
    return iter(rows)


def audit_files(
    paths: Sequence[Path],
    engine: LimitEngine,
    report: AuditReport,
    *,
    fmt: str | None = None,
    customers: Mapping[str, Customer] | None = None,
    sort: bool = False,
    progress: ProgressFn | None = None,
    rows: Callable[[InputFile, AuditReport], Iterator[SaleRow]] | None = None,
    on_sale: Callable[[SaleOutcome], None] | None = None,
    trace: set[str] | None = None,
) -> Replayer:
    """Replay ``paths`` through ``engine`` into ``report``; returns the replayer (its counters feed the summary).

    ``rows`` replaces the reading of one file (the vendor mode reads its own format); ``on_sale`` and ``trace``
    are passed to the :class:`Replayer` (the HTML report's second pass traces the charted customers).
    """
    factory = _LineFactory()
    files = [InputFile(Path(p), fmt if rows is None else (fmt or "jsonl"), factory=factory) for p in paths]
    report.inputs = files
    replay = Replayer(
        engine, customers=customers, on_violation=report.violation, on_error=report.error, on_sale=on_sale,
        trace=trace,
    )

    def read(f: InputFile) -> Iterator[SaleRow]:
        if rows is not None:
            return rows(f, report)
        return f.sale_rows(report.error)

    stream: Iterator[SaleRow]
    if sort:
        stream = _sorted_rows(files, report) if rows is None else iter(
            sorted((r for f in files for r in read(f)), key=lambda r: r.timestamp)
        )
    elif len(files) == 1:
        stream = read(files[0])
    else:
        stream = merge_by_time([read(f) for f in files])
    total = 0 if any(f.compressed for f in files) else sum(f.size for f in files)  # 0: not known
    feed = replay.feed
    if progress is None:
        for row in stream:
            feed(row)
    else:
        count = 0
        for row in stream:
            feed(row)
            count += 1
            if count & 4095 == 0:
                progress(count, sum(f.bytes_read for f in files), total)
        progress(count, sum(f.bytes_read for f in files), total)
    replay.finish()
    return replay


def options_record(**options: Any) -> dict[str, Any]:
    """The options as the report records them (paths as text)."""
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in options.items()}
