"""The vendor mode: sale lines as a POS vendor stores them, their grams read by :func:`greencheck.extract_grams`.

Each JSON line is ``{"customer", "transaction_id", "line_id", "kind", "sold_at", "category", "metrc_category",
"product", "sale_line"}`` (plus ``customer_type`` without a customers file and ``of_transaction`` for returns and
voids). The vendor's chain gives the line's grams and the :class:`~fe_compliance.greencheck.Basis` they measure;
:data:`BASIS_FIELDS` says which :class:`~fe_compliance.limits.CartLine` amounts that basis feeds. Where a basis could
feed two readings, the table takes the one that is never looser: a weight is the line's net weight *and* its
grams/concentration (so a rule counting grams/concentration counts the whole weight, never less), but never a
flower equivalent (an edible's weight is not its FE), and a usable-cannabis weight is grams/concentration only (it
is no bigger than the net weight, so as a net weight it could count less). A basis without an entry is an input
error naming the line, never counted as zero. Each row keeps the extraction's explanation: every violation from
vendor data carries the traces of its lines (seed ``003_52e340b70ce4c404.txt``: which field gave the grams is what
a retailer needs to answer a flag).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Final

from ..errors import FEComplianceError
from ..greencheck import extract_grams
from ..greencheck.result import Basis
from .errors import AuditInputError
from .report import AuditReport
from .rows import LINE_KINDS, InputFile, SaleRow

__all__ = ["BASIS_FIELDS", "vendor_reader"]

BASIS_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    Basis.THC.value: ("thc_grams",),
    Basis.PRODUCT_WEIGHT.value: ("net_weight_grams", "grams_concentration"),
    Basis.NET_WEIGHT.value: ("net_weight_grams", "grams_concentration"),
    Basis.USABLE_WEIGHT.value: ("grams_concentration",),
    Basis.UNIT_WEIGHT.value: ("net_weight_grams", "grams_concentration"),
    Basis.WEIGHT_SOLD.value: ("net_weight_grams", "grams_concentration"),
    Basis.CUSTOM_WEIGHT.value: ("net_weight_grams", "grams_concentration"),
    Basis.UNIT_MULTIPLIER.value: ("net_weight_grams", "grams_concentration"),
    Basis.FLOWER_EQUIVALENT.value: ("fe_grams",),
}
"""greencheck basis -> the CartLine amounts its grams feed (per unit when the vendor's field is per unit)."""


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def vendor_reader(vendor: str, tier_convention: str | None = None) -> Callable[[InputFile, AuditReport],
                                                                                   Iterator[SaleRow]]:
    """A row reader for :func:`~fe_compliance.audit.run.audit_files` that reads ``vendor``'s JSON lines."""

    def read(source: InputFile, report: AuditReport) -> Iterator[SaleRow]:
        last = -float("inf")
        for lineno, text in enumerate(source._hashed_lines(), start=1):
            if not text.strip():
                continue
            source.rows += 1
            try:
                row = _row(source, lineno, text, vendor, tier_convention)
            except AuditInputError as exc:
                report.error(exc)
                continue
            if row.timestamp < last:
                report.error(AuditInputError(source.name, lineno, "sold_at", row.sold_at.isoformat(),
                                             "is earlier than the row before it; rows must come in sale-time order "
                                             "(or pass --sort)"))
                continue
            last = row.timestamp
            yield row

    return read


def _row(source: InputFile, lineno: int, text: str, vendor: str, tier_convention: str | None) -> SaleRow:
    name = source.name
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise AuditInputError(name, lineno, "row", text.strip(), f"not JSON: {exc}") from exc
    if not isinstance(record, dict):
        raise AuditInputError(name, lineno, "row", record, "expected a JSON object")
    kind = _text(record.get("kind")).lower() or "sale"
    if kind not in LINE_KINDS:
        raise AuditInputError(name, lineno, "kind", kind, "expected sale, return or void")
    flat = {
        "sold_at": _text(record.get("sold_at")),
        "customer_id": _text(record.get("customer")),
        "transaction_id": _text(record.get("transaction_id")),
        "line_id": _text(record.get("line_id")),
        "kind": kind,
        "of_transaction": _text(record.get("of_transaction")),
        "customer_type": _text(record.get("customer_type")),
        "category": _text(record.get("category")),
        "metrc_category": _text(record.get("metrc_category")),
    }
    trace: tuple[str, ...] = ()
    if kind != "void":
        try:
            result = extract_grams(vendor, record.get("product"), record.get("sale_line"),
                                   tier_convention=tier_convention)
        except FEComplianceError as exc:
            raise AuditInputError(name, lineno, exc.field or "sale_line", exc.value, str(exc)) from exc
        fields = BASIS_FIELDS.get(str(result.basis.value))
        if fields is None:
            raise AuditInputError(name, lineno, "basis", result.basis.value,
                                  "this gram basis feeds no purchase-limit amount (see the audit's basis table)")
        if result.per_unit_value is not None:
            amount, quantity = result.per_unit_value, result.quantity if result.quantity is not None else 1.0
        else:
            amount, quantity = result.grams_value, 1.0
        flat["quantity"] = repr(float(quantity))
        for field in fields:
            flat[field] = repr(float(amount))
        trace = (f"line {flat['line_id']!r} ({vendor}): {result.grams_value:.6g} g as {result.basis.value} -> "
                 f"{', '.join(fields)}", *result.explanation())
    row = source.parse(lineno, flat)
    row.trace = trace
    return row
