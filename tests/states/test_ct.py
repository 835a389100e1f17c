"""Connecticut (flagged): adult-use 1/2 oz per transaction from 2023-12-01; medical 5 oz per rolling 31 days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest

from fe_compliance.limits import (
    CartLine,
    Customer,
    LimitEngine,
    LineDataError,
    NoRulesInForceError,
    PastLine,
    Window,
)
from fe_compliance.states import check_cart, pack_for
from fe_compliance.units import GRAMS_PER_OUNCE

from .common import StatePackTests, flower

HARTFORD = ZoneInfo("America/New_York")
AT = dt.datetime(2024, 5, 15, 12, tzinfo=HARTFORD)
REC = Customer(customer_type="recreational", customer_id="r")
PATIENT = Customer(customer_type="medical", customer_id="m")
HALF_OZ = 0.5 * GRAMS_PER_OUNCE
FIVE_OZ = 5 * GRAMS_PER_OUNCE


class TestCT(StatePackTests):
    STATE = "CT"

    def test_half_ounce_per_transaction(self) -> None:
        self.assert_cap(REC, HALF_OZ, "ct_rec_transaction", at=AT)

    def test_history_does_not_count_per_transaction(self) -> None:
        self.assert_history_ignored(REC, HALF_OZ, at=AT)

    def test_the_half_ounce_starts_on_2023_12_01(self) -> None:
        assert pack_for("CT").earliest == dt.date(2023, 12, 1)
        assert check_cart("CT", REC, [flower("a", HALF_OZ)], at=dt.datetime(2023, 12, 1, 0, 1, tzinfo=HARTFORD))
        with pytest.raises(NoRulesInForceError):
            check_cart("CT", REC, [flower("a", 1.0)], at=dt.datetime(2023, 11, 30, 23, 59, tzinfo=HARTFORD))

    def test_non_flower_lines_need_a_package_fe(self) -> None:
        with pytest.raises(LineDataError) as info:
            check_cart("CT", REC, [CartLine(line_id="w", category="Concentrate", grams_concentration=1.0)], at=AT)
        assert info.value.line_id == "w"
        wax = CartLine(line_id="w", category="Concentrate", grams_concentration=1.0, fe_grams=HALF_OZ)
        assert check_cart("CT", REC, [wax], at=AT).allowed

    def test_medical_five_ounces_per_month(self) -> None:
        history = [PastLine(line=flower("h", FIVE_OZ - 1.0), sold_at=AT - dt.timedelta(days=20))]
        self.assert_cap(PATIENT, 1.0, "ct_med_monthly", at=AT, history=history)

    def test_medical_restored_on_day_32(self) -> None:
        self.assert_restored(
            PATIENT,
            flower("h", FIVE_OZ),
            sold_at=dt.datetime(2024, 1, 1, 18, tzinfo=HARTFORD),
            last=dt.datetime(2024, 1, 31, 23, 59, tzinfo=HARTFORD),  # day 31, the same calendar month
            restored=dt.datetime(2024, 2, 1, 0, 0, tzinfo=HARTFORD),  # day 32
        )

    def test_the_window_covers_any_calendar_month(self) -> None:
        # Any two days of one calendar month are inside one 31-day window, in every month of a leap year.
        for month in range(1, 13):
            first = dt.datetime(2024, month, 1, 10, tzinfo=HARTFORD)
            nxt = dt.date(2024 + month // 12, month % 12 + 1, 1)
            last = dt.datetime.combine(nxt - dt.timedelta(days=1), dt.time(20), tzinfo=HARTFORD)
            history = [PastLine(line=flower("h", FIVE_OZ), sold_at=first)]
            assert not check_cart("CT", PATIENT, [flower("a", 0.1)], at=last, history=history).allowed

    def test_a_physician_adjustment_is_an_allotment_override(self) -> None:
        patient = Customer(customer_type="medical", allotment_override="8 oz")
        history = [PastLine(line=flower("h", FIVE_OZ), sold_at=AT - dt.timedelta(days=3))]
        decision = check_cart("CT", patient, [flower("a", GRAMS_PER_OUNCE)], at=AT, history=history)
        assert decision.allowed and decision.usage("ct_med_monthly").overridden

    def test_every_number_is_unconfirmed(self) -> None:
        self.assert_every_number_unconfirmed(at=AT)

    def test_batch_reporting_is_permitted_but_flagged(self) -> None:
        self.assert_reporting(real_time=False, at=AT)

    def test_rolling_31_days_is_never_looser_than_a_calendar_month(self) -> None:
        # The same pack with the calendar-month reading of "per month", which the docstring weighs and declines.
        shipped = pack_for("CT")
        monthly = attrs.evolve(shipped.rule("ct_med_monthly"), window=Window.calendar_month())
        calendar = attrs.evolve(
            shipped, rules=tuple(monthly if r.code == "ct_med_monthly" else r for r in shipped.rules)
        )
        by_calendar, by_rolling = LimitEngine(calendar), LimitEngine(shipped)
        cases = [  # (first sale, second sale): 5 oz each
            (dt.datetime(2024, 1, 31, 18, tzinfo=HARTFORD), dt.datetime(2024, 2, 1, 10, tzinfo=HARTFORD)),
            (dt.datetime(2024, 1, 15, 12, tzinfo=HARTFORD), dt.datetime(2024, 2, 14, 12, tzinfo=HARTFORD)),
        ]
        for first, second in cases:
            history = [PastLine(line=flower("h", FIVE_OZ), sold_at=first)]
            assert by_calendar.check(PATIENT, [flower("a", FIVE_OZ)], at=second, history=history).allowed
            assert not by_rolling.check(PATIENT, [flower("a", FIVE_OZ)], at=second, history=history).allowed
        # Within one calendar month both readings refuse the second 5 oz.
        history = [PastLine(line=flower("h", FIVE_OZ), sold_at=dt.datetime(2024, 3, 1, 9, tzinfo=HARTFORD))]
        late = dt.datetime(2024, 3, 31, 20, tzinfo=HARTFORD)
        for engine in (by_calendar, by_rolling):
            assert not engine.check(PATIENT, [flower("a", 0.1)], at=late, history=history).allowed
        assert shipped.rule("ct_med_monthly").window == Window.rolling(31)
