"""The audit on a Dask cluster: the same per-customer replay, with the customers spread over the workers.

Needs the ``dask`` extra (``pip install 'fe-compliance[dask]'``: dask and distributed); importing
:mod:`fe_compliance.audit` never imports it, and calling in here without it raises :class:`MissingDaskError`.

How the work is cut, and why the result cannot depend on the cut:

1. Reading: one task per input file (a gzip stream cannot be split, and a file read whole keeps the per-file
   checks exact: the same :class:`~fe_compliance.audit.rows.InputFile` reader as the single-process audit, the same
   sale-time order check, the same bad rows, the file's SHA-256 and row count). Split a huge export into many files
   for more reading tasks. Paths with a protocol (``s3://``, ``gs://``, ``file://`` ...) are read through fsspec,
   as Dask reads them, so every worker must see the data (shared or object storage).
2. The shuffle: Dask's own shuffle (``Bag.groupby``, task-based) moves every row to the partition of its customer,
   chosen by a CRC-32 of the customer id (stable in every process, unlike ``hash`` of a string).
3. The replay: per partition, the rows are put in the single-process order (sale time, then file, then line) and
   fed through one :class:`~fe_compliance.audit.replay.Replayer`. A customer's decisions depend only on that
   customer's rows (the replayer keeps its state per customer; its other caches are pure), every row of a customer
   lands in one partition, and the order within a customer is the single-process order: so each customer gets the
   very decisions, violations and bad rows of the single-process audit, whatever the partition count.

:func:`audit_dask` returns the lazy collections (:class:`DaskAudit`); :func:`audit_files_dask` is the command's
path: it computes them on a client and fills an :class:`~fe_compliance.audit.report.AuditReport` exactly as
:func:`~fe_compliance.audit.run.audit_files` does. See ``docs/audit.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Final

import attrs

from ..errors import FEComplianceError, InvalidValueError
from ..limits import Customer, LimitEngine
from .errors import AuditInputError
from .replay import ADVISORY, CONFIRMED, UNCONFIRMED, Replayer, SaleOutcome, Violation
from .report import AuditReport
from .rows import InputFile, SaleRow

__all__ = [
    "INSTALL_HINT", "DaskAudit", "MissingDaskError", "audit_dask", "audit_files_dask", "connect", "local_cluster",
]

INSTALL_HINT: Final = "pip install 'fe-compliance[dask]'"

_ROW: Final = 0
_BAD: Final = 1
_FILE: Final = 2
_VIOLATION: Final = 3
_STATS: Final = 4
_SALE: Final = 5

SortKey = tuple[float, int, int, int]
"""(sale time, file index, line number, sequence): the single-process audit's order of rows and findings."""


class MissingDaskError(FEComplianceError, ImportError):
    """The Dask path was asked for without the ``dask`` extra installed.

    An :class:`ImportError` (code that tries an optional import keeps working) and an
    :class:`~fe_compliance.FEComplianceError` (the command reports it as a usage error).
    """

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"the audit on Dask needs {missing}, which is not installed; install the dask extra: {INSTALL_HINT}",
            field="extra",
            value="dask",
        )
        self.name = missing


def _bag_module() -> Any:
    try:
        import dask.bag
    except ImportError as exc:
        raise MissingDaskError("dask") from exc
    return dask.bag


# ------------------------------------------------------------------------------------------------------ reading


@contextlib.contextmanager
def _local_copy(path: str) -> Iterator[Path]:
    """``path`` as a local file: itself, or (a URL with a protocol) a temporary copy fetched through fsspec."""
    if "://" not in path:
        yield Path(path)
        return
    try:
        import fsspec
    except ImportError as exc:  # pragma: no cover - fsspec comes with dask
        raise MissingDaskError("fsspec") from exc
    folder = tempfile.mkdtemp(prefix="fe-compliance-audit-")
    try:
        local = Path(folder) / (PurePosixPath(path.split("://", 1)[1]).name or "export")
        with fsspec.open(path, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        yield local
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_COLLAPSED_URL: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):/+(.*)$")


def _input_name(path: str | os.PathLike[str]) -> str:
    """The name reports give an input: as the single-process audit names it (``str(Path(...))``), URLs as given.

    A URL that went through ``pathlib.Path`` (the command's arguments do) lost the slashes after its scheme
    (``s3:/bucket/key``): when no such local file exists, they are put back."""
    text = os.fspath(path)
    if "://" in text:
        return text
    found = _COLLAPSED_URL.match(text)
    if found is not None and len(found.group(1)) > 1 and not Path(text).exists():
        scheme, rest = found.groups()
        return f"{scheme}:///{rest}" if scheme == "file" else f"{scheme}://{rest}"
    return str(Path(text))


