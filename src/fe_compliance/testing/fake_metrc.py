"""A fake Metrc API on 127.0.0.1, for integration tests of code that reports sales (ours and our users').

It speaks the wire format of the project's Metrc reference (``metrc-api.md``; field lists from the community
OpenAPI description of Metrc v2): HTTP Basic with the vendor key as user name and the user key as password,
``licenseNumber`` checks, PascalCase JSON, v1 lists as bare lists and v2 lists in the ``Data`` wrapper with
optional paging. State lives in memory: receipts, patients (the Massachusetts fields), items, categories, units
of measure, patient registration locations and customer types.

The fake is strict where Metrc's documentation asks something of a client, so a client bug fails loudly here
instead of in production: a receipt must carry every documented key (``null`` for empty ones) and no unknown key,
``SalesDateTime`` must be facility-local time without an offset, and a page is at most 20 records.
Where Metrc's behaviour is unconfirmed, the fake takes the reading that is hardest on a client: a repeated
``ExternalReceiptNumber`` is stored again (so a test can count duplicates), and a 401 is the answer to a look-up
outside the key's licenses.

Faults are injected through :attr:`FakeMetrc.faults` (see :class:`~fe_compliance.testing._fake_http.Fault`), and
every request is recorded in :attr:`FakeMetrc.requests` with the id of the user key that made it, never the key.

Run it in its own process (for benchmarks) with ``python -m fe_compliance.testing.fake_metrc --port 0``; it prints
its URL on the first line of standard output and serves until standard input closes or it is terminated.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hmac
import json
import logging
import math
import os
import re
import signal
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from urllib.parse import unquote

import attrs

from fe_compliance.errors import InvalidValueError

from ._fake_http import FakeHTTPServer, Fault, FaultKind, FaultPlan, Pause, Request, Response, free_loopback_port

__all__ = [
    "DEFAULT_LICENSE",
    "DEFAULT_USER_KEY",
    "DEFAULT_VENDOR_KEY",
    "FakeMetrc",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "MetrcUser",
    "Pause",
    "RecordedRequest",
    "SpawnedFakeMetrc",
    "free_loopback_port",
    "spawn_fake_metrc",
]

_log = logging.getLogger("fe_compliance.testing.fake_metrc")

DEFAULT_VENDOR_KEY = "fake-vendor-key"
DEFAULT_USER_KEY = "fake-user-key"
DEFAULT_LICENSE = "LIC-0001"
VENDOR_KEY_ENV = "FE_FAKE_METRC_VENDOR_KEY"
USER_KEY_ENV = "FE_FAKE_METRC_USER_KEY"

# metrc-api.md, "Sales receipts": the documented POST body, every key present (null when empty).
RECEIPT_WRITE_KEYS = (
    "SalesDateTime", "ExternalReceiptNumber", "SalesCustomerType", "PatientLicenseNumber", "CaregiverLicenseNumber",
    "IdentificationMethod", "PatientRegistrationLocationId", "Transactions",
)
TRANSACTION_WRITE_KEYS = (
    "PackageLabel", "Quantity", "UnitOfMeasure", "TotalAmount", "UnitThcPercent", "UnitThcContent",
    "UnitThcContentUnitOfMeasure", "UnitWeight", "UnitWeightUnitOfMeasure", "InvoiceNumber", "Price", "ExciseTax",
    "CityTax", "CountyTax", "MunicipalTax", "DiscountAmount", "SubTotal", "SalesTax", "QrCodes",
)
# metrc-api.md, "Read fields" of a receipt, in that order.
RECEIPT_READ_KEYS = (
    "Id", "ReceiptNumber", "ExternalReceiptNumber", "SalesDateTime", "SalesCustomerType", "PatientLicenseNumber",
    "CaregiverLicenseNumber", "IdentificationMethod", "PatientRegistrationLocationId", "TotalPackages", "TotalPrice",
    "Transactions", "IsFinal", "ArchivedDate", "RecordedDateTime", "RecordedByUserName", "LastModified",
)
# metrc-api.md, "Items, categories, units": GET /items/v2/active.
ITEM_KEYS = (
    "Id", "Name", "ProductCategoryName", "ProductCategoryType", "QuantityType", "UnitOfMeasureName", "UnitThcPercent",
    "UnitThcContent", "UnitThcContentUnitOfMeasureName", "UnitWeight", "UnitWeightUnitOfMeasureName", "UnitVolume",
    "UnitVolumeUnitOfMeasureName", "ServingSize", "SupplyDurationDays", "NumberOfDoses",
)
# metrc-api.md lists the first six and "..."; the other two are from the OpenAPI ItemCategory schema.
CATEGORY_KEYS = (
    "Name", "ProductCategoryType", "QuantityType", "RequiresUnitThcContent", "RequiresUnitWeight",
    "RequiresUnitVolume", "RequiresStrain", "RequiresUnitThcPercent",
)
# metrc-api.md, Massachusetts patients (/patients/v1/active etc.); names as in the OpenAPI Patient schema.
PATIENT_KEYS = (
    "PatientId", "LicenseNumber", "RegistrationDate", "LicenseEffectiveStartDate", "LicenseEffectiveEndDate",
    "RecommendedPlants", "RecommendedSmokableQuantity", "HasSalesLimitExemption", "OtherFacilitiesCount",
)
# metrc-api.md: SalesCustomerType in MA.
MA_CUSTOMER_TYPES = ("Consumer", "Patient", "Caregiver", "ExternalPatient")
# metrc-api.md: GET /unitsofmeasure/v1/active.
DEFAULT_UNITS: tuple[dict[str, Any], ...] = (
    {"QuantityType": "CountBased", "Name": "Each", "Abbreviation": "ea"},
    {"QuantityType": "WeightBased", "Name": "Ounces", "Abbreviation": "oz"},
    {"QuantityType": "WeightBased", "Name": "Pounds", "Abbreviation": "lb"},
    {"QuantityType": "WeightBased", "Name": "Grams", "Abbreviation": "g"},
    {"QuantityType": "WeightBased", "Name": "Milligrams", "Abbreviation": "mg"},
    {"QuantityType": "WeightBased", "Name": "Kilograms", "Abbreviation": "kg"},
)
# Sample categories (names and types from metrc-api.md's examples: "Buds", "Infused" is CountBased and requires
# unit THC content and unit weight). Illustrative data, not a state's list.
DEFAULT_CATEGORIES: tuple[dict[str, Any], ...] = (
    {"Name": "Buds", "ProductCategoryType": "Buds", "QuantityType": "WeightBased", "RequiresUnitThcContent": False,
     "RequiresUnitWeight": False, "RequiresUnitVolume": False, "RequiresStrain": True,
     "RequiresUnitThcPercent": False},
    {"Name": "Infused", "ProductCategoryType": "InfusedEdible", "QuantityType": "CountBased",
     "RequiresUnitThcContent": True, "RequiresUnitWeight": True, "RequiresUnitVolume": False,
     "RequiresStrain": False, "RequiresUnitThcPercent": False},
)

_V1_ONLY_BODY = b"The provided API key is only valid for V1 API endpoints."  # metrc-api.md, Metrc transport
_DENIED = b'{"Message":"Authorization has been denied for this request."}'
_MAX_PAGE_SIZE = 20  # metrc-api.md: pageSize at most 20
_SALES_DATETIME = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?\Z")
_QUERY_DATETIME = re.compile(
    r"\A(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?)?(Z|[+-]00:00)?\Z"
)
_NO_LICENSE_AREAS = frozenset({("unitsofmeasure", "active"), ("sales", "customertypes"),
                               ("sales", "patientregistration")})

TransactionNames = Literal["write", "read", "empty"]
LookupShape = Literal["list", "object", "wrapper"]
UnknownExternal = Literal["empty", "404", "401"]


def _frozen(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):  # a lone license number, not its characters
        return frozenset({values})
    return frozenset(values)


@attrs.frozen(slots=True)
class MetrcUser:
    """A Metrc user key the fake accepts: which licenses it may act for and which API versions it may call.

    ``key_id`` is what the request log records (the key itself never is); ``user_key`` is hidden from repr.
    """

    key_id: str
    user_key: str = attrs.field(repr=False)
    licenses: frozenset[str] = attrs.field(converter=_frozen)
    api_versions: frozenset[str] = attrs.field(default=frozenset({"v1", "v2"}), converter=_frozen)
    name: str = "fake.user@example.com"


@attrs.frozen(slots=True)
class RecordedRequest:
    """One request the fake received. ``status`` is ``None`` when the connection was reset instead of answered;
    ``acted`` says whether the request took effect; ``stored_receipt_ids`` lists receipts a POST stored."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: bytes
    user_key_id: str | None
    status: int | None
    fault: FaultKind | None
    acted: bool
    stored_receipt_ids: tuple[int, ...] = ()

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class _MetrcError(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _message(status: int, text: str) -> _MetrcError:
    return _MetrcError(Response(status, _json({"Message": text})))


def _rows(errors: Sequence[tuple[int, str]]) -> _MetrcError:
    return _MetrcError(Response(400, _json([{"row": row, "message": text} for row, text in errors])))


def _ok(body: bytes = b"") -> Response:
    return Response(200, body, "application/json; charset=utf-8" if body else None)


def _stamp(moment: datetime) -> str:
    """Metrc's server timestamps, e.g. ``2016-10-04T20:45:11+00:00``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _local_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


class _Receipt:
    __slots__ = ("archived", "external", "id", "license", "sales_at", "user_id", "wire", "wire_json")

    def __init__(self, receipt_id: int, license_number: str, wire: dict[str, Any], sales_at: datetime,
                 user_id: str | None) -> None:
        self.id = receipt_id
        self.license = license_number
        self.wire = wire
        self.sales_at = sales_at
        self.external: str | None = wire.get("ExternalReceiptNumber")
        self.archived = False
        self.user_id = user_id
        self.wire_json = _json(wire)

    def refresh(self) -> None:
        self.external = self.wire.get("ExternalReceiptNumber")
        self.wire_json = _json(self.wire)


class FakeMetrc:
    """A fake Metrc server on 127.0.0.1. Use as a context manager::

        with FakeMetrc() as fake:
            base_url = fake.url              # http://127.0.0.1:<free port>
            fake.faults.script(Fault.drop_after_store(), method="POST", path="/sales/v2/receipts")
            ...                               # run the code under test against base_url
            assert fake.stored_count("ABC-1234") == 1

    ``vendor_key`` and ``users`` are the credentials it accepts (one user key for ``DEFAULT_LICENSE`` by
    default). ``tls=True`` serves HTTPS with a certificate for 127.0.0.1 from a throw-away CA (needs the
    ``trustme`` package); trust it with :meth:`client_ssl_context` or :attr:`ca_pem`.

    Shapes Metrc's sources disagree on are options, so a client can be tested against each:
    ``external_lookup`` is how ``GET /sales/v2/receipts/external/{n}`` answers (``"list"``, ``"object"`` or the
    ``"wrapper"``), ``unknown_external`` what it answers for a number nobody posted (``"empty"``: an empty list or
    wrapper, 404 for the object shape; ``"404"``; ``"401"``), and ``transaction_names`` which names receipts carry
    their lines under when read (``"write"``: Quantity/UnitOfMeasure/TotalAmount; ``"read"``:
    QuantitySold/UnitOfMeasureName/TotalPrice; ``"empty"``: ``[]`` as in the MA examples).
    """

    def __init__(
        self,
        *,
        vendor_key: str = DEFAULT_VENDOR_KEY,
        users: Iterable[MetrcUser] | None = None,
        port: int = 0,
        tls: bool = False,
        strict: bool = True,
        external_lookup: LookupShape = "list",
        unknown_external: UnknownExternal = "empty",
        transaction_names: TransactionNames = "write",
        customer_types: Sequence[str] = MA_CUSTOMER_TYPES,
        units: Sequence[Mapping[str, Any]] = DEFAULT_UNITS,
        categories: Sequence[Mapping[str, Any]] = DEFAULT_CATEGORIES,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._vendor_key = vendor_key
        chosen = tuple(users) if users is not None else (
            MetrcUser("user-1", DEFAULT_USER_KEY, frozenset({DEFAULT_LICENSE})),
        )
        if not chosen:
            raise InvalidValueError("users", chosen, "the fake needs at least one user key")
        self._users = chosen
        if external_lookup not in ("list", "object", "wrapper"):
            raise InvalidValueError("external_lookup", external_lookup, "one of 'list', 'object', 'wrapper'")
        if unknown_external not in ("empty", "404", "401"):
            raise InvalidValueError("unknown_external", unknown_external, "one of 'empty', '404', '401'")
        if transaction_names not in ("write", "read", "empty"):
            raise InvalidValueError("transaction_names", transaction_names, "one of 'write', 'read', 'empty'")
        self.strict = strict
        self.external_lookup: LookupShape = external_lookup
        self.unknown_external: UnknownExternal = unknown_external
        self.transaction_names: TransactionNames = transaction_names
        self.customer_types = tuple(customer_types)
        self.units = tuple(dict(unit) for unit in units)
        self.categories = tuple({key: category.get(key) for key in CATEGORY_KEYS} for category in categories)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self._receipts: dict[int, _Receipt] = {}
        self._by_license: dict[str, list[_Receipt]] = {}
        self._list_cache: dict[tuple[Any, ...], list[_Receipt]] = {}
        self._next_receipt_id = 1
        self._items: dict[str, dict[int, dict[str, Any]]] = {}
        self._next_item_id = 1
        self._packages: dict[str, int] = {}
        self._patients: dict[str, dict[int, dict[str, Any]]] = {}
        self._next_patient_id = 1
        self._registration_locations: list[dict[str, Any]] = [{"Id": 1, "Name": "Fake Registration Location"}]
        self._log: list[RecordedRequest] = []
        self._local = threading.local()
        self._auth_cache: dict[str, MetrcUser | None] = {}
        self._tls_ca: Any = None
        context = self._make_tls_context() if tls else None
        self._http = FakeHTTPServer(self, port=port, ssl_context=context)

    # ----------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        return self._http.url

    @property
    def port(self) -> int:
        return self._http.port

    @property
    def faults(self) -> FaultPlan:
        """The fault plan: ``fake.faults.script(Fault.server_error(), method="GET")``."""
        return self._http.faults

    @property
    def vendor_key(self) -> str:
        return self._vendor_key

    @property
    def user_key(self) -> str:
        """The first configured user key (the default one unless ``users`` was given)."""
        return self._users[0].user_key

    @property
    def license_number(self) -> str:
        """A license of the first user key (``DEFAULT_LICENSE`` by default)."""
        return sorted(self._users[0].licenses)[0]

    def start(self) -> FakeMetrc:
        self._http.start()
        _log.debug("fake Metrc listening on %s", self._http.url)
        return self

    def stop(self) -> None:
        self._http.stop()

    def stop_listening(self) -> None:
        """Refuse new connections (keeping all state) until :meth:`resume_listening`."""
        self._http.stop_listening()

    def resume_listening(self) -> None:
        self._http.resume_listening()

    def __enter__(self) -> FakeMetrc:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self._http.url if self._http.running else "stopped"
        return (f"FakeMetrc({where}, users={[user.key_id for user in self._users]}, "
                f"receipts={len(self._receipts)}, requests={len(self._log)})")

    # ----------------------------------------------------------------- TLS

    def _make_tls_context(self) -> ssl.SSLContext:
        try:
            import trustme  # a test-only dependency, imported only when TLS is asked for
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise InvalidValueError("tls", True, "TLS mode needs the 'trustme' package (pip install trustme)") \
                from error
        ca = trustme.CA()
        certificate = ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self._tls_ca = ca
        return context

    @property
    def ca_pem(self) -> bytes:
        """The PEM certificate of the throw-away CA that signed the server certificate (TLS mode only)."""
        if self._tls_ca is None:
            raise InvalidValueError("tls", False, "the fake was started without TLS")
        pem: bytes = self._tls_ca.cert_pem.bytes()
        return pem

    def client_ssl_context(self) -> ssl.SSLContext:
        """A client context that verifies the server against the fake's CA (hostname checks on)."""
        return ssl.create_default_context(cadata=self.ca_pem.decode("ascii"))

    # ----------------------------------------------------------------- data set-up and inspection

    def add_item(self, license_number: str, item: Mapping[str, Any]) -> dict[str, Any]:
        """Store an item (wire names, PascalCase) for a facility; missing documented keys become ``null``,
        ``ProductCategoryType``/``QuantityType`` come from the category when absent. Returns the stored item."""
        unknown = sorted(set(item) - set(ITEM_KEYS))
        if unknown:
            raise InvalidValueError("item", unknown, f"not an item field; known: {', '.join(ITEM_KEYS)}")
        with self._lock:
            stored: dict[str, Any] = {key: item.get(key) for key in ITEM_KEYS}
            if stored["Id"] is None:
                stored["Id"] = self._next_item_id
            self._next_item_id = max(self._next_item_id, int(stored["Id"])) + 1
            category = self._category(stored["ProductCategoryName"])
            if category is not None:
                for key in ("ProductCategoryType", "QuantityType"):
                    if stored[key] is None:
                        stored[key] = category[key]
            self._items.setdefault(license_number, {})[stored["Id"]] = stored
            return dict(stored)

    def add_package(self, label: str, item_id: int) -> None:
        """Tie a package label to an item, so a sale of it must use a unit of the item's quantity type."""
        with self._lock:
            self._packages[label] = item_id

    def add_patient(self, license_number: str, patient: Mapping[str, Any]) -> dict[str, Any]:
        """Register a patient (Massachusetts fields, PascalCase) at a facility. Returns the stored patient."""
        unknown = sorted(set(patient) - set(PATIENT_KEYS))
        if unknown:
            raise InvalidValueError("patient", unknown, f"not a patient field; known: {', '.join(PATIENT_KEYS)}")
        with self._lock:
            stored: dict[str, Any] = {key: patient.get(key) for key in PATIENT_KEYS}
            if stored["PatientId"] is None:
                stored["PatientId"] = self._next_patient_id
            self._next_patient_id = max(self._next_patient_id, int(stored["PatientId"])) + 1
            self._patients.setdefault(license_number, {})[stored["PatientId"]] = stored
            return dict(stored)

    def add_receipt(self, license_number: str, receipt: Mapping[str, Any], *, user_key_id: str | None = None) -> int:
        """Store a receipt directly (as if posted), after the same checks a POST gets. Returns its Id."""
        errors = self._receipt_errors(0, receipt, updating=False)
        if errors:
            raise InvalidValueError("receipt", receipt.get("ExternalReceiptNumber"), "; ".join(errors))
        with self._lock:
            return self._store(license_number, receipt, user_key_id)

    def seed_receipts(
        self, count: int, *, license_number: str | None = None, day: date = date(2024, 1, 2), prefix: str = "SEED",
    ) -> list[int]:
        """Store ``count`` deterministic receipts spread over ``day`` (for benchmarks and paging tests)."""
        license_number = license_number or self.license_number
        step = 86400 / max(count, 1)
        start = datetime.combine(day, time())
        ids = []
        for index in range(count):
            at = start + timedelta(seconds=int(index * step))
            ids.append(self.add_receipt(license_number, {
                "SalesDateTime": _local_text(at), "ExternalReceiptNumber": f"{prefix}-{index:06d}",
                "SalesCustomerType": "Consumer", "PatientLicenseNumber": None, "CaregiverLicenseNumber": None,
                "IdentificationMethod": None, "PatientRegistrationLocationId": None,
                "Transactions": [dict.fromkeys(TRANSACTION_WRITE_KEYS) | {
                    "PackageLabel": f"1A4FF0100000{index % 1000:04d}00000{index % 7}", "Quantity": 1.0 + index % 3,
                    "UnitOfMeasure": "Grams", "TotalAmount": round(10.0 + (index % 50) * 0.5, 2)}],
            }))
        return ids

    @property
    def requests(self) -> tuple[RecordedRequest, ...]:
        """Every request received so far, in the order they were answered (or reset)."""
        with self._lock:
            return tuple(self._log)

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()

    def stored_count(self, external_receipt_number: str) -> int:
        """How many receipts with this external number are stored (voided ones included): 2 means a double post."""
        with self._lock:
            return sum(1 for receipt in self._receipts.values() if receipt.external == external_receipt_number)

    def receipts(self, license_number: str | None = None) -> list[dict[str, Any]]:
        """Copies of the stored receipts (as ``GET`` would return them), oldest first."""
        with self._lock:
            return [self._render(receipt) for receipt in self._receipts.values()
                    if license_number is None or receipt.license == license_number]

    def items(self, license_number: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(item) for item in self._items.get(license_number, {}).values()]

    # ----------------------------------------------------------------- HTTPApplication

    def record(self, request: Request, response: Response | None, fault: Fault | None, acted: bool) -> None:
        local = self._local
        if getattr(local, "request", None) is request:
            user, stored = local.user, local.stored
        else:
            user, stored = self._authenticate(request.headers.get("authorization")), ()
        local.request = local.user = None
        local.stored = ()
        entry = RecordedRequest(
            request.method, request.path, request.query, bytes(request.body),
            user.key_id if user is not None else None, response.status if response is not None else None,
            fault.kind if fault is not None else None, acted, stored,
        )
        with self._lock:
            self._log.append(entry)
        _log.debug("fake Metrc %s %s -> %s (key id %s%s)", request.method, request.path,
                   entry.status if entry.status is not None else "reset", entry.user_key_id,
                   f", fault {fault.kind.value}" if fault is not None else "")

    def handle(self, request: Request) -> Response:
        local = self._local
        local.request = request
        local.user = user = self._authenticate(request.headers.get("authorization"))
        local.stored = ()
        try:
            return self._dispatch(request, user)
        except _MetrcError as error:
            return error.response

    # ----------------------------------------------------------------- auth

    def _authenticate(self, header: str | None) -> MetrcUser | None:
        """The user whose keys the ``Authorization`` header carries. Answers are memoised per header value (a
        client sends the same header on every request); the memo lives and dies with the fake, in memory."""
        if header is None:
            return None
        cache = self._auth_cache
        if header in cache:
            return cache[header]
        user = self._check_credentials(header)
        if len(cache) < 256:
            cache[header] = user
        return user

    def _check_credentials(self, header: str) -> MetrcUser | None:
        if header[:6].lower() != "basic ":
            return None
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        vendor, sep, user_key = decoded.partition(":")
        if not sep or not hmac.compare_digest(vendor.encode(), self._vendor_key.encode()):
            return None
        for user in self._users:
            if hmac.compare_digest(user_key.encode(), user.user_key.encode()):
                return user
        return None

    def _license(self, request: Request, user: MetrcUser, *, required: bool) -> str | None:
        license_number = request.query_value("licenseNumber")
        if license_number is None or license_number == "":
            if required:
                raise _message(401, "No license number was given for a call that needs one.")
            return None
        if license_number not in user.licenses:
            raise _message(401, f"The license number {license_number} is not valid for this API key.")
        return license_number

    # ----------------------------------------------------------------- routing

    def _dispatch(self, request: Request, user: MetrcUser | None) -> Response:
        if user is None:
            return Response(401, _DENIED)
        parts = [unquote(part) if "%" in part else part for part in request.path.split("/") if part]
        if len(parts) < 2 or parts[1] not in ("v1", "v2"):
            raise _message(404, "No HTTP resource was found that matches the request URI.")
        area, version, rest = parts[0].lower(), parts[1], parts[2:]
        if version not in user.api_versions:
            if version == "v2" and "v1" in user.api_versions:
                return Response(401, _V1_ONLY_BODY, "text/plain; charset=utf-8")
            return Response(401, _DENIED)
        method = request.method
        key = (area, rest[0].lower() if rest else "")
        required = key not in _NO_LICENSE_AREAS
        if area == "sales" and rest and rest[0].lower() == "receipts":
            return self._receipts_route(request, user, version, method, rest[1:])
        if area == "sales" and rest == ["customertypes"] and method == "GET":
            return self._list(request, version, list(self.customer_types))
        if area == "sales" and [p.lower() for p in rest] == ["patientregistration", "locations"] and method == "GET":
            return self._list(request, version, [dict(location) for location in self._registration_locations])
        if area == "unitsofmeasure" and rest == ["active"] and method == "GET":
            return self._list(request, version, [dict(unit) for unit in self.units])
        if area == "items":
            return self._items_route(request, user, version, method, rest)
        if area == "patients" and method == "GET" and len(rest) == 1:
            license_number = self._license(request, user, required=required)
            assert license_number is not None
            with self._lock:
                patients = self._patients.get(license_number, {})
                if rest[0] == "active":
                    return self._list(request, version, [dict(p) for p in patients.values()])
                patient = patients.get(_int_or_none(rest[0]) or -1)
                if patient is None:
                    raise _message(404, f"Patient {rest[0]} was not found.")
                return _ok(_json(patient))
        raise _message(404, "No HTTP resource was found that matches the request URI.")

    def _items_route(self, request: Request, user: MetrcUser, version: str, method: str, rest: list[str]) -> Response:
        if method == "GET" and rest == ["categories"]:
            self._license(request, user, required=version == "v1")
            return self._list(request, version, [dict(category) for category in self.categories])
        if method == "GET" and len(rest) == 1:
            license_number = self._license(request, user, required=True)
            assert license_number is not None
            with self._lock:
                items = self._items.get(license_number, {})
                if rest[0] == "active":
                    return self._list(request, version, [dict(item) for item in items.values()])
                item = items.get(_int_or_none(rest[0]) or -1)
                if item is None:
                    raise _message(404, f"Item {rest[0]} was not found.")
                return _ok(_json(item))
        if (version == "v2" and method == "PUT" and rest == []) or (
            version == "v1" and method == "POST" and rest == ["update"]
        ):
            license_number = self._license(request, user, required=True)
            assert license_number is not None
            return self._update_items(license_number, _parse_list(request.body))
        raise _message(404, "No HTTP resource was found that matches the request URI.")

    def _receipts_route(
        self, request: Request, user: MetrcUser, version: str, method: str, rest: list[str]
    ) -> Response:
        if not rest and method in ("POST", "PUT"):
            license_number = self._license(request, user, required=True)
            assert license_number is not None
            body = _parse_list(request.body)
            if method == "POST":
                ids = self._post_receipts(license_number, body, user)
                self._local.stored = tuple(ids)
                if version == "v1":
                    return _ok()  # metrc-api.md: v1 POST success is an empty 200
                return _ok(_json({"Ids": ids, "Warnings": None}))
            self._put_receipts(license_number, body)
            return _ok()
        if rest in (["finalize"], ["unfinalize"]) and method == "PUT" and version == "v2":
            license_number = self._license(request, user, required=True)
            assert license_number is not None
            self._finalize(license_number, _parse_list(request.body), rest[0] == "finalize")
            return _ok()
        if len(rest) == 1 and rest[0] in ("active", "inactive") and method == "GET":
            license_number = self._license(request, user, required=True)
            assert license_number is not None
            receipts = self._filtered(license_number, rest[0] == "active", request)
            return self._receipt_list(request, version, receipts)
        if len(rest) == 2 and rest[0] == "external" and method == "GET" and version == "v2":
            return self._find_external(request, user, rest[1])
        if len(rest) == 1 and method in ("GET", "DELETE"):
            receipt_id = _int_or_none(rest[0])
            if receipt_id is None:
                raise _message(404, "No HTTP resource was found that matches the request URI.")
            license_number = self._license(request, user, required=method == "DELETE")
            with self._lock:
                receipt = self._receipts.get(receipt_id)
                if receipt is not None and (
                    receipt.license != license_number if license_number else receipt.license not in user.licenses
                ):
                    raise _message(401, f"Receipt {receipt_id} is not valid for the license number.")
                if receipt is None:
                    raise _message(404, f"Receipt {receipt_id} was not found.")
                if method == "GET":
                    return _ok(self._render_json(receipt))
                if receipt.archived:
                    raise _rows([(0, f"Receipt {receipt_id} is already voided.")])
                if receipt.wire["IsFinal"]:
                    raise _rows([(0, f"Receipt {receipt_id} is finalized and cannot be voided.")])
                receipt.archived = True
                now = _stamp(self._clock())
                receipt.wire["ArchivedDate"] = now
                receipt.wire["LastModified"] = now
                receipt.refresh()
                self._list_cache.clear()
            return _ok()
        raise _message(404 if method == "GET" else 405, "The requested resource does not support this method.")

    # ----------------------------------------------------------------- lists and paging

    def _list(self, request: Request, version: str, rows: list[Any]) -> Response:
        if version == "v1":
            return _ok(_json(rows))
        start, size, page = self._page(request, len(rows))
        return _ok(_json(self._wrapper_head(rows[start:start + size], len(rows), size, page)))

    def _page(self, request: Request, total: int) -> tuple[int, int, int]:
        """(start index, page size, page number) of a v2 list; paging is off unless ``pageSize`` is sent."""
        size_text = request.query_value("pageSize")
        number_text = request.query_value("pageNumber")
        if size_text is None:
            return 0, total, 1
        size = _int_or_none(size_text)
        if size is None or not 1 <= size <= _MAX_PAGE_SIZE:
            raise _message(400, f"pageSize must be a whole number from 1 to {_MAX_PAGE_SIZE} (got {size_text}).")
        number = 1 if number_text is None else _int_or_none(number_text)
        if number is None or number < 1:
            raise _message(400, f"pageNumber must be a whole number from 1 (got {number_text}).")
        return (number - 1) * size, size, number

    @staticmethod
    def _wrapper_head(data: list[Any], total: int, size: int, page: int) -> dict[str, Any]:
        pages = math.ceil(total / size) if size else 0
        return {"Data": data, "Total": total, "TotalRecords": total, "PageSize": size, "RecordsOnPage": len(data),
                "Page": page, "CurrentPage": page, "TotalPages": pages}

    def _receipt_list(self, request: Request, version: str, receipts: list[_Receipt]) -> Response:
        if self.transaction_names != "write":
            return self._list(request, version, [self._render(receipt) for receipt in receipts])
        if version == "v1":
            return _ok(b"[" + b",".join(receipt.wire_json for receipt in receipts) + b"]")
        start, size, page = self._page(request, len(receipts))
        chunk = receipts[start:start + size]
        total = len(receipts)
        tail = (f'],"Total":{total},"TotalRecords":{total},"PageSize":{size},"RecordsOnPage":{len(chunk)},'
                f'"Page":{page},"CurrentPage":{page},"TotalPages":{math.ceil(total / size) if size else 0}}}')
        return _ok(b'{"Data":[' + b",".join(receipt.wire_json for receipt in chunk) + tail.encode())

    def _filtered(self, license_number: str, active: bool, request: Request) -> list[_Receipt]:
        sales = (request.query_value("salesDateStart"), request.query_value("salesDateEnd"))
        modified = (request.query_value("lastModifiedStart"), request.query_value("lastModifiedEnd"))
        if any(sales) and any(modified):
            raise _message(400, "Give either the sales date range or the last modified range, not both.")
        cache_key = (license_number, active, sales, modified)
        with self._lock:
            cached = self._list_cache.get(cache_key)
            if cached is not None:
                return cached
            start, end = (_query_bound(sales[0], "salesDateStart", end=False),
                          _query_bound(sales[1], "salesDateEnd", end=True))
            modified_start = _query_bound(modified[0], "lastModifiedStart", end=False)
            modified_end = _query_bound(modified[1], "lastModifiedEnd", end=True)
            chosen = []
            for receipt in self._by_license.get(license_number, []):
                if receipt.archived == active:
                    continue
                if (start is not None and receipt.sales_at < start) or (end is not None and receipt.sales_at > end):
                    continue
                if modified_start is not None or modified_end is not None:
                    changed = datetime.fromisoformat(receipt.wire["LastModified"]).replace(tzinfo=None)
                    if (modified_start is not None and changed < modified_start) or (
                        modified_end is not None and changed > modified_end
                    ):
                        continue
                chosen.append(receipt)
            self._list_cache[cache_key] = chosen
            return chosen

    def _find_external(self, request: Request, user: MetrcUser, number: str) -> Response:
        license_number = self._license(request, user, required=False)
        with self._lock:
            matches = [receipt for receipt in self._receipts.values() if receipt.external == number]
            allowed = {license_number} if license_number else user.licenses
            if any(receipt.license not in allowed for receipt in matches):
                raise _message(401, f"The external receipt number {number} is not valid for the license number.")
            rendered = [self._render(receipt) for receipt in matches]
        if not rendered and self.unknown_external != "empty":
            if self.unknown_external == "401":
                raise _message(401, f"The external receipt number {number} is not valid for the license number.")
            raise _message(404, f"No receipt with external number {number}.")
        if self.external_lookup == "list":
            return _ok(_json(rendered))
        if self.external_lookup == "wrapper":
            return _ok(_json(self._wrapper_head(rendered, len(rendered), len(rendered), 1)))
        if not rendered:
            raise _message(404, f"No receipt with external number {number}.")
        return _ok(_json(rendered[-1]))

    # ----------------------------------------------------------------- receipts: writes

    def _receipt_errors(self, row: int, receipt: Any, *, updating: bool) -> list[str]:
        if not isinstance(receipt, Mapping):
            return [f"row {row}: a receipt is a JSON object"]
        errors: list[str] = []
        expected = (*RECEIPT_WRITE_KEYS, "Id") if updating else RECEIPT_WRITE_KEYS
        if self.strict:
            missing = [key for key in expected if key not in receipt]
            unknown = [key for key in receipt if key not in expected]
            if missing:
                errors.append(f"missing keys (send null for empty ones): {', '.join(missing)}")
            if unknown:
                errors.append(f"unknown keys: {', '.join(map(str, unknown))}")
        if _sales_datetime(receipt.get("SalesDateTime")) is None:
            errors.append("SalesDateTime must be facility-local time without an offset, e.g. 2016-10-04T16:44:53.000")
        customer_type = receipt.get("SalesCustomerType")
        if customer_type not in self.customer_types:
            errors.append(f"SalesCustomerType must be one of {', '.join(self.customer_types)}")
        if customer_type in ("Patient", "ExternalPatient") and not receipt.get("PatientLicenseNumber"):
            errors.append("a patient sale needs PatientLicenseNumber")
        if customer_type == "Caregiver" and not receipt.get("CaregiverLicenseNumber"):
            errors.append("a caregiver sale needs CaregiverLicenseNumber")
        transactions = receipt.get("Transactions")
        if not isinstance(transactions, list) or not transactions:
            errors.append("Transactions must be a non-empty list")
            return errors
        units = {unit["Name"]: unit["QuantityType"] for unit in self.units}
        for index, line in enumerate(transactions):
            errors.extend(f"Transactions[{index}]: {text}" for text in self._line_errors(line, units))
        return errors

    def _line_errors(self, line: Any, units: Mapping[str, str]) -> list[str]:
        if not isinstance(line, Mapping):
            return ["a transaction is a JSON object"]
        errors = []
        if self.strict:
            missing = [key for key in TRANSACTION_WRITE_KEYS if key not in line]
            unknown = [key for key in line if key not in TRANSACTION_WRITE_KEYS]
            if missing:
                errors.append(f"missing keys (send null for empty ones): {', '.join(missing)}")
            if unknown:
                errors.append(f"unknown keys: {', '.join(map(str, unknown))}")
        if not isinstance(line.get("PackageLabel"), str) or not line["PackageLabel"]:
            errors.append("PackageLabel is required")
        quantity = line.get("Quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int | float) or not 0 < quantity < math.inf:
            errors.append("Quantity must be a positive number")
        amount = line.get("TotalAmount")
        if isinstance(amount, bool) or not isinstance(amount, int | float) or not 0 <= amount < math.inf:
            errors.append("TotalAmount must be a number, zero or more")
        unit: Any = line.get("UnitOfMeasure")
        if unit not in units:
            errors.append(f"UnitOfMeasure must be one of {', '.join(units)}")
        else:
            item_id = self._packages.get(line.get("PackageLabel") or "")
            item = next((items[item_id] for items in self._items.values() if item_id in items), None) \
                if item_id is not None else None
            if item is not None and item["QuantityType"] and units[unit] != item["QuantityType"]:
                errors.append(f"UnitOfMeasure {unit} is {units[unit]} but the package's item is {item['QuantityType']}")
        return errors

    def _post_receipts(self, license_number: str, body: list[Any], user: MetrcUser) -> list[int]:
        with self._lock:
            errors = [(row, "; ".join(problems)) for row, receipt in enumerate(body)
                      if (problems := self._receipt_errors(row, receipt, updating=False))]
            if errors:
                raise _rows(errors)
            return [self._store(license_number, receipt, user.key_id) for receipt in body]

    def _store(self, license_number: str, receipt: Mapping[str, Any], user_key_id: str | None) -> int:
        sales_at = _sales_datetime(receipt["SalesDateTime"])
        assert sales_at is not None
        receipt_id = self._next_receipt_id
        self._next_receipt_id += 1
        now = _stamp(self._clock())
        user_name = next((user.name for user in self._users if user.key_id == user_key_id), None)
        wire = self._wire(receipt_id, receipt, sales_at, is_final=False, archived=None, recorded=now,
                          user_name=user_name, modified=now)
        stored = _Receipt(receipt_id, license_number, wire, sales_at, user_key_id)
        self._receipts[receipt_id] = stored
        self._by_license.setdefault(license_number, []).append(stored)
        self._list_cache.clear()
        return receipt_id

    @staticmethod
    def _wire(receipt_id: int, receipt: Mapping[str, Any], sales_at: datetime, *, is_final: bool,
              archived: str | None, recorded: str, user_name: str | None, modified: str) -> dict[str, Any]:
        lines = [{key: line.get(key) for key in ("PackageLabel", "Quantity", "UnitOfMeasure", "TotalAmount")}
                 for line in receipt["Transactions"]]
        return {
            "Id": receipt_id, "ReceiptNumber": None, "ExternalReceiptNumber": receipt.get("ExternalReceiptNumber"),
            "SalesDateTime": _local_text(sales_at), "SalesCustomerType": receipt.get("SalesCustomerType"),
            "PatientLicenseNumber": receipt.get("PatientLicenseNumber"),
            "CaregiverLicenseNumber": receipt.get("CaregiverLicenseNumber"),
            "IdentificationMethod": receipt.get("IdentificationMethod"),
            "PatientRegistrationLocationId": receipt.get("PatientRegistrationLocationId"),
            "TotalPackages": len(lines), "TotalPrice": round(sum(float(line["TotalAmount"]) for line in lines), 2),
            "Transactions": lines, "IsFinal": is_final, "ArchivedDate": archived, "RecordedDateTime": recorded,
            "RecordedByUserName": user_name, "LastModified": modified,
        }

    def _put_receipts(self, license_number: str, body: list[Any]) -> None:
        with self._lock:
            errors: list[tuple[int, str]] = []
            targets: list[_Receipt] = []
            for row, receipt in enumerate(body):
                problems = self._receipt_errors(row, receipt, updating=True)
                existing = self._receipts.get(_id_of(receipt))
                if isinstance(receipt, Mapping) and (existing is None or existing.license != license_number):
                    problems.append(f"Id {receipt.get('Id')!r} is not a receipt of this license")
                elif existing is not None and existing.archived:
                    problems.append(f"receipt {existing.id} is voided")
                elif existing is not None and existing.wire["IsFinal"]:
                    problems.append(f"receipt {existing.id} is finalized")
                if problems:
                    errors.append((row, "; ".join(problems)))
                elif existing is not None:
                    targets.append(existing)
            if errors:
                raise _rows(errors)
            now = _stamp(self._clock())
            for existing, receipt in zip(targets, body, strict=True):
                sales_at = _sales_datetime(receipt["SalesDateTime"])
                assert sales_at is not None
                existing.wire = self._wire(
                    existing.id, receipt, sales_at, is_final=False, archived=None,
                    recorded=existing.wire["RecordedDateTime"], user_name=existing.wire["RecordedByUserName"],
                    modified=now,
                )
                existing.sales_at = sales_at
                existing.refresh()
            self._list_cache.clear()

    def _finalize(self, license_number: str, body: list[Any], final: bool) -> None:
        with self._lock:
            targets = []
            errors = []
            for row, entry in enumerate(body):
                receipt = self._receipts.get(_id_of(entry))
                if receipt is None or receipt.license != license_number or receipt.archived:
                    errors.append((row, f"Id {_describe(entry)} is not an active receipt of this license"))
                else:
                    targets.append(receipt)
            if errors:
                raise _rows(errors)
            now = _stamp(self._clock())
            for receipt in targets:
                receipt.wire["IsFinal"] = final
                receipt.wire["LastModified"] = now
                receipt.refresh()
            self._list_cache.clear()

    def _update_items(self, license_number: str, body: list[Any]) -> Response:
        with self._lock:
            items = self._items.get(license_number, {})
            errors = []
            for row, entry in enumerate(body):
                if not isinstance(entry, Mapping) or _id_of(entry) not in items:
                    errors.append((row, f"Id {_describe(entry)} is not an item of this license"))
                    continue
                unknown = [key for key in entry if key not in ITEM_KEYS]
                if unknown and self.strict:
                    errors.append((row, f"unknown keys: {', '.join(map(str, unknown))}"))
                if "Name" in entry and not entry["Name"]:
                    errors.append((row, "Name is required"))
            if errors:
                raise _rows(errors)
            for entry in body:
                item = items[entry["Id"]]
                item.update({key: value for key, value in entry.items() if key in ITEM_KEYS})
                category = self._category(item["ProductCategoryName"])
                if category is not None and "ProductCategoryName" in entry:
                    item["ProductCategoryType"] = category["ProductCategoryType"]
                    item["QuantityType"] = category["QuantityType"]
        return _ok()

    # ----------------------------------------------------------------- rendering

    def _category(self, name: Any) -> dict[str, Any] | None:
        return next((category for category in self.categories if category["Name"] == name), None)

    def _render(self, receipt: _Receipt) -> dict[str, Any]:
        wire = json.loads(receipt.wire_json)
        if self.transaction_names == "read":
            wire["Transactions"] = [
                {"PackageLabel": line["PackageLabel"], "QuantitySold": line["Quantity"],
                 "UnitOfMeasureName": line["UnitOfMeasure"], "TotalPrice": line["TotalAmount"]}
                for line in wire["Transactions"]
            ]
        elif self.transaction_names == "empty":
            wire["Transactions"] = []
        result: dict[str, Any] = wire
        return result

    def _render_json(self, receipt: _Receipt) -> bytes:
        return receipt.wire_json if self.transaction_names == "write" else _json(self._render(receipt))


def _describe(value: Any) -> str:
    text = repr(value.get("Id")) if isinstance(value, Mapping) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _parse_list(body: bytes) -> list[Any]:
    """A write body: metrc-api.md says it is always a JSON list, even of one object."""
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _message(400, "The request body is not valid JSON.") from None
    if not isinstance(value, list):
        raise _message(400, "The request body must be a JSON list of objects.")
    if not value:
        raise _message(400, "The request body is an empty list.")
    return value


def _id_of(entry: Any) -> int:
    """The ``Id`` of a body row, or -1 (no receipt has it) when there is none or it is not an integer."""
    value = entry.get("Id") if isinstance(entry, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _sales_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    match = _SALES_DATETIME.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        micro = int((fraction or "0").ljust(6, "0")[:6])
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro)
    except ValueError:
        return None


def _query_bound(text: str | None, name: str, *, end: bool) -> datetime | None:
    """A date filter: a bare date means the whole day (start of it for a start, end of it for an end)."""
    if text is None or text == "":
        return None
    match = _QUERY_DATETIME.match(text)
    if match is None:
        raise _message(400, f"{name} must be a date or an ISO date and time (got {text}).")
    year, month, day, hour, minute, second, _zone = match.groups()
    try:
        if hour is None:
            moment = datetime(int(year), int(month), int(day))
            return moment + timedelta(days=1, microseconds=-1) if end else moment
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        raise _message(400, f"{name} is not a valid date (got {text}).") from None


# ----------------------------------------------------------------------------- its own process


@attrs.frozen
class SpawnedFakeMetrc:
    """A fake Metrc running in a child process (see :func:`spawn_fake_metrc`)."""

    url: str
    vendor_key: str = attrs.field(repr=False)
    user_key: str = attrs.field(repr=False)
    license_number: str
    process: subprocess.Popen[bytes] = attrs.field(repr=False)


@contextlib.contextmanager
def spawn_fake_metrc(
    *, receipts: int = 0, license_number: str = DEFAULT_LICENSE, day: date = date(2024, 1, 2),
    vendor_key: str = DEFAULT_VENDOR_KEY, user_key: str = DEFAULT_USER_KEY, startup_timeout: float = 30.0,
) -> Iterator[SpawnedFakeMetrc]:
    """Run a fake Metrc in its own process (so a benchmark's client and server do not share one interpreter lock),
    seeded with ``receipts`` receipts on ``day``. The keys travel in the environment, never on the command line."""
    env = dict(os.environ, **{VENDOR_KEY_ENV: vendor_key, USER_KEY_ENV: user_key})
    command = [sys.executable, "-m", "fe_compliance.testing.fake_metrc", "--port", "0", "--receipts", str(receipts),
               "--license", license_number, "--day", day.isoformat()]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    try:
        assert process.stdout is not None
        ready = threading.Event()
        first_line: list[bytes] = []

        def read_first_line() -> None:
            assert process.stdout is not None
            first_line.append(process.stdout.readline())
            ready.set()

        threading.Thread(target=read_first_line, daemon=True).start()
        if not ready.wait(startup_timeout) or not first_line[0].startswith(b"http"):
            raise RuntimeError(f"the fake Metrc process did not start (exit code {process.poll()})")
        yield SpawnedFakeMetrc(first_line[0].decode().strip(), vendor_key, user_key, license_number, process)
    finally:
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a fake Metrc until standard input closes or SIGTERM; print the URL first."""
    parser = argparse.ArgumentParser(prog="python -m fe_compliance.testing.fake_metrc", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--receipts", type=int, default=0, help="seed this many receipts")
    parser.add_argument("--license", default=DEFAULT_LICENSE, help="the license the user key acts for")
    parser.add_argument("--day", type=date.fromisoformat, default=date(2024, 1, 2), help="the seeded receipts' day")
    args = parser.parse_args(argv)
    vendor_key = os.environ.get(VENDOR_KEY_ENV, DEFAULT_VENDOR_KEY)
    user_key = os.environ.get(USER_KEY_ENV, DEFAULT_USER_KEY)
    fake = FakeMetrc(vendor_key=vendor_key, users=[MetrcUser("user-1", user_key, {args.license})], port=args.port)
    fake.seed_receipts(args.receipts, license_number=args.license, day=args.day)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with fake:
        print(fake.url, flush=True)

        def wait_for_stdin_close() -> None:
            with contextlib.suppress(OSError, ValueError):
                while sys.stdin.buffer.read(4096):
                    pass
            done.set()

        threading.Thread(target=wait_for_stdin_close, daemon=True).start()
        with contextlib.suppress(KeyboardInterrupt):
            done.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
