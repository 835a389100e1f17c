"""The outbox's own serialisation of the neutral :class:`~fe_compliance.tracktrace.Sale`: canonical JSON.

Why our own and not pickle or an adapter's wire format: the database must stay readable by later versions of the
library and by people auditing it (``sqlite3 outbox.db 'select payload from items'``), and must not depend on
which system the sale is later pushed to. The text is canonical (sorted keys, no spaces, amounts as decimal text,
times as ISO 8601 with their offset), so two enqueues of the same sale give the same bytes: that is how the outbox
tells "the same sale again" (one item) from "another sale with the same receipt number" (an error).

``format`` is the payload's own version, separate from the database schema version; a reader refuses a format it
does not know rather than guess.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from ..errors import InvalidValueError
from ..tracktrace.models import QuantityType, Sale, SaleLine

__all__ = ["PAYLOAD_FORMAT", "sale_from_json", "sale_to_json"]

PAYLOAD_FORMAT = 1

# One encoder for every call: json.dumps with non-default options builds a new encoder each time.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _line_to_dict(line: SaleLine) -> dict[str, Any]:
    return {
        "package_label": line.package_label,
        "quantity": line.quantity,
        "unit_of_measure": line.unit_of_measure,
        "amount": str(line.amount),
        "quantity_type": line.quantity_type.value if line.quantity_type is not None else None,
    }


def sale_to_json(sale: Sale) -> str:
    """The canonical JSON text of ``sale`` (same sale, same text)."""
    if not isinstance(sale, Sale):
        raise InvalidValueError("sale", sale, "must be a fe_compliance.tracktrace.Sale")
    data = {
        "format": PAYLOAD_FORMAT,
        "external_receipt_number": sale.external_receipt_number,
        "sold_at": sale.sold_at.isoformat(),
        "customer_type": sale.customer_type.value,
        "lines": [_line_to_dict(line) for line in sale.lines],
        "patient_license_number": sale.patient_license_number,
        "caregiver_license_number": sale.caregiver_license_number,
        "identification_method": sale.identification_method,
        "patient_registration_location_id": sale.patient_registration_location_id,
    }
    return _ENCODER.encode(data)


def sale_from_json(text: str) -> Sale:
    """The :class:`Sale` stored as ``text``; a payload of an unknown format is refused, not guessed."""
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidValueError("payload", text, "is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != PAYLOAD_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise InvalidValueError("payload.format", found, f"this version reads sale payload format {PAYLOAD_FORMAT}")
    lines = tuple(
        SaleLine(
            package_label=line["package_label"],
            quantity=line["quantity"],
            unit_of_measure=line["unit_of_measure"],
            amount=Decimal(line["amount"]),
            quantity_type=QuantityType(line["quantity_type"]) if line["quantity_type"] is not None else None,
        )
        for line in data["lines"]
    )
    return Sale(
        external_receipt_number=data["external_receipt_number"],
        sold_at=dt.datetime.fromisoformat(data["sold_at"]),
        customer_type=data["customer_type"],
        lines=lines,
        patient_license_number=data["patient_license_number"],
        caregiver_license_number=data["caregiver_license_number"],
        identification_method=data["identification_method"],
        patient_registration_location_id=data["patient_registration_location_id"],
    )