def _read_file(index: int, name: str, fmt: str | None, sort: bool) -> list[tuple[Any, ...]]:
    """One input file read whole: ``(_ROW, customer, key, row)`` per good row, ``(_BAD, key, error)`` per bad row,
    and one ``(_FILE, index, (name, format, sha256, rows))``."""
    out: list[tuple[Any, ...]] = []
    errors: list[AuditInputError] = []
    with _local_copy(name) as local:
        source = InputFile(local, fmt)
        source.name = name
        for row in source.sale_rows(errors.append, check_order=not sort):
            out.append((_ROW, row.customer_id, (row.timestamp, index, row.lineno, 0), row))
        out.extend((_BAD, (0.0, index, error.line, 0), error) for error in errors)
        out.append((_FILE, index, (source.name, source.format, source.sha256, source.rows)))
    return out


def _read_partition(files: Iterable[tuple[int, str]], fmt: str | None, sort: bool) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for index, name in files:
        out.extend(_read_file(index, name, fmt, sort))
    return out


def _bucket(item: tuple[Any, ...], partitions: int) -> int:
    customer_id: str = item[1]
    return zlib.crc32(customer_id.encode("utf-8")) % partitions


# ------------------------------------------------------------------------------------------------------ replay


def _source_key(where: str, indexes: Mapping[str, int]) -> tuple[int, int]:
    name, _, line = where.rpartition(":")
    return indexes.get(name, -1), int(line) if line.isdigit() else 0


