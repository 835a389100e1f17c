"""Cart lines, history lines and customers: values checked at the edge, errors naming the line."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import pytest

from fe_compliance.errors import InvalidQuantityError, InvalidValueError
from fe_compliance.limits import CartLine, Customer, InvalidLineError, LineKind, NaiveDatetimeError, PastLine
from fe_compliance.units import Q_

UTC = dt.UTC


@pytest.mark.parametrize("quantity", [-1, math.nan, math.inf, True, "2", None])
def test_bad_quantities_name_the_line(quantity: object) -> None:
    with pytest.raises(InvalidLineError) as info:
        CartLine(line_id="L1", category="Flower", quantity=quantity, fe_grams=1.0)  # type: ignore[arg-type]
    assert info.value.line_id == "L1" and info.value.field == "line 'L1' quantity"


@pytest.mark.parametrize("field", ["fe_grams", "grams_concentration", "net_weight_grams", "thc_grams", "volume_ml"])
def test_negative_amounts_are_refused(field: str) -> None:
    with pytest.raises(InvalidLineError) as info:
        CartLine(line_id="L2", category="Flower", **{field: -0.5})
    assert field in str(info.value)


def test_amounts_with_units_become_floats() -> None:
    line = CartLine(
        line_id="a",
        category="Flower",
        fe_grams=Q_(1, "oz"),
        thc_grams="500 mg",
        volume_ml="12 floz",
        grams_concentration=3,
    )
    assert line.fe_grams == 28.349523125
    assert line.thc_grams == 0.5
    assert line.volume_ml == pytest.approx(354.88235475)
    assert type(line.grams_concentration) is float


def test_a_volume_is_not_a_mass_and_back() -> None:
    with pytest.raises(InvalidLineError):
        CartLine(line_id="a", category="Flower", fe_grams="12 floz")
    with pytest.raises(InvalidLineError):
        CartLine(line_id="a", category="Flower", volume_ml="3 g")
    with pytest.raises(InvalidLineError):
        CartLine(line_id="a", category="Flower", fe_grams="20 %")


@pytest.mark.parametrize(
    ("written", "ml"),
    [
        ("36 fl oz", 36 * 29.5735295625),
        ("12 FL OZ", 12 * 29.5735295625),
        ("12 fl. oz.", 12 * 29.5735295625),
        ("355 mL", 355.0),
        (".5 L", 500.0),
        ("36 floz", 36 * 29.5735295625),
        ("1 cup", 236.5882365),
    ],
)
def test_volumes_as_vendors_and_labels_write_them(written: str, ml: float) -> None:
    # "36 fl oz" is how Michigan's rule and most labels write it; pint alone reads only "floz".
    assert CartLine(line_id="d", category="Beverage", volume_ml=written).volume_ml == pytest.approx(ml)


@pytest.mark.parametrize("written", ["-3 fl oz", "12 oz", "fl oz", "3 fl oz x", "1e400 fl oz"])
def test_bad_volumes_name_the_line(written: str) -> None:
    with pytest.raises(InvalidLineError) as info:
        CartLine(line_id="d", category="Beverage", volume_ml=written)
    assert info.value.field == "line 'd' volume_ml"


def test_evolve_is_idempotent() -> None:
    line = CartLine(line_id="a", category="Flower", fe_grams="3.5 g", quantity=2)
    assert attrs.evolve(line) == line
    assert attrs.evolve(line, quantity=1).fe_grams == 3.5


def test_ids_and_names_are_required() -> None:
    with pytest.raises(InvalidValueError):
        CartLine(line_id="", category="Flower")
    with pytest.raises(InvalidLineError):
        CartLine(line_id="a", category=" ")
    with pytest.raises(InvalidLineError):
        CartLine(line_id="a", category="Flower", metrc_category="")
    with pytest.raises(InvalidLineError):
        CartLine(line_id="a", category="Flower", exempt="yes")  # type: ignore[arg-type]


def test_history_needs_an_aware_time() -> None:
    line = CartLine(line_id="h1", category="Flower", fe_grams=1.0)
    with pytest.raises(NaiveDatetimeError) as info:
        PastLine(line=line, sold_at=dt.datetime(2024, 1, 1, 12))
    assert info.value.field == "line 'h1' sold_at"
    with pytest.raises(InvalidValueError):
        PastLine(line=line, sold_at="2024-01-01")  # type: ignore[arg-type]
    sale = PastLine.sale(dt.datetime(2024, 1, 1, tzinfo=UTC), line_id="h", category="Flower", fe_grams=1.0)
    assert sale.sign == 1.0 and sale.timestamp == dt.datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    back = PastLine(line=line, sold_at=dt.datetime(2024, 1, 1, tzinfo=UTC), transaction_id="t", kind=LineKind.RETURN)
    assert back.sign == -1.0


def test_a_return_names_its_transaction() -> None:
    line = CartLine(line_id="h1", category="Flower", fe_grams=1.0)
    for tid in ("", "  "):
        with pytest.raises(InvalidValueError) as info:
            PastLine(line=line, sold_at=dt.datetime(2024, 1, 1, tzinfo=UTC), transaction_id=tid, kind=LineKind.RETURN)
        assert info.value.field == "line 'h1' transaction_id"
    assert PastLine(line=line, sold_at=dt.datetime(2024, 1, 1, tzinfo=UTC)).sign == 1.0  # a sale may omit it


@pytest.mark.parametrize("field", ["fe_grams", "grams_concentration", "net_weight_grams", "thc_grams", "volume_ml"])
def test_an_amount_times_quantity_must_be_finite(field: str) -> None:
    # 1e308 g is finite, but 1e10 of them are not: such a line could never be added up, so it is refused here.
    with pytest.raises(InvalidLineError) as info:
        CartLine(line_id="big", category="Flower", quantity=1e10, **{field: 1e308})
    assert info.value.field == f"line 'big' {field}" and "finite" in info.value.reason
    assert CartLine(line_id="ok", category="Flower", quantity=1e10, **{field: 1e290}).quantity == 1e10


def test_customer_attributes() -> None:
    c = Customer(customer_type="med", birth_date=dt.date(2003, 5, 2), exemptions=[" Terminally_Ill "])
    assert c.age_on(dt.date(2024, 5, 1)) == 20 and c.age_on(dt.date(2024, 5, 2)) == 21
    assert c.has_exemption("terminally_ill")
    assert Customer(customer_type="rec").age_on(dt.date(2024, 1, 1)) is None
    with pytest.raises(InvalidValueError):
        Customer(customer_type="rec", override_limit="x")
    with pytest.raises(InvalidQuantityError):
        Customer(customer_type="rec", allotment_override="-3 g")
    with pytest.raises(InvalidValueError):
        Customer(customer_type="rec", resident="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Customer(customer_type="rec", birth_date=dt.datetime(2000, 1, 1))
    assert Customer(customer_type="rec", allotment_override="1 oz").override_grams == 28.349523125


def test_wrongly_typed_fields_are_library_errors_naming_them() -> None:
    line = CartLine(line_id="h", category="Flower", fe_grams=1.0)
    at = dt.datetime(2024, 1, 1, tzinfo=UTC)
    cases = [
        ("line", lambda: PastLine(line={"line_id": "h"}, sold_at=at)),  # type: ignore[arg-type]
        ("transaction_id", lambda: PastLine(line=line, sold_at=at, transaction_id=7)),  # type: ignore[arg-type]
        ("kind", lambda: PastLine(line=line, sold_at=at, kind="return")),  # type: ignore[arg-type]
        ("customer_id", lambda: Customer(customer_type="rec", customer_id=42)),  # type: ignore[arg-type]
        ("exemptions", lambda: Customer(customer_type="rec", exemptions=None)),  # type: ignore[arg-type]
        ("exemptions", lambda: Customer(customer_type="rec", exemptions=5)),  # type: ignore[arg-type]
        ("exemptions", lambda: Customer(customer_type="rec", exemptions={"terminally_ill": 1})),  # type: ignore[arg-type]
        (
            "override_limit",
            lambda: Customer(customer_type="rec", allotment_override="1 g", override_limit=5),  # type: ignore[arg-type]
        ),
        ("override_limit", lambda: Customer(customer_type="rec", allotment_override="1 g", override_limit=" ")),
    ]
    for field, build in cases:
        with pytest.raises(InvalidValueError) as info:
            build()
        assert info.value.field == field
