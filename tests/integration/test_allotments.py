"""The dispensing ledger and a patient's MassCIP allotment: across a restart, against the MA pack's 60-day budget,
with a per-patient certified cap, an exempt patient, returns and voids, a disagreeing server figure, and Metrc's
MA patient record (exemption, license dates) from the fake Metrc."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from fe_compliance import states
from fe_compliance.errors import MissingDataError
from fe_compliance.integration import LicenseExpiredError, MassCIPSettings
from fe_compliance.integration.allotments import allotment, patient_customer
from fe_compliance.integration.ledger import DispensingLedger
from fe_compliance.limits import CartLine, Customer
from fe_compliance.tracktrace import Patient

from .helpers import ALICE_KEY, LICENSE, fake_metrc, make_integration

AT = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)
TEN_OZ = 10 * 28.349523125
PATIENT = "PT-0001"


def flower(line_id: str, units: float = 1.0, grams: float = 3.5) -> CartLine:
    return CartLine(line_id=line_id, category="Flower", quantity=units, grams_concentration=grams,
                    metrc_category="Buds")


def concentrate(line_id: str, grams: float = 1.0) -> CartLine:
    return CartLine(line_id=line_id, category="Concentrate", quantity=1, grams_concentration=grams,
                    metrc_category="Concentrate")


def medical(**extra: object) -> Customer:
    return Customer(customer_type="medical", customer_id=PATIENT, **extra)  # type: ignore[arg-type]


def test_allotment_survives_a_restart_and_follows_the_60_day_budget(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    engine = states.engine("MA")
    with DispensingLedger.open(db) as ledger:
        assert str(ledger.pragma("journal_mode")).lower() == "wal" and ledger.pragma("synchronous") == 2
        ledger.record_sale(patient_license=PATIENT, transaction_id="T-old", lines=[flower("a", 4)],
                           sold_at=AT - dt.timedelta(days=61))
        ledger.record_sale(patient_license=PATIENT, transaction_id="T-1", lines=[flower("a", 2), concentrate("b")],
                           sold_at=AT - dt.timedelta(days=3))
        ledger.record_sale(patient_license="PT-other", transaction_id="T-2", lines=[flower("a", 10)],
                           sold_at=AT - dt.timedelta(days=1))
    with DispensingLedger.open(db) as reopened:  # a restart: only the file remains
        result = allotment(reopened, engine, medical(), at=AT)
        history = reopened.history(PATIENT)
    left_units = int((TEN_OZ - 12.3) // 3.5)
    assert engine.check(medical(), [flower("x", left_units)], at=AT, history=history).allowed
    assert not engine.check(medical(), [flower("x", left_units + 1)], at=AT, history=history).allowed
    assert result.cap_grams == pytest.approx(TEN_OZ)
    assert result.used_grams == pytest.approx(2 * 3.5 + 1.0 * 5.3), "flower x1, concentrate x5.3; 61 days ago is out"
    assert result.remaining_grams == pytest.approx(TEN_OZ - 12.3)
    assert "501.140" in result.citation and not result.waived and not result.disagrees


def test_returns_and_voids_restore_the_allotment_across_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    engine = states.engine("MA")
    with DispensingLedger.open(db) as ledger:
        ledger.record_sale(patient_license=PATIENT, transaction_id="T-1", lines=[flower("a", 3)],
                           sold_at=AT - dt.timedelta(days=2))
        ledger.record_sale(patient_license=PATIENT, transaction_id="T-2", lines=[concentrate("b", 2.0)],
                           sold_at=AT - dt.timedelta(days=1))
        ledger.record_return("T-1", "a", 1, at=AT - dt.timedelta(hours=5))
        ledger.void("T-2", at=AT - dt.timedelta(hours=4))
    with DispensingLedger.open(db) as ledger:
        assert allotment(ledger, engine, medical(), at=AT).used_grams == pytest.approx(2 * 3.5)
        with pytest.raises(Exception, match="already void"):
            ledger.void("T-2", at=AT)
        with pytest.raises(Exception, match="remain to return"):
            ledger.record_return("T-1", "a", 5, at=AT)


def test_a_certified_amount_sets_the_patients_cap(tmp_path: Path) -> None:
    with DispensingLedger.open(tmp_path / "l.db") as ledger:
        ledger.record_sale(patient_license=PATIENT, transaction_id="T-1", lines=[flower("a", 10)],
                           sold_at=AT - dt.timedelta(days=5))
        result = allotment(ledger, states.engine("MA"),
                           medical(allotment_override="2 oz", override_limit="ma_med_60_day"), at=AT)
    assert result.overridden and result.cap_grams == pytest.approx(2 * 28.349523125)
    assert result.remaining_grams == pytest.approx(2 * 28.349523125 - 35.0)


def test_an_exempt_patient_is_shown_waived(tmp_path: Path) -> None:
    with DispensingLedger.open(tmp_path / "l.db") as ledger:
        ledger.record_sale(patient_license=PATIENT, transaction_id="T-1", lines=[flower("a", 100)],
                           sold_at=AT - dt.timedelta(days=5))
        result = allotment(ledger, states.engine("MA"), medical(exemptions={"sales_limit_exemption"}), at=AT)
    assert result.waived and result.used_grams == pytest.approx(350.0) and "exemption" in result.explanation()


def test_a_disagreeing_server_figure_is_reported_not_preferred(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with DispensingLedger.open(tmp_path / "l.db") as ledger:
        ledger.record_sale(patient_license=PATIENT, transaction_id="T-1", lines=[flower("a", 2)],
                           sold_at=AT - dt.timedelta(days=5))
        local = allotment(ledger, states.engine("MA"), medical(), at=AT)
        same = allotment(ledger, states.engine("MA"), medical(), at=AT, server_remaining_grams=local.remaining_grams)
        caplog.set_level(logging.WARNING)
        other = allotment(ledger, states.engine("MA"), medical(), at=AT,
                          server_remaining_grams=local.remaining_grams - 3.5)
    assert not same.disagrees and same.difference_grams == pytest.approx(0.0)
    assert other.disagrees and other.difference_grams == pytest.approx(-3.5)
    assert other.remaining_grams == local.remaining_grams, "the local figure is not replaced"
    assert other.server_remaining_grams == pytest.approx(local.remaining_grams - 3.5), "nor the server's dropped"
    assert "difference of -3.50 g" in other.explanation() and "differs from the server" in caplog.text


def test_metrc_patient_record_maps_onto_a_customer() -> None:
    with fake_metrc() as fake:
        fake.add_patient(LICENSE, {"LicenseNumber": "PT-EX", "LicenseEffectiveStartDate": "2026-01-01",
                                   "LicenseEffectiveEndDate": "2027-01-01", "HasSalesLimitExemption": True})
        fake.add_patient(LICENSE, {"LicenseNumber": "PT-OLD", "LicenseEffectiveStartDate": "2024-01-01",
                                   "LicenseEffectiveEndDate": "2025-01-01", "HasSalesLimitExemption": False})
        with make_integration(fake, MassCIPSettings(enable_dispensing="No"), {"alice": ALICE_KEY}) as integration:
            patients = {p.license_number: p
                        for p in integration.client_for("alice", LICENSE)[1].list_patients()}  # type: ignore
        assert [r.method for r in fake.requests] == ["GET"]
    exempt = patient_customer(patients["PT-EX"], on=AT.date())
    assert exempt.has_exemption("sales_limit_exemption") and exempt.customer_id == "PT-EX"
    with pytest.raises(LicenseExpiredError) as expired:
        patient_customer(patients["PT-OLD"], on=AT.date())
    assert expired.value.field == "patient_license_number" and "PT-OLD" in str(expired.value)
    with pytest.raises(MissingDataError):
        patient_customer(Patient(license_number="PT-X", has_sales_limit_exemption=False), on=AT.date())
    certified = patient_customer(patients["PT-EX"], on=AT.date(), certified_amount="6 oz")
    assert certified.override_limit == "ma_med_60_day"
