"""Sage Intacct: a wholesale integration; every extraction is a clear NotApplicableError, never grams."""

from __future__ import annotations

from typing import Any

import pytest

from fe_compliance.errors import FEComplianceError
from fe_compliance.greencheck import NoGramsError, NotApplicableError, VendorError, extract_grams, extract_many

from .common import VendorTestBase

VENDOR = "sage_intacct"
# Records that would give grams for a retail vendor: not applicable all the same.
INVOICE_LINE = {"QUANTITY": 10, "PRICE": 25.0, "quantity": 2, "weight": 3.5, "unitWeight": 3.5, "unitWeightUnit": "g"}
ITEM = {"ITEMID": "BD-35", "ITEMTYPE": "Inventory", "productGrams": 3.5, "UnitWeight": 3.5}


class TestSageIntacct(VendorTestBase):
    vendor = VENDOR

    @pytest.mark.parametrize(("product", "sale_line"), [
        (ITEM, INVOICE_LINE), ({}, {}), (None, None), ("not a record", 42), ({"a": float("nan")}, {"b": [1, {}]}),
    ])
    def test_every_record_is_not_applicable(self, product: Any, sale_line: Any) -> None:
        with pytest.raises(NotApplicableError) as caught:
            extract_grams(VENDOR, product=product, sale_line=sale_line)
        error = caught.value
        assert isinstance(error, VendorError) and isinstance(error, FEComplianceError)
        assert not isinstance(error, NoGramsError)
        assert error.vendor == VENDOR and error.field == "vendor" and error.value == VENDOR
        assert str(error).startswith("sage_intacct: vendor: gram extraction is not applicable: ")
        assert "wholesale" in error.reason

    def test_bulk_gives_every_line_the_same_error(self) -> None:
        bulk = extract_many(VENDOR, [(ITEM, INVOICE_LINE), ({}, {}), "junk"])
        assert bulk.grams == [None, None, None]
        assert set(bulk.errors) == {0, 1, 2}
        assert all(isinstance(error, NotApplicableError) for error in bulk.errors.values())

    def test_spec_has_no_chain_and_reads_nothing(self) -> None:
        assert self.spec.steps == () and self.spec.fields == () and self.spec.quantity is None
        assert self.spec.not_applicable is not None and "wholesale" in self.spec.not_applicable
        assert self.spec.fields_read() == ()

    def test_slug_spellings(self) -> None:
        with pytest.raises(NotApplicableError):
            extract_grams(" Sage-Intacct ", product={}, sale_line={})
