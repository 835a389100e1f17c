"""BioTrack's legacy JSON API on the wire: the sale fields, the nonce, the answer and its error codes. Pure: no I/O.

Every fact here carries its source. ``reference`` is the project's ``reference/metrc-api.md`` ("BioTrack (legacy
JSON API)"); ``cre-adapter`` is openthc/cre-adapter ``lib/BioTrack.php`` (MIT), an integrator's client of the
live API; ``bunk`` is openthc/bunk ``lib/biotrack/main.php`` and ``login.php`` (MIT), the same integrator's mock
of it. The code is our own.

* Every request is one JSON object POSTed to ``serverjson.asp`` with ``"API": "4.0"``, ``"action"``, the session
  id, an optional ``"training": 1`` and a ``"nonce"`` (reference; cre-adapter ``_curl_exec``).
* ``sale_dispense`` takes ``terminal_id``, ``sale_time`` and ``data: [{barcodeid, quantity, price}]``
  (reference); ``sale_time`` is Unix seconds (cre-adapter sends the request time, ``$_SERVER['REQUEST_TIME']``).
  ``sale_void`` takes ``transactionid`` (reference).
* Errors come as HTTP 200 with ``success: 0``, ``error`` and ``errorcode`` (reference). The codes are in
  :data:`ERROR_CODES`.
* A server bug leaks a ``Content-Type: text/plain`` header line into the body (cre-adapter strips it; "a workaround
  for a biotrack bug where headers leak into the response body"): :func:`strip_leaked_header`.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..errors import InvalidValueError
from .errors import ResponseFormatError
from .models import QuantityType, Sale, SaleCustomerType, SaleLine

__all__ = [
    "API_VERSION",
    "ERROR_CODES",
    "ErrorKind",
    "answer_code",
    "answer_message",
    "answer_succeeded",
    "derive_nonce",
    "is_session_expired",
    "parse_answer",
    "sale_to_fields",
    "strip_leaked_header",
]

#: The only API version the legacy endpoint takes (reference; bunk refuses any other with errorcode 17).
API_VERSION = "4.0"

_LEAKED_HEADER = re.compile(rb"\A\s*(?:content-type:\s*text/plain[^\r\n{\[]*\s*)+", re.IGNORECASE)
_BARCODE = re.compile(r"[0-9]{1,32}")
_EACH_UNITS = frozenset({"each", "ea", "unit", "units"})
_GRAM_UNITS = frozenset({"grams", "gram", "g"})
_SESSION_EXPIRED_TEXT = re.compile(r"session.+expired", re.IGNORECASE | re.DOTALL)  # cre-adapter's test


class ErrorKind(enum.Enum):
    """What an ``errorcode`` means for the caller."""

    SESSION = "session"  # log in again and re-send the same request with the same nonce
    DENIED = "denied"  # the user lacks a privilege: AccessDeniedError
    REFUSED = "refused"  # the request was refused, nothing stored: ValidationError


#: Every error code the sources name, and what it means. Codes not listed are "unknown": a write answered with
#: one may or may not have been stored (OutcomeUnknownError), so the caller asks ``nonce_replay``.
ERROR_CODES: Mapping[str, tuple[ErrorKind, str]] = {
    # reference: "errorcode 63 is 'session expired' (log in again, then re-send the same request with the same
    # nonce)". cre-adapter also quotes "#63: You provided an invalid location license number.": a second 63 right
    # after a fresh login is therefore an AuthenticationError, never a loop.
    "63": (ErrorKind.SESSION, "session expired (reference); also an invalid location license (cre-adapter)"),
    # reference: "62 a missing privilege". bunk answers 62 to a request without an "action" (we always send one).
    "62": (ErrorKind.DENIED, "missing privilege (reference)"),
    # cre-adapter quotes {"errorcode": 200, "error": "Only QA Labs may enter results."}: a role refusal.
    "200": (ErrorKind.DENIED, "action not allowed for this license type (cre-adapter)"),
    # reference: "602 is reused for many causes"; cre-adapter quotes "#602: The barcode identifier could not be
    # found under the specified license number or has already been received."
    "602": (ErrorKind.REFUSED, "request refused, many causes (reference, cre-adapter)"),
    # bunk: {"error": "Invalid API Version", "errorcode": 17} when "API" is not "4.0".
    "17": (ErrorKind.REFUSED, "invalid API version (bunk)"),
}


def strip_leaked_header(body: bytes) -> bytes:
    """The body without the ``Content-Type: text/plain`` line(s) a BioTrack bug leaks in front of the JSON.

    Only a leading leak is removed (cre-adapter replaces the text anywhere; inside JSON it would be data).
    """
    match = _LEAKED_HEADER.match(body)
    return body[match.end() :] if match else body


def parse_answer(body: bytes) -> dict[str, Any]:
    """The answer object, after stripping the leaked header. Raises ``ResponseFormatError`` when it is not one."""
    text = strip_leaked_header(body).strip()
    if not text:
        raise ResponseFormatError("empty body where a JSON object was expected")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ResponseFormatError(f"body is not JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise ResponseFormatError(f"answer is a JSON {type(data).__name__}, not an object")
    return data


def answer_succeeded(data: Mapping[str, Any]) -> bool:
    """``success`` as 1/0 (number, text or boolean). Raises ``ResponseFormatError`` for anything else."""
    value = data.get("success")
    if value is True or (isinstance(value, int) and not isinstance(value, bool) and value == 1) or value == "1":
        return True
    if value is False or (isinstance(value, int) and not isinstance(value, bool) and value == 0) or value == "0":
        return False
    raise ResponseFormatError("answer has no 'success' of 1 or 0")


def answer_code(data: Mapping[str, Any]) -> str | None:
    """``errorcode`` as text (it comes as a number or a string), or None."""
    code = data.get("errorcode")
    if isinstance(code, bool) or code is None:
        return None
    if isinstance(code, int):
        return str(code)
    if isinstance(code, str) and code.strip():
        return code.strip()[:20]
    return None


def answer_message(data: Mapping[str, Any]) -> str | None:
    """``error`` as a short text, or None."""
    error = data.get("error")
    if isinstance(error, str) and error.strip():
        text = " ".join(error.split())
        return text if len(text) <= 300 else text[:297] + "..."
    return None


def is_session_expired(data: Mapping[str, Any]) -> bool:
    """errorcode 63, or an error text saying the session expired (reference; cre-adapter tests the text)."""
    if answer_code(data) == "63":
        return True
    message = answer_message(data)
    return message is not None and _SESSION_EXPIRED_TEXT.search(message) is not None


def derive_nonce(license_number: str, action: str, key: str) -> str:
    """The nonce of a write, derived from what identifies it (the external receipt number of a sale, the
    transaction id of a void), so it is known before the request is sent and can be asked about later with
    ``nonce_replay`` by anyone who knows the sale. 40 hex digits, the shape cre-adapter sends (a SHA-1)."""
    text = "\x00".join(("fe-compliance/biotrack/1", license_number, action, key))
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _line_to_wire(index: int, line: SaleLine) -> dict[str, Any]:
    barcode = line.package_label
    if not _BARCODE.fullmatch(barcode):
        raise InvalidValueError(
            f"lines[{index}].package_label", barcode, "a BioTrack barcode id is digits only (16 in every source)"
        )
    unit = (line.unit_of_measure or "").strip().lower()
    counted = line.quantity_type is QuantityType.COUNT or unit in _EACH_UNITS
    if counted:
        if unit and unit not in _EACH_UNITS:
            raise InvalidValueError(
                f"lines[{index}].unit_of_measure", line.unit_of_measure, "a count-based item is sold in Each"
            )
        if line.quantity != int(line.quantity):
            raise InvalidValueError(f"lines[{index}].quantity", line.quantity, "a count of units must be whole")
    elif unit not in _GRAM_UNITS or line.quantity_type not in (None, QuantityType.WEIGHT):
        # sale_dispense has no unit field: the quantity is read in the inventory's own unit, units for packaged
        # goods and grams for bulk (reference: "the sale line carries no weight"). Any other unit would be sent
        # as a bare number BioTrack reads differently, so it is refused, not converted or dropped.
        raise InvalidValueError(
            f"lines[{index}].unit_of_measure",
            line.unit_of_measure,
            "BioTrack's sale line has no unit: only Each (count) or Grams (bulk) can be sent",
        )
    price = line.amount.quantize(Decimal("0.01")) if line.amount == line.amount.quantize(Decimal("0.01")) else None
    if price is None:
        raise InvalidValueError(f"lines[{index}].amount", str(line.amount), "BioTrack prices are in whole cents")
    return {"barcodeid": barcode, "quantity": line.quantity, "price": float(price)}


def sale_to_fields(sale: Sale, terminal_id: str) -> dict[str, Any]:
    """The ``sale_dispense`` fields of a sale, or ``InvalidValueError`` naming what BioTrack has no place for.

    BioTrack's ``sale_dispense`` (reference) has no customer type, no patient or caregiver license, no
    identification method and no registration location: a sale that carries any of them is refused here rather
    than sent without them (a medical sale reported as a plain one would not be charged to the patient). The
    external receipt number is not a field either: it becomes the request's nonce (:func:`derive_nonce`).
    """
    if not isinstance(sale, Sale):
        raise InvalidValueError("sale", type(sale).__name__, "must be a Sale")
    if sale.customer_type is not SaleCustomerType.CONSUMER:
        raise InvalidValueError(
            "customer_type",
            sale.customer_type.value,
            "BioTrack's sale_dispense has no customer type or patient card in this adapter; only Consumer sales",
        )
    for field in (
        "patient_license_number",
        "caregiver_license_number",
        "identification_method",
        "patient_registration_location_id",
    ):
        value = getattr(sale, field)
        if value is not None:
            raise InvalidValueError(field, value, "BioTrack's sale_dispense has no field for it (refused, not dropped)")
    return {
        "terminal_id": terminal_id,
        "sale_time": int(sale.sold_at.timestamp()),
        "data": [_line_to_wire(index, line) for index, line in enumerate(sale.lines)],
    }
