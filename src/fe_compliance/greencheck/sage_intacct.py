"""Sage Intacct: a wholesale (accounting) integration, where gram extraction does not apply (seed 003, "Sage Intacct").

Green Check connects Sage Intacct for wholesale operators: its records are invoices and sales receipts between
licensed businesses, not retail sales to a customer, so no purchase limit applies to them and the seed lists the
integration as "Not Applicable". Every extraction therefore raises
:class:`~fe_compliance.greencheck.errors.NotApplicableError` (a :class:`~fe_compliance.greencheck.errors.VendorError`),
which says so plainly rather than answering zero grams or "no grams found": zero would read as "nothing sold", and
"no grams" would suggest a missing field the caller could fill in.
"""

from __future__ import annotations

from ..explain import Rule
from .fields import Record
from .vendor import VendorSpec

__all__ = ["VENDOR"]

VENDOR = VendorSpec(
    slug="sage_intacct",
    name="Sage Intacct",
    rule=Rule(
        code="greencheck.sage_intacct",
        summary="Sage Intacct is a wholesale integration: gram extraction is not applicable",
        source="003_52e340b70ce4c404.txt",
        section="Sage Intacct",
    ),
    summary=(
        "Sage Intacct is connected for wholesale businesses. Its invoices record sales between licensees, which no "
        "retail purchase limit covers, so the seed marks the integration as not applicable and there is no chain: "
        "every extraction raises NotApplicableError, never zero grams."
    ),
    records={
        Record.PRODUCT: "a Sage Intacct item (not read)",
        Record.SALE_LINE: "a line of a Sage Intacct sales invoice or order (not read)",
    },
    fields=(),
    steps=(),
    decisions=(
        "No field of a Sage Intacct record is read: the seed says the integration is not applicable, so the library "
        "does not invent a chain for it (an item's quantity or an invoice amount is not a weight of cannabis).",
        "The answer is an error, NotApplicableError, not zero grams: zero would tell a limit check that nothing was "
        "sold, and NoGramsError would suggest that a missing field could be filled in. The bulk path gives every "
        "line that same error.",
    ),
    not_applicable=(
        "Sage Intacct is a wholesale (accounting) integration; its invoices are sales between licensed businesses, "
        "not retail sales, so no purchase limit and no grams apply"
    ),
)
