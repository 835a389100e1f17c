"""MassCIP settings: the seed's fields, the two that must be No, Enable Dispensing = No as Allotment Only, and a
master key that never shows."""

from __future__ import annotations

import logging

import pytest

from fe_compliance.errors import FEComplianceError
from fe_compliance.integration import MassCIPSettings, ReportingMode, SettingsError, Status
from fe_compliance.limits import ReportingMode as LimitsReportingMode

SECRET = "CANARY-master-3b1f-do-not-leak"


def test_defaults_follow_massachusetts() -> None:
    settings = MassCIPSettings()
    assert settings.require_individual_user_credentials, "MA requires individual user keys"
    assert settings.mode is ReportingMode.REAL_TIME and settings.status is Status.ENABLED
    assert settings.push_interval_seconds == 900.0


@pytest.mark.parametrize("field", ["use_flower_equivalent_for_transmission", "use_external_component"])
@pytest.mark.parametrize("value", [True, "Yes", " yes "])
def test_settings_the_seed_says_select_no_are_refused(field: str, value: object) -> None:
    with pytest.raises(SettingsError) as info:
        MassCIPSettings(**{field: value})  # type: ignore[arg-type]
    assert info.value.field == field and "000_ccfae62b51cd6f41" in str(info.value) and "must be No" in str(info)


def test_enable_dispensing_no_means_allotment_only() -> None:
    assert MassCIPSettings(enable_dispensing="No", reporting_mode="batch").mode is ReportingMode.ALLOTMENT_ONLY
    with pytest.raises(SettingsError, match="Enable Dispensing = No"):
        MassCIPSettings(enable_dispensing=True, reporting_mode="Allotment Only")


def test_one_reporting_mode_enum_for_the_library() -> None:
    assert ReportingMode is LimitsReportingMode
    assert ReportingMode.parse("Real Time") is ReportingMode.REAL_TIME
    assert ReportingMode.parse("allotment-only") is ReportingMode.ALLOTMENT_ONLY


@pytest.mark.parametrize("bad", [{"enable_dispensing": "maybe"}, {"status": "paused"}, {"reporting_mode": "hourly"},
                                 {"real_time_deadline_seconds": 0}, {"push_interval_seconds": float("nan")},
                                 {"master_user_id": "m"}, {"mtc_name": "a\nb"}])
def test_bad_settings_name_the_field(bad: dict[str, object]) -> None:
    with pytest.raises(SettingsError) as info:
        MassCIPSettings(**bad)  # type: ignore[arg-type]
    assert isinstance(info.value, FEComplianceError) and info.value.field in {*bad, "master_user_id"}


def test_the_master_key_never_shows(caplog: pytest.LogCaptureFixture) -> None:
    settings = MassCIPSettings(master_user_id="designated", master_key=SECRET, require_individual_user_credentials="No")
    caplog.set_level(logging.DEBUG)
    logging.getLogger("test").info("settings %s %r", settings, settings)
    texts = [repr(settings), str(settings), f"{settings}", caplog.text, repr(settings.master_key)]
    assert all(SECRET not in text for text in texts)
    assert settings.master_key is not None and settings.master_key.reveal() == SECRET
    with pytest.raises(SettingsError) as info:
        MassCIPSettings(master_user_id="designated", master_key=SECRET + " with space")
    assert SECRET not in str(info.value) and SECRET not in repr(info.value.value)
