"""Track-and-trace reporting: neutral sale models, the transport protocol, typed errors, adapters.

Import from here (``from fe_compliance.tracktrace import Sale, TrackAndTrace, OutcomeUnknownError``); the package
is not re-exported from ``fe_compliance`` so that ``import fe_compliance`` stays free of network code. See
``docs/tracktrace.md`` for the protocol, the Metrc adapter, the retry rule and a worked example.
"""

from __future__ import annotations

from .errors import (
    AccessDeniedError,
    AuthenticationError,
    ConnectionFailedError,
    DeadlineExceededError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    RequestTimeoutError,
    RowMessage,
    SendError,
    ServerError,
    TrackAndTraceError,
    UnexpectedResponseError,
    ValidationError,
    map_failure,
)
from .mock import MockTransport
from .models import (
    Item,
    ItemCategory,
    Patient,
    PostedSale,
    QuantityType,
    Receipt,
    ReceiptLine,
    Sale,
    SaleCustomerType,
    SaleLine,
    UnitOfMeasure,
)
from .protocol import (
    FindsReceipts,
    ListsItems,
    ListsPatients,
    ListsReceipts,
    ListsUnitsOfMeasure,
    PostsSaleBatches,
    TrackAndTrace,
    UpdatesItems,
    UpdatesReceipts,
)
from .transport import HttpRequest, HttpResponse, HttpTransport, Secret, SecretHeader, Timeouts

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "ConnectionFailedError",
    "DeadlineExceededError",
    "FindsReceipts",
    "HttpRequest",
    "HttpResponse",
    "HttpTransport",
    "Item",
    "ItemCategory",
    "ListsItems",
    "ListsPatients",
    "ListsReceipts",
    "ListsUnitsOfMeasure",
    "MockTransport",
    "NotFoundError",
    "OutcomeUnknownError",
    "Patient",
    "PostedSale",
    "PostsSaleBatches",
    "QuantityType",
    "RateLimitedError",
    "Receipt",
    "ReceiptLine",
    "RequestTimeoutError",
    "RowMessage",
    "Sale",
    "SaleCustomerType",
    "SaleLine",
    "Secret",
    "SecretHeader",
    "SendError",
    "ServerError",
    "Timeouts",
    "TrackAndTrace",
    "TrackAndTraceError",
    "UnexpectedResponseError",
    "UnitOfMeasure",
    "UpdatesItems",
    "UpdatesReceipts",
    "ValidationError",
    "map_failure",
]
