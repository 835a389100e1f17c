"""Reading a sales export: the documented columns, CSV or JSON lines (gzip or not), several files merged by time.

Each line of an export becomes a :class:`SaleRow`, or an :class:`~fe_compliance.audit.errors.AuditInputError` naming
the file, the line, the column and the value: a bad row is reported and skipped, never counted as zero, and the rest
of the file is still read. Rows must come in sale-time order per file (a row earlier than the one before it is an
input error), unless the caller sorts first.

The columns (see ``docs/audit.md``): ``sold_at`` (ISO 8601 with its UTC offset), ``customer_id``,
``transaction_id``, ``line_id``, ``kind`` (``sale``, ``return``, ``void``; default ``sale``), ``of_transaction``
(the transaction a return returns or a void voids), ``customer_type`` (``medical`` / ``recreational``, unless the
customers file gives it), ``category``, ``metrc_category``, ``quantity`` (default 1), the per-unit amounts
``fe_grams``, ``grams_concentration``, ``net_weight_grams``, ``thc_grams`` (grams, or text with a unit such as
``"350 mg"``), ``volume_ml`` (millilitres, or text such as ``"12 fl oz"``) and ``exempt`` (``true`` / ``false``).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import heapq
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final

from ..errors import FEComplianceError
from ..limits import CartLine
from .errors import AuditInputError

__all__ = [
    "AMOUNT_COLUMNS",
    "COLUMNS",
    "LINE_KINDS",
    "InputFile",
    "SaleRow",
    "detect_format",
    "merge_by_time",
    "open_text",
]

AMOUNT_COLUMNS: Final = ("fe_grams", "grams_concentration", "net_weight_grams", "thc_grams", "volume_ml")
COLUMNS: Final = (
    "sold_at",
    "customer_id",
    "transaction_id",
    "line_id",
    "kind",
    "of_transaction",
    "customer_type",
    "category",
    "metrc_category",
    "quantity",
    *AMOUNT_COLUMNS,
    "exempt",
)
LINE_KINDS: Final = ("sale", "return", "void")
_REQUIRED: Final = ("sold_at", "customer_id", "transaction_id")
_TRUE: Final = frozenset({"true", "yes", "1", "y", "t"})
_FALSE: Final = frozenset({"false", "no", "0", "n", "f", ""})
_LINE_CACHE_LIMIT: Final = 100_000


class SaleRow:
    """One line of an export, read and checked: where it came from, when, whose, and the line itself.

    ``line`` is the validated :class:`~fe_compliance.limits.CartLine` of a sale or return (``None`` for a void);
    lines with the same product data share one object whose ``line_id`` is the first seen: the row's own
    ``line_id`` is kept here (the audit builds the line with it whenever a line is shown or explained).
    """

    __slots__ = (
        "customer_id",
        "customer_type",
        "kind",
        "line",
        "line_id",
        "lineno",
        "of_transaction",
        "sold_at",
        "source",
        "timestamp",
        "trace",
        "transaction_id",
    )

    def __init__(
        self,
        source: str,
        lineno: int,
        sold_at: dt.datetime,
        customer_id: str,
        transaction_id: str,
        line_id: str,
        kind: str,
        of_transaction: str,
        customer_type: str,
        line: CartLine | None,
    ) -> None:
        self.source = source
        self.lineno = lineno
        self.sold_at = sold_at
        self.timestamp = sold_at.timestamp()
        self.customer_id = customer_id
        self.transaction_id = transaction_id
        self.line_id = line_id
        self.kind = kind
        self.of_transaction = of_transaction
        self.customer_type = customer_type
        self.line = line
        self.trace: tuple[str, ...] = ()

    def own_line(self) -> CartLine | None:
        """The row's line under its own ``line_id``."""
        line = self.line
        if line is None or line.line_id == self.line_id:
            return line
        import attrs

        return attrs.evolve(line, line_id=self.line_id)

    def where(self) -> str:
        return f"{self.source}:{self.lineno}"


def open_text(path: Path) -> IO[str]:
    """``path`` opened as UTF-8 text, gunzipped when it starts with gzip's magic bytes (whatever its name)."""
    raw = path.open("rb")
    magic = raw.peek(2)[:2] if isinstance(raw, io.BufferedReader) else b""
    stream: Any = gzip.GzipFile(fileobj=raw) if magic == b"\x1f\x8b" else raw
    return io.TextIOWrapper(stream, encoding="utf-8", newline="")