class _PartitionReplayer(Replayer):
    """A :class:`Replayer` that also remembers where each unmatched return or void was (to order them on merge)."""

    def __init__(self, *args: Any, indexes: Mapping[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indexes = indexes
        self.unmatched_keys: list[tuple[SortKey, str]] = []

    def _unmatched(self, row: SaleRow, why: str) -> None:
        before = len(self.unmatched)
        super()._unmatched(row, why)
        if len(self.unmatched) > before:
            file_index = self.indexes.get(row.source, -1)
            self.unmatched_keys.append(((row.timestamp, file_index, row.lineno, 0), self.unmatched[-1]))


def _replay_partition(
    groups: Iterable[tuple[int, list[tuple[Any, ...]]]],
    engine: LimitEngine,
    customers: Mapping[str, Customer] | None,
    names: Sequence[str],
    trace: frozenset[str] | None,
) -> list[tuple[Any, ...]]:
    """Replay one partition's customers in the single-process order; findings keyed for a stable merge."""
    items = [item for _bucket_id, group in groups for item in group]
    items.sort(key=lambda item: item[2])
    indexes = {name: n for n, name in enumerate(names)}
    out: list[tuple[Any, ...]] = []
    sequence = iter(range(1 << 62))

    def on_violation(violation: Violation) -> None:
        when = dt.datetime.fromisoformat(violation.sold_at).timestamp()
        out.append((_VIOLATION, (when, *_source_key(violation.sources[0], indexes), next(sequence)), violation))

    def on_error(error: AuditInputError) -> None:
        out.append((_BAD, (0.0, indexes.get(error.source, -1), error.line, next(sequence)), error))

    def on_sale(outcome: SaleOutcome) -> None:
        out.append((_SALE, (outcome.at.timestamp(), 0, 0, next(sequence)), outcome))

    replay = _PartitionReplayer(
        engine, customers=customers, on_violation=on_violation, on_error=on_error,
        on_sale=on_sale if trace is not None else None, trace=None if trace is None else set(trace),
        indexes=indexes,
    )
    for item in items:
        replay.feed(item[3])
    replay.finish()
    out.append((_STATS, _stats(replay)))
    return out


def _stats(replay: _PartitionReplayer) -> dict[str, Any]:
    return {
        "counts": dict(replay.counts),
        "violations_by_code": dict(replay.violations_by_code),
        "violations_by_status": dict(replay.violations_by_status),
        "carts_in_violation": replay.carts_in_violation,
        "unmatched": replay.unmatched_keys,
        "first": replay.first,
        "last": replay.last,
        "customer_ids": replay.customer_ids,
    }


def _tagged(tag: int, item: tuple[Any, ...]) -> bool:
    return bool(item[0] == tag)


def _keyed(item: tuple[Any, ...]) -> tuple[Any, Any]:
    return item[1], item[2]


def _payload(item: tuple[Any, ...]) -> Any:
    return item[2]


def _violation_record(violation: Violation) -> dict[str, Any]:
    return violation.to_dict()


def _bad_row_record(error: AuditInputError) -> dict[str, Any]:
    return {"file": error.source, "line": error.line, "error": str(error)}


# -------------------------------------------------------------------------------------------------- public API


@attrs.frozen(slots=True, kw_only=True)
class DaskAudit:
    """The lazy result of :func:`audit_dask`: Dask bags a user computes or writes out.

    ``violations`` holds :class:`~fe_compliance.audit.replay.Violation` objects and ``bad_rows``
    :class:`~fe_compliance.audit.errors.AuditInputError` objects (``violation_records()`` and ``bad_row_records()``
    give them as plain dicts, e.g. ``audit.violation_records().map(json.dumps).to_textfiles("out/*.jsonl")``).
    Each partition is in the single-process order; across partitions there is no order. The collections share the
    reading and the shuffle: compute them together (``dask.compute(audit.violations, audit.bad_rows)``) to do that
    work once. ``keyed_*`` carry each item's sort key (sale time, file index, line, sequence) for a global order.
    """

    keyed_violations: Any
    keyed_bad_rows: Any
    stats: Any
    files: Any
    keyed_sales: Any
    names: tuple[str, ...]

    @property
    def violations(self) -> Any:
        return self.keyed_violations.map(_second)

    @property
    def bad_rows(self) -> Any:
        return self.keyed_bad_rows.map(_second)

    def violation_records(self) -> Any:
        return self.violations.map(_violation_record)

    def bad_row_records(self) -> Any:
        return self.bad_rows.map(_bad_row_record)


def _second(pair: tuple[Any, Any]) -> Any:
    return pair[1]


def audit_dask(
    paths: Sequence[str | os.PathLike[str]],
    engine: LimitEngine,
    *,
    fmt: str | None = None,
    customers: Mapping[str, Customer] | None = None,
    sort: bool = False,
    partitions: int | None = None,
    trace: Iterable[str] | None = None,
) -> DaskAudit:
    """The audit of ``paths`` as Dask collections (nothing runs until they are computed).

    ``engine``, ``fmt``, ``customers`` and ``sort`` mean what they mean for
    :func:`~fe_compliance.audit.run.audit_files`; ``customers`` (the customers file, read once by the caller) is
    sent once to the cluster and joined to the rows by customer id in each partition. ``partitions`` is the number
    of customer partitions after the shuffle (default: the number of files, at least 2); it changes how the work is
    spread, never the result. ``trace``: customer ids whose every cart's figures are kept (``keyed_sales``; the HTML
    report's charts).
    """
    bag = _bag_module()
    import dask

    if not paths:
        raise InvalidValueError("paths", list(paths), "at least one input file is needed")
    if not isinstance(engine, LimitEngine):
        raise InvalidValueError("engine", engine, "expected a LimitEngine")
    names = tuple(_input_name(p) for p in paths)
    count = partitions if partitions is not None else max(2, len(names))
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise InvalidValueError("partitions", partitions, "expected a whole number of at least 1")
    read = bag.from_sequence(list(enumerate(names)), npartitions=len(names)).map_partitions(
        _read_partition, fmt, sort
    )
    rows = read.filter(functools.partial(_tagged, _ROW))
    shuffled = rows.groupby(functools.partial(_bucket, partitions=count), npartitions=count, shuffle="tasks")
    engine_d = dask.delayed(engine, traverse=False)
    customers_d = dask.delayed(customers, traverse=False)
    traced = None if trace is None else frozenset(trace)
    replayed = shuffled.map_partitions(_replay_partition, engine_d, customers_d, names, traced)
    bad = bag.concat([
        read.filter(functools.partial(_tagged, _BAD)).map(_keyed),
        replayed.filter(functools.partial(_tagged, _BAD)).map(_keyed),
    ])
    return DaskAudit(
        keyed_violations=replayed.filter(functools.partial(_tagged, _VIOLATION)).map(_keyed),
        keyed_bad_rows=bad,
        stats=replayed.filter(functools.partial(_tagged, _STATS)).map(_second),
        files=read.filter(functools.partial(_tagged, _FILE)).map(_keyed),
        keyed_sales=replayed.filter(functools.partial(_tagged, _SALE)).map(_keyed),
        names=names,
    )


# ----------------------------------------------------------------------------------------------- the command


class _InputFacts(InputFile):
    """What the report says of an input read on a worker: its name, format, SHA-256 and row count."""

    def __init__(self, name: str, fmt: str, sha256: str, rows: int) -> None:  # no super(): nothing to open here
        self.name = name
        self.path = Path(name)
        self.format = fmt
        self.rows = rows
        self.bytes_read = 0
        self.compressed = False
        self.size = 0
        self._digest = sha256

    @property
    def sha256(self) -> str:
        return self._digest


def _merge_stats(replay: Replayer, parts: Iterable[dict[str, Any]]) -> None:
    unmatched: list[tuple[SortKey, str]] = []
    for part in parts:
        for key, value in part["counts"].items():
            replay.counts[key] = replay.counts.get(key, 0) + value
        for code, value in part["violations_by_code"].items():
            replay.violations_by_code[code] = replay.violations_by_code.get(code, 0) + value
        for status, value in part["violations_by_status"].items():
            replay.violations_by_status[status] = replay.violations_by_status.get(status, 0) + value
        replay.carts_in_violation += part["carts_in_violation"]
        unmatched.extend(part["unmatched"])
        replay.customer_ids |= part["customer_ids"]
        first, last = part["first"], part["last"]
        if first is not None and (replay.first is None or first.timestamp() < replay.first.timestamp()):
            replay.first = first
        if last is not None and (replay.last is None or last.timestamp() > replay.last.timestamp()):
            replay.last = last
    unmatched.sort(key=lambda pair: pair[0])
    replay.unmatched = [text for _key, text in unmatched[:1000]]
    for status in (CONFIRMED, UNCONFIRMED, ADVISORY):
        replay.violations_by_status.setdefault(status, 0)


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A ``distributed.LocalCluster`` of ``workers`` single-threaded worker processes, every socket on 127.0.0.1
    (random ports) and no dashboard (the scheduler's HTTP routes bind to loopback too)."""
    _bag_module()
    try:
        import distributed
    except ImportError as exc:
        raise MissingDaskError("distributed") from exc
    with distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        yield cluster


@contextlib.contextmanager
def connect(address: str) -> Iterator[Any]:
    """A distributed client for ``address``: a scheduler address (``tcp://host:8786``), or ``local`` / ``local:N``
    for a cluster of N worker processes on this machine (default: one per core), bound to 127.0.0.1 with no
    dashboard."""
    _bag_module()
    try:
        import distributed
    except ImportError as exc:
        raise MissingDaskError("distributed") from exc
    text = address.strip()
    if text == "local" or text.startswith("local:"):
        count_text = text.partition(":")[2]
        if count_text and not (count_text.isdigit() and int(count_text) >= 1):
            raise InvalidValueError("dask", address, "expected local, local:N with N >= 1, or a scheduler address")
        workers = int(count_text) if count_text else (os.cpu_count() or 1)
        with local_cluster(workers) as cluster, distributed.Client(cluster) as client:
            yield client
        return
    if not text:
        raise InvalidValueError("dask", address, "expected local, local:N or a scheduler address")
    with distributed.Client(text) as client:
        yield client


def audit_files_dask(
    client: Any,
    paths: Sequence[str | os.PathLike[str]],
    engine: LimitEngine,
    report: AuditReport,
    *,
    fmt: str | None = None,
    customers: Mapping[str, Customer] | None = None,
    sort: bool = False,
    partitions: int | None = None,
    on_sale: Any = None,
    trace: set[str] | None = None,
) -> Replayer:
    """:func:`~fe_compliance.audit.run.audit_files` on ``client``'s cluster: fills ``report`` with the same inputs,
    violations and bad rows, and returns a :class:`Replayer` holding the merged counters (for the summary).

    Violations and bad rows reach ``report`` in the single-process order (sale time, file, line), so the reports
    are the same; they are gathered on this machine first (the violations, not the lines). ``on_sale`` receives
    the traced customers' carts in time order.
    """
    audit = audit_dask(paths, engine, fmt=fmt, customers=customers, sort=sort, partitions=partitions,
                       trace=trace if on_sale is not None else None)
    wanted = [audit.keyed_violations, audit.keyed_bad_rows, audit.stats, audit.files]
    if on_sale is not None:
        wanted.append(audit.keyed_sales)
    futures = client.compute(wanted)
    results = client.gather(futures)
    violations, bad_rows, stats, files = results[:4]
    files_by_index = dict(files)
    report.inputs = [_InputFacts(*files_by_index[n]) for n in range(len(audit.names))]
    for _key, error in sorted(bad_rows, key=lambda pair: pair[0][1:]):
        report.error(error)
    for _key, violation in sorted(violations, key=lambda pair: pair[0]):
        report.violation(violation)
    replay = Replayer(engine, customers=customers, on_violation=report.violation, on_error=report.error)
    _merge_stats(replay, stats)
    if on_sale is not None:
        for _key, outcome in sorted(results[4], key=lambda pair: pair[0]):
            on_sale(outcome)
    return replay
