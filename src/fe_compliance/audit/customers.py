"""The customers file: the attributes a state's limits may depend on, keyed by customer id (CSV or JSON lines).

Columns: ``customer_id``, ``customer_type`` (``medical`` / ``recreational``), ``resident``, ``caregiver``
(``true`` / ``false``; empty is unknown), ``birth_date``, ``certification_date`` (``YYYY-MM-DD``), ``exemptions``
(names separated by ``;``, such as ``sales_limit_exemption``), ``allotment_override`` (a mass such as ``"5 oz"``,
a Massachusetts certification's own amount) and ``override_limit`` (the limit code it replaces). An attribute left
empty is unknown, never assumed: a limit that depends on it makes the cart an input error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import FEComplianceError
from ..limits import Customer
from .errors import AuditInputError
from .rows import InputFile

__all__ = ["read_customers"]

_BOOLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _bool(source: str, lineno: int, column: str, text: str) -> bool | None:
    if not text:
        return None
    value = _BOOLS.get(text.lower())
    if value is None:
        raise AuditInputError(source, lineno, column, text, "expected true, false or empty (unknown)")
    return value


def _date(source: str, lineno: int, column: str, text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise AuditInputError(source, lineno, column, text, "expected a date YYYY-MM-DD") from exc


def read_customers(path: Path, fmt: str | None = None) -> tuple[dict[str, Customer], list[AuditInputError], InputFile]:
    """Every readable customer record by id, the errors of the others, and the file (for its SHA-256 and rows)."""
    source = InputFile(path, fmt, required=("customer_id", "customer_type"))
    customers: dict[str, Customer] = {}
    errors: list[AuditInputError] = []
    name = source.name
    for lineno, record in source.records():
        if isinstance(record, AuditInputError):
            errors.append(record)
            continue
        try:
            customer_id = (record.get("customer_id") or "").strip()
            if not customer_id:
                raise AuditInputError(name, lineno, "customer_id", customer_id, "is required")
            if customer_id in customers:
                raise AuditInputError(name, lineno, "customer_id", customer_id, "appears twice in the customers file")
            exemptions = [e for e in (record.get("exemptions") or "").split(";") if e.strip()]
            override = (record.get("allotment_override") or "").strip() or None
            override_limit = (record.get("override_limit") or "").strip() or None
            try:
                customers[customer_id] = Customer(
                    customer_type=(record.get("customer_type") or "").strip(),
                    customer_id=customer_id,
                    resident=_bool(name, lineno, "resident", (record.get("resident") or "").strip()),
                    caregiver=_bool(name, lineno, "caregiver", (record.get("caregiver") or "").strip()),
                    birth_date=_date(name, lineno, "birth_date", (record.get("birth_date") or "").strip()),
                    certification_date=_date(
                        name, lineno, "certification_date", (record.get("certification_date") or "").strip()
                    ),
                    exemptions=exemptions,
                    allotment_override=override,
                    override_limit=override_limit,
                )
            except AuditInputError:
                raise
            except FEComplianceError as exc:
                raise AuditInputError(name, lineno, exc.field or "customer", exc.value, str(exc)) from exc
        except AuditInputError as exc:
            errors.append(exc)
    return customers, errors, source
