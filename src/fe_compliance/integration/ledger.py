"""The dispensing ledger: every medical dispensing, return and void per patient license, on SQLite.

Massachusetts has no Metrc patient-status endpoint (reference/metrc-api.md, "Patient status"), so the allotment
must be counted locally. The ledger keeps what the MA limit engine needs to count MassCIP grams (per line: the
purchase-limit category, the quantity, grams/concentration per unit and the Metrc category) and nothing about the
patient but the license number (seed 000: no demographics are retrieved). It lives in an SQLite file beside the
outbox, with the outbox's durability: every connection sets ``journal_mode=WAL`` and ``synchronous=FULL``, and
every write is one transaction, so a recorded sale survives a crash or a restart.

:meth:`DispensingLedger.history` gives the engine its history lines (returns as ``RETURN`` lines dated at the
sale, voided sales left out), exactly as :class:`~fe_compliance.limits.ledger.Ledger` does in memory.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..errors import InvalidValueError
from ..limits.errors import LedgerError
from ..limits.lines import CartLine, LineKind, PastLine
from ..limits.timeutil import require_aware
from ..units import mass_to_grams

__all__ = ["DispensingLedger"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dispensing (
    transaction_id TEXT PRIMARY KEY,
    patient_license TEXT NOT NULL,
    sold_at TEXT NOT NULL,
    voided_at TEXT
);
CREATE INDEX IF NOT EXISTS dispensing_patient ON dispensing (patient_license);
CREATE TABLE IF NOT EXISTS dispensing_line (
    transaction_id TEXT NOT NULL REFERENCES dispensing (transaction_id),
    line_id TEXT NOT NULL,
    category TEXT NOT NULL,
    quantity REAL NOT NULL,
    grams_concentration REAL,
    metrc_category TEXT,
    PRIMARY KEY (transaction_id, line_id)
);
CREATE TABLE IF NOT EXISTS dispensing_return (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL REFERENCES dispensing (transaction_id),
    line_id TEXT NOT NULL,
    quantity REAL NOT NULL,
    returned_at TEXT NOT NULL
);
"""


def _text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or any(ord(c) < 32 for c in value):
        raise InvalidValueError(field, value, "must be non-blank text without control characters")
    return value.strip()