def detect_format(path: Path, given: str | None) -> str:
    """``csv`` or ``jsonl``: ``given`` when set, else by the name (``.csv``, ``.jsonl``, ``.ndjson``, then ``.gz``)."""
    if given is not None:
        if given not in ("csv", "jsonl"):
            raise AuditInputError(str(path), 0, "format", given, "expected 'csv' or 'jsonl'")
        return given
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] == ".csv":
        return "csv"
    if suffixes and suffixes[-1] in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise AuditInputError(
        str(path), 0, "format", path.name, "cannot tell CSV from JSON lines by the name; pass --format csv|jsonl"
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _LineFactory:
    """Builds validated lines, sharing one object per distinct product data (a store sells the same few hundred
    products all year: validating each once is what keeps a million-line replay fast)."""

    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], CartLine] = {}

    def get(self, key: tuple[str, ...]) -> CartLine | None:
        """The line already built from these raw column texts, if any."""
        return self._cache.get(key)

    def line(self, line_id: str, values: tuple[Any, ...], key: tuple[Any, ...] | None = None) -> CartLine:
        """The line of ``values`` (parsed), built once; remembered under ``values`` and ``key`` (the raw texts)."""
        found = self._cache.get(values)
        if found is not None:
            if key is not None:
                self._cache[key] = found
            return found
        category, metrc, quantity, fe, gc, nw, thc, vol, exempt = values
        line = CartLine(
            line_id=line_id,
            category=category,
            metrc_category=metrc or None,
            quantity=quantity,
            fe_grams=fe,
            grams_concentration=gc,
            net_weight_grams=nw,
            thc_grams=thc,
            volume_ml=vol,
            exempt=exempt,
        )
        if len(self._cache) >= _LINE_CACHE_LIMIT:
            self._cache.clear()
        self._cache[values] = line
        if key is not None:
            self._cache[key] = line
        return line


def _amount(text: str) -> float | str | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text  # a unit-carrying amount ("350 mg"): the line parses it, or names it in its error


