"""The fast canonical JSON writer gives the very bytes of its reference definition (issue 12).

Same bytes matter: the outbox tells "the same sale again" from "another sale under the same receipt number" by
comparing stored text, so a writer that drifted by one byte would turn a retried enqueue into a conflict.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fe_compliance.errors import FEComplianceError
from fe_compliance.outbox import sale_from_json, sale_to_json
from fe_compliance.outbox.codec import sale_to_json_reference
from fe_compliance.tracktrace.models import QuantityType, Sale, SaleCustomerType, SaleLine

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30
)
_zones = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=5, minutes=30))])


@st.composite
def _lines(draw: st.DrawFn) -> SaleLine:
    quantity_type = draw(st.none() | st.sampled_from(QuantityType))
    return SaleLine(
        package_label=draw(_text),
        quantity=draw(st.floats(min_value=1e-9, max_value=1e9) | st.integers(1, 10**6)),
        unit_of_measure=draw(st.none() | _text) if quantity_type is QuantityType.COUNT else draw(_text),
        amount=draw(st.decimals(min_value=0, max_value=10**6, allow_nan=False, places=2)),
        quantity_type=quantity_type,
    )


@st.composite
def _sales(draw: st.DrawFn) -> Sale:
    return Sale(
        external_receipt_number=draw(_text),
        sold_at=draw(st.datetimes(timezones=_zones)),
        customer_type=draw(st.sampled_from(SaleCustomerType)),
        lines=tuple(draw(st.lists(_lines(), min_size=1, max_size=3))),
        patient_license_number=draw(_text),
        caregiver_license_number=draw(_text),
        identification_method=draw(st.none() | _text),
        patient_registration_location_id=draw(st.none() | st.integers(0, 2**40)),
    )


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_fast_writer_gives_the_reference_bytes(data: st.DataObject) -> None:
    try:
        sale = data.draw(_sales())
    except FEComplianceError:  # text the model itself refuses (blank, control characters, too long)
        return
    text = sale_to_json(sale)
    assert text == sale_to_json_reference(sale)
    assert json.loads(text)["format"] == 1
    assert sale_from_json(text) == sale


def test_escapes_and_unicode_are_written_as_the_encoder_writes_them() -> None:
    sale = Sale(
        external_receipt_number='R "1" \\ é ☃ 𝄞',
        sold_at=dt.datetime(2026, 12, 4, 10, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        customer_type="Patient",
        lines=(SaleLine("1A4\u2028B", 1e-7, None, Decimal("0"), QuantityType.COUNT),),
        patient_license_number="P-1",
        patient_registration_location_id=12,
    )
    assert sale_to_json(sale) == sale_to_json_reference(sale)
    assert '"quantity":1e-07' in sale_to_json(sale) and '"patient_registration_location_id":12' in sale_to_json(sale)