class DispensingLedger:
    """Medical dispensings per patient license in an SQLite file (open with :meth:`open`; close when done)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._conn = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> DispensingLedger:
        """Open (creating if needed) the ledger at ``path``; WAL and ``synchronous=FULL`` on this connection."""
        file = Path(path)
        conn = sqlite3.connect(file, isolation_level=None, timeout=5.0)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(_SCHEMA)
        return cls(conn, file)

    def __repr__(self) -> str:
        return f"DispensingLedger(path={str(self.path)!r})"

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> DispensingLedger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def pragma(self, name: str) -> object:
        if name not in ("journal_mode", "synchronous"):
            raise InvalidValueError("name", name, "only journal_mode and synchronous are readable")
        return self._conn.execute(f"PRAGMA {name}").fetchone()[0]

    def _write(self, statements: Iterable[tuple[str, tuple[object, ...]]]) -> None:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                conn.execute(sql, params)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # ------------------------------------------------------------------ writes

    def record_sale(
        self, *, patient_license: str, transaction_id: str, lines: Iterable[CartLine], sold_at: dt.datetime
    ) -> None:
        """Record a dispensing (the lines as the engine counted them). A transaction id is recorded once."""
        patient = _text("patient_license", patient_license)
        tid = _text("transaction_id", transaction_id)
        moment = require_aware(sold_at, field="sold_at")
        items = tuple(lines)
        if not items or not all(isinstance(line, CartLine) for line in items):
            raise InvalidValueError("lines", items, "expected at least one CartLine")
        if len({line.line_id for line in items}) != len(items):
            raise InvalidValueError("lines", tid, "two lines of one sale share an id")
        if self._conn.execute("SELECT 1 FROM dispensing WHERE transaction_id = ?", (tid,)).fetchone():
            raise LedgerError(f"transaction_id: {tid!r} is already recorded", field="transaction_id", value=tid)
        statements: list[tuple[str, tuple[object, ...]]] = [(
            "INSERT INTO dispensing (transaction_id, patient_license, sold_at) VALUES (?, ?, ?)",
            (tid, patient, moment.isoformat()),
        )]
        for line in items:
            grams: float | None = None
            value = line.grams_concentration
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                grams = float(value)  # the engine reads a bare number as grams
            elif value is not None:
                grams = mass_to_grams(value, field="grams_concentration")
            statements.append((
                "INSERT INTO dispensing_line (transaction_id, line_id, category, quantity, grams_concentration, "
                "metrc_category) VALUES (?, ?, ?, ?, ?, ?)",
                (tid, line.line_id, line.category, float(line.quantity), grams, line.metrc_category),
            ))
        self._write(statements)

    def _sale_row(self, transaction_id: str) -> tuple[str, str | None]:
        row = self._conn.execute(
            "SELECT patient_license, voided_at FROM dispensing WHERE transaction_id = ?", (transaction_id,)
        ).fetchone()
        if row is None:
            raise LedgerError(f"transaction_id: no recorded sale {transaction_id!r}", field="transaction_id",
                              value=transaction_id)
        if row[1] is not None:
            raise LedgerError(f"transaction_id: sale {transaction_id!r} is already void", field="transaction_id",
                              value=transaction_id)
        return row[0], row[1]

    def record_return(self, transaction_id: str, line_id: str, quantity: float | None = None, *,
                      at: dt.datetime) -> None:
        """Return ``quantity`` units (default: all not yet returned) of one line; it restores the allotment."""
        tid = _text("transaction_id", transaction_id)
        moment = require_aware(at, field="at")
        self._sale_row(tid)
        row = self._conn.execute(
            "SELECT quantity FROM dispensing_line WHERE transaction_id = ? AND line_id = ?", (tid, line_id)
        ).fetchone()
        if row is None:
            raise LedgerError(f"line_id: transaction {tid!r} has no line {line_id!r}", field="line_id", value=line_id)
        returned = self._conn.execute(
            "SELECT COALESCE(SUM(quantity), 0) FROM dispensing_return WHERE transaction_id = ? AND line_id = ?",
            (tid, line_id),
        ).fetchone()[0]
        left = float(row[0]) - float(returned)
        amount = left if quantity is None else quantity
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount) \
                or amount <= 0:
            raise InvalidValueError("quantity", quantity, "a return must return a positive number of units")
        if amount > left + 1e-9:
            raise LedgerError(f"quantity: only {left:g} unit(s) of line {line_id!r} remain to return",
                              field="quantity", value=quantity)
        self._write([(
            "INSERT INTO dispensing_return (transaction_id, line_id, quantity, returned_at) VALUES (?, ?, ?, ?)",
            (tid, line_id, min(float(amount), left), moment.isoformat()),
        )])

    def void(self, transaction_id: str, *, at: dt.datetime) -> None:
        """Void a recorded sale: it no longer counts anywhere."""
        tid = _text("transaction_id", transaction_id)
        moment = require_aware(at, field="at")
        self._sale_row(tid)
        self._write([("UPDATE dispensing SET voided_at = ? WHERE transaction_id = ?", (moment.isoformat(), tid))])

    # ------------------------------------------------------------------- reads

    def history(self, patient_license: str) -> tuple[PastLine, ...]:
        """The patient's history lines for the limit engine: sales not voided, and a ``RETURN`` per return."""
        patient = _text("patient_license", patient_license)
        rows = self._conn.execute(
            "SELECT d.transaction_id, d.sold_at, l.line_id, l.category, l.quantity, l.grams_concentration, "
            "l.metrc_category, (SELECT COALESCE(SUM(r.quantity), 0) FROM dispensing_return r "
            "WHERE r.transaction_id = l.transaction_id AND r.line_id = l.line_id) "
            "FROM dispensing d JOIN dispensing_line l ON l.transaction_id = d.transaction_id "
            "WHERE d.patient_license = ? AND d.voided_at IS NULL ORDER BY d.sold_at, d.transaction_id, l.line_id",
            (patient,),
        ).fetchall()
        lines: list[PastLine] = []
        for tid, sold_at, line_id, category, quantity, grams, metrc, returned in rows:
            moment = dt.datetime.fromisoformat(sold_at)
            line = CartLine(line_id=line_id, category=category, quantity=quantity, grams_concentration=grams,
                            metrc_category=metrc)
            lines.append(PastLine(line=line, sold_at=moment, transaction_id=tid))
            if returned:
                back = CartLine(line_id=line_id, category=category, quantity=float(returned),
                                grams_concentration=grams, metrc_category=metrc)
                lines.append(PastLine(line=back, sold_at=moment, transaction_id=tid, kind=LineKind.RETURN))
        return tuple(lines)