class InputFile:
    """One export file: its rows in order, each row's errors reported to ``on_error``; its SHA-256 and row count
    are known once it has been read through."""

    def __init__(
        self,
        path: Path,
        fmt: str | None = None,
        *,
        factory: _LineFactory | None = None,
        required: tuple[str, ...] = _REQUIRED,
    ) -> None:
        self.required = required
        self.path = path
        self.name = str(path)
        self.format = detect_format(path, fmt)
        self.rows = 0
        self.bytes_read = 0
        with path.open("rb") as probe:
            self.compressed = probe.read(2) == b"\x1f\x8b"
        self.size = 0 if self.compressed else path.stat().st_size
        """Bytes of text to read, or 0 when unknown (a gzip file: its text size is not known before reading)."""
        self._sha = hashlib.sha256()
        self._factory = factory or _LineFactory()

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    def _hashed_lines(self) -> Iterator[str]:
        with self.path.open("rb") as raw:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                self._sha.update(chunk)
        with open_text(self.path) as text:
            for line in text:
                self.bytes_read += len(line)
                yield line

    def records(self) -> Iterator[tuple[int, dict[str, str] | AuditInputError]]:
        """(line number, column -> text) per data row, or the error that row raised."""
        if self.format == "csv":
            yield from self._csv_records()
        else:
            yield from self._jsonl_records()

    def _csv_records(self) -> Iterator[tuple[int, dict[str, str] | AuditInputError]]:
        reader = csv.reader(self._hashed_lines())
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip() for h in header]
        missing = [c for c in self.required if c not in names]
        if missing:
            yield 1, AuditInputError(self.name, 1, "header", ",".join(names), f"missing column(s) {missing}")
            return
        width = len(names)
        for values in reader:
            lineno = reader.line_num
            if not values:
                continue
            self.rows += 1
            if len(values) != width:
                yield lineno, AuditInputError(
                    self.name, lineno, "row", values, f"has {len(values)} fields, the header {width}"
                )
                continue
            yield lineno, dict(zip(names, values, strict=True))

    def _jsonl_records(self) -> Iterator[tuple[int, dict[str, str] | AuditInputError]]:
        for lineno, text in enumerate(self._hashed_lines(), start=1):
            if not text.strip():
                continue
            self.rows += 1
            try:
                value = json.loads(text)
            except ValueError as exc:
                yield lineno, AuditInputError(self.name, lineno, "row", text.strip(), f"not JSON: {exc}")
                continue
            if not isinstance(value, dict):
                yield lineno, AuditInputError(self.name, lineno, "row", value, "expected a JSON object")
                continue
            yield lineno, {str(k): _text(v) for k, v in value.items()}

    def sale_rows(self, on_error: Callable[[AuditInputError], None], *, check_order: bool = True) -> Iterator[SaleRow]:
        """The file's rows as :class:`SaleRow`, in order; a bad or out-of-order row goes to ``on_error``."""
        last = -float("inf")
        for lineno, record in self.records():
            if isinstance(record, AuditInputError):
                on_error(record)
                continue
            try:
                row = self.parse(lineno, record)
            except AuditInputError as exc:
                on_error(exc)
                continue
            if check_order and row.timestamp < last:
                on_error(
                    AuditInputError(
                        self.name, lineno, "sold_at", record.get("sold_at"),
                        "is earlier than the row before it; rows must come in sale-time order (or pass --sort)",
                    )
                )
                continue
            last = max(last, row.timestamp)
            yield row

    def parse(self, lineno: int, record: dict[str, str]) -> SaleRow:
        """One record as a :class:`SaleRow`; an :class:`AuditInputError` names the column at fault."""
        get = record.get
        when = (get("sold_at") or "").strip()
        try:
            sold_at = dt.datetime.fromisoformat(when)
        except ValueError as exc:
            raise AuditInputError(
                self.name, lineno, "sold_at", when, "expected an ISO 8601 time with offset" if when else "is required"
            ) from exc
        if sold_at.tzinfo is None or sold_at.utcoffset() is None:
            raise AuditInputError(
                self.name, lineno, "sold_at", when, "has no UTC offset; the store's day cannot be known"
            )
        customer_id = (get("customer_id") or "").strip()
        transaction_id = (get("transaction_id") or "").strip()
        line_id = (get("line_id") or "").strip()
        kind = (get("kind") or "sale").strip().lower()
        if not customer_id or not transaction_id:
            column = "transaction_id" if customer_id else "customer_id"
            raise AuditInputError(self.name, lineno, column, "", "is required")
        if kind not in LINE_KINDS:
            raise AuditInputError(self.name, lineno, "kind", kind, "expected sale, return or void")
        of_transaction = (get("of_transaction") or "").strip()
        if kind != "sale" and not of_transaction:
            raise AuditInputError(
                self.name, lineno, "of_transaction", "", f"a {kind} must name the transaction it undoes"
            )
        line = None
        if kind != "void":
            if not line_id:
                raise AuditInputError(self.name, lineno, "line_id", "", "is required")
            key = (
                get("category") or "",
                get("metrc_category") or "",
                get("quantity") or "",
                get("fe_grams") or "",
                get("grams_concentration") or "",
                get("net_weight_grams") or "",
                get("thc_grams") or "",
                get("volume_ml") or "",
                get("exempt") or "",
            )
            line = self._factory.get(key) or self._line(lineno, line_id, key)
        return SaleRow(
            self.name, lineno, sold_at, customer_id, transaction_id, line_id, kind, of_transaction,
            (get("customer_type") or "").strip(), line,
        )

    def _line(self, lineno: int, line_id: str, key: tuple[str, ...]) -> CartLine:
        """Validate a line not seen before (``key``: its raw column texts) and remember it under ``key``."""
        category, metrc, quantity_text, *amounts, exempt_text = (text.strip() for text in key)
        try:
            quantity: Any = float(quantity_text) if quantity_text else 1.0
        except ValueError:
            quantity = quantity_text
        exempt_text = exempt_text.lower()
        if exempt_text in _TRUE:
            exempt = True
        elif exempt_text in _FALSE:
            exempt = False
        else:
            raise AuditInputError(self.name, lineno, "exempt", exempt_text, "expected true or false")
        values = (category, metrc, quantity, *(_amount(text) for text in amounts), exempt)
        try:
            return self._factory.line(line_id, values, key)
        except FEComplianceError as exc:
            field = exc.field or "line"
            column = field.rsplit(" ", 1)[-1]
            raise AuditInputError(self.name, lineno, column, exc.value, getattr(exc, "reason", str(exc))) from exc


def merge_by_time(streams: Iterable[Iterator[SaleRow]]) -> Iterator[SaleRow]:
    """Rows of several files in one sale-time order (ties: earlier file first, then file order)."""
    keyed = (((row.timestamp, n, row) for row in stream) for n, stream in enumerate(streams))
    for _ts, _n, row in heapq.merge(*keyed, key=lambda item: (item[0], item[1])):
        yield row
