"""Sage Intacct: a wholesale integration; every extraction is a clear NotApplicableError, never grams.

The tests are those of every wholesale integration (``common.WholesaleVendorTestBase``), on Sage Intacct's own records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .common import WholesaleVendorTestBase


class TestSageIntacct(WholesaleVendorTestBase):
    vendor = "sage_intacct"
    spelling = " Sage-Intacct "
    # Records that would give grams for a retail vendor: not applicable all the same.
    item: ClassVar[Mapping[str, Any]] = {"ITEMID": "BD-35", "ITEMTYPE": "Inventory", "productGrams": 3.5,
                                          "UnitWeight": 3.5}
    invoice_line: ClassVar[Mapping[str, Any]] = {"QUANTITY": 10, "PRICE": 25.0, "quantity": 2, "weight": 3.5,
                                                  "unitWeight": 3.5, "unitWeightUnit": "g"}
