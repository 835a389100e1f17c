"""A Massachusetts patient's allotment, counted from the dispensing ledger by the MA pack's limit engine.

935 CMR 501.140(3)(a): "no more than a 60-day supply in each 60-day period"; 935 CMR 501.002: the 60-day supply is
10 oz unless the certifying provider sets another amount (reference/metrc-api.md, "Massachusetts specifics"). The
engine's MA pack holds that limit (``ma_med_60_day``) and counts each line as MassCIP does (grams/concentration,
non-flower x5.3, seed 000). A patient's certified amount is passed as the customer's allotment override of that
limit. Metrc's MA patient record maps onto :class:`~fe_compliance.limits.customer.Customer` by
:func:`patient_customer`: the sales-limit exemption, and a license outside its effective dates refused.

Where a transport offers a server figure (Massachusetts' Metrc has no patient-status endpoint; other states' do),
:func:`allotment` compares it with the local one and reports a difference; it never silently prefers either.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import attrs

from ..errors import InvalidValueError, MissingDataError
from ..limits.customer import SALES_LIMIT_EXEMPTION, Customer
from ..limits.engine import LimitEngine
from ..tracktrace.models import Patient
from .errors import LicenseExpiredError
from .ledger import DispensingLedger

__all__ = ["ALLOTMENT_LIMIT", "Allotment", "allotment", "patient_customer"]

_log = logging.getLogger("fe_compliance.integration")

#: The MA pack's medical 60-day limit (``fe_compliance.states.ma``).
ALLOTMENT_LIMIT = "ma_med_60_day"
#: Figures closer than this (grams) are the same figure written twice (rounding of 5.3 x grams).
_TOLERANCE_GRAMS = 0.005


def patient_customer(patient: Patient, *, on: dt.date, certified_amount: Any = None) -> Customer:
    """The limit engine's customer for Metrc's MA ``patient`` on day ``on``.

    ``has_sales_limit_exemption`` becomes the ``sales_limit_exemption``; ``certified_amount`` (e.g. ``"6 oz"``)
    replaces the 10 oz for this patient. A license not in effect on ``on`` raises :class:`LicenseExpiredError`;
    an unknown end date or exemption raises :class:`MissingDataError` (missing data never allows a sale).
    """
    if not isinstance(patient, Patient):
        raise InvalidValueError("patient", patient, "expected a tracktrace Patient")
    start, end = patient.license_effective_start, patient.license_effective_end
    if end is None:
        raise MissingDataError("license_effective_end", f"patient {patient.license_number!r}: the license end date "
                               "is unknown, so the license cannot be shown to be in effect")
    if on > end or (start is not None and on < start):
        raise LicenseExpiredError(patient.license_number, start, end, on)
    if patient.has_sales_limit_exemption is None:
        raise MissingDataError("has_sales_limit_exemption",
                               f"patient {patient.license_number!r}: unknown whether the sales-limit exemption applies")
    exemptions = frozenset({SALES_LIMIT_EXEMPTION}) if patient.has_sales_limit_exemption else frozenset()
    return Customer(
        customer_type="medical", customer_id=patient.license_number, exemptions=exemptions,
        allotment_override=certified_amount, override_limit=ALLOTMENT_LIMIT if certified_amount is not None else None,
    )


@attrs.frozen(slots=True)
class Allotment:
    """A patient's 60-day allotment in MassCIP grams at ``at``, with what it was computed from.

    ``server_remaining_grams``/``difference_grams`` (server minus local) are set when a server figure was given;
    ``disagrees`` says they differ by more than rounding. Both figures are kept: neither is preferred.
    """

    patient_license: str
    at: dt.datetime
    cap_grams: float
    used_grams: float
    remaining_grams: float
    window_start: dt.datetime | None
    waived: bool
    overridden: bool
    citation: str
    confirmed: bool
    server_remaining_grams: float | None = None
    difference_grams: float | None = None

    @property
    def disagrees(self) -> bool:
        return self.difference_grams is not None and abs(self.difference_grams) > _TOLERANCE_GRAMS

    def explanation(self) -> str:
        head = (f"patient {self.patient_license}: {self.used_grams:.2f} g of {self.cap_grams:.2f} g used since "
                f"{self.window_start}, {self.remaining_grams:.2f} g left [{self.citation}]")
        if self.waived:
            head += "; waived: the patient has the sales-limit exemption"
        if self.overridden:
            head += "; cap set by the patient's certification"
        if self.disagrees:
            head += (f"; the server says {self.server_remaining_grams:.2f} g left, a difference of "
                     f"{self.difference_grams:+.2f} g: check both before relying on either")
        return head


def allotment(
    ledger: DispensingLedger, engine: LimitEngine, customer: Customer, *, at: dt.datetime,
    server_remaining_grams: float | None = None,
) -> Allotment:
    """The allotment of ``customer`` (its id is the patient license) at ``at``, from the ledger's history."""
    decision = engine.check(customer, [], at=at, history=ledger.history(customer.customer_id))
    usage = next((u for u in decision.usages if u.limit.code == ALLOTMENT_LIMIT), None)
    if usage is None:
        raise InvalidValueError("engine", engine.pack.state, f"the rule pack has no {ALLOTMENT_LIMIT} limit for "
                                "this customer (expected the MA pack and a medical customer)")
    remaining = max(usage.cap - usage.used, 0.0)
    difference = None
    if server_remaining_grams is not None:
        if isinstance(server_remaining_grams, bool) or not isinstance(server_remaining_grams, (int, float)):
            raise InvalidValueError("server_remaining_grams", server_remaining_grams, "must be a number of grams")
        difference = float(server_remaining_grams) - remaining
    result = Allotment(
        patient_license=customer.customer_id, at=at, cap_grams=usage.cap, used_grams=usage.used,
        remaining_grams=remaining, window_start=usage.window_start, waived=usage.waived, overridden=usage.overridden,
        citation=usage.limit.citation, confirmed=bool(usage.limit.confirmed),
        server_remaining_grams=None if server_remaining_grams is None else float(server_remaining_grams),
        difference_grams=difference,
    )
    if result.disagrees:
        _log.warning("MassCIP allotment differs from the server's: %s", result.explanation())
    return result
