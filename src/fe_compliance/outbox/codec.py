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
import math
from decimal import Decimal
from typing import Any

from ..errors import InvalidValueError
from ..tracktrace.models import QuantityType, Sale, SaleLine

__all__ = ["PAYLOAD_FORMAT", "sale_from_json", "sale_to_json"]

PAYLOAD_FORMAT = 1

# One encoder for every call: json.dumps with non-default options builds a new encoder each time.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# Writing the canonical text directly (issue 12): building the dicts and sorting their keys per sale cost about
# as much as the SQLite insert. The text is the same bytes the reference form gives, json's own encoder with the
# options above applied to the dicts below (tests/outbox/test_codec_fast.py checks the two against each other):
# keys are written in sorted order, strings through json's own escaper, numbers through json's own float repr.
_string = json.encoder.encode_basestring  # what the encoder uses for str with ensure_ascii=False


def _scalar(value: object) -> str:
    """One JSON value: str and None inline; anything else through the one encoder (same text by definition)."""
    if type(value) is str:
        return _string(value)
    if value is None:
        return "null"
    kind = type(value)
    if kind is float and math.isfinite(value):  # type: ignore[arg-type]
        return float.__repr__(value)
    if kind is int:
        return int.__repr__(value)
    return _ENCODER.encode(value)


def _line_to_json(line: SaleLine) -> str:
    quantity_type = line.quantity_type
    return (
        f'{{"amount":{_string(str(line.amount))},"package_label":{_scalar(line.package_label)},'
        f'"quantity":{_scalar(line.quantity)},'
        f'"quantity_type":{"null" if quantity_type is None else _string(quantity_type.value)},'
        f'"unit_of_measure":{_scalar(line.unit_of_measure)}}}'
    )


def sale_to_json(sale: Sale) -> str:
    """The canonical JSON text of ``sale`` (same sale, same text)."""
    if not isinstance(sale, Sale):
        raise InvalidValueError("sale", sale, "must be a fe_compliance.tracktrace.Sale")
    lines = ",".join([_line_to_json(line) for line in sale.lines])
    return (
        f'{{"caregiver_license_number":{_scalar(sale.caregiver_license_number)},'
        f'"customer_type":{_string(sale.customer_type.value)},'
        f'"external_receipt_number":{_scalar(sale.external_receipt_number)},"format":{PAYLOAD_FORMAT},'
        f'"identification_method":{_scalar(sale.identification_method)},"lines":[{lines}],'
        f'"patient_license_number":{_scalar(sale.patient_license_number)},'
        f'"patient_registration_location_id":{_scalar(sale.patient_registration_location_id)},'
        f'"sold_at":{_string(sale.sold_at.isoformat())}}}'
    )


def _line_to_dict(line: SaleLine) -> dict[str, Any]:
    return {
        "package_label": line.package_label,
        "quantity": line.quantity,
        "unit_of_measure": line.unit_of_measure,
        "amount": str(line.amount),
        "quantity_type": line.quantity_type.value if line.quantity_type is not None else None,
    }


def sale_to_json_reference(sale: Sale) -> str:
    """The canonical text by its definition (dicts through the one sorted-key encoder); :func:`sale_to_json`
    writes the same bytes faster. Kept as the specification the fast form is tested against."""
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

