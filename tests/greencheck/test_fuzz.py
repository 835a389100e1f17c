"""Arbitrary JSON into every registered vendor: a result or a library error naming the vendor, nothing else.

Two strategies: fully arbitrary JSON (any shape at all, records that are lists or numbers included), and
vendor-shaped records, whose keys are the fields the vendor really reads, holding garbage values. The second finds
far more, because arbitrary keys almost never hit a field a chain reads.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fe_compliance.greencheck import VendorError, extract_grams, extract_many, get_vendor, vendors
from fe_compliance.greencheck.fields import Record

from .common import assert_library_outcome

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["g", "Grams", "mg", "%", "each", "Each", "oz", "EIGHTH", "CUSTOM_GRAMS", "grams", "units",
                       "thc", "Edibles", "1,000", "3,5", "-2", "nan", "1e400", "", " "])
)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def _shaped(vendor: str, record: Record) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts holding the vendor's own fields (nested paths built out) with arbitrary values."""
    paths = sorted({path for rec, path in get_vendor(vendor).fields_read() if rec is record})
    if not paths:
        return st.just({})

    def build(values: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path, value in values.items():
            keys = path.split(".")
            target = out
            for key in keys[:-1]:
                nxt = target.get(key)
                if not isinstance(nxt, dict):
                    nxt = target[key] = {}
                target = nxt
            target[keys[-1]] = value
        return out

    value = JSON | st.lists(st.dictionaries(st.sampled_from(["name", "upperRange", "lowerRange", "unitOfMeasure"]),
                                            SCALARS, max_size=4), max_size=3)
    return st.dictionaries(st.sampled_from(paths), value, max_size=len(paths)).map(build)


VENDORS = vendors()


@pytest.mark.parametrize("vendor", VENDORS)
@given(product=JSON, sale_line=JSON)
def test_arbitrary_json(vendor: str, product: Any, sale_line: Any) -> None:
    assert_library_outcome(vendor, product, sale_line)


@pytest.mark.parametrize("vendor", VENDORS)
@given(data=st.data())
def test_vendor_shaped_garbage(vendor: str, data: st.DataObject) -> None:
    product = data.draw(_shaped(vendor, Record.PRODUCT), label="product")
    sale_line = data.draw(_shaped(vendor, Record.SALE_LINE), label="sale_line")
    convention = data.draw(st.sampled_from(["trade", "avoirdupois"]), label="tier_convention")
    outcome = assert_library_outcome(vendor, product, sale_line, tier_convention=convention)
    bulk = extract_many(vendor, [(product, sale_line)], tier_convention=convention)
    if isinstance(outcome, VendorError):
        assert type(bulk[0].error) is type(outcome)
    else:
        assert bulk[0].grams == outcome.grams_value
        assert math.isfinite(outcome.grams_value)


@pytest.mark.parametrize("vendor", VENDORS)
def test_none_records_give_a_library_error(vendor: str) -> None:
    with pytest.raises(VendorError):
        extract_grams(vendor)
