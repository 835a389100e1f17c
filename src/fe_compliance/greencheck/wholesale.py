"""Wholesale (accounting) integrations, where gram extraction does not apply (seed 003: QuickBooks, Sage Intacct).

Green Check connects accounting systems for wholesale operators: their records are invoices and sales receipts
between licensed businesses, not retail sales to a customer, so no purchase limit applies to them and the seed
lists each such integration as "Not Applicable". :func:`wholesale_integration` builds the
:class:`~fe_compliance.greencheck.vendor.VendorSpec` of one: it has no chain, and every extraction raises
:class:`~fe_compliance.greencheck.errors.NotApplicableError` (a :class:`~fe_compliance.greencheck.errors.VendorError`),
which says so plainly rather than answering zero grams or "no grams found": zero would read as "nothing sold", and
"no grams" would suggest a missing field the caller could fill in.
"""

from __future__ import annotations

from .fields import Record
from .vendor import VendorSpec, seed_rule

__all__ = ["wholesale_integration"]


def wholesale_integration(*, slug: str, name: str, section: str, line: str) -> VendorSpec:
    """The spec of a wholesale integration: ``slug`` and ``name`` as everywhere, ``section`` the seed's heading,
    ``line`` what one line of its sales documents is (for the page's Records section)."""
    return VendorSpec(
        slug=slug,
        name=name,
        rule=seed_rule(slug, section, f"{name} is a wholesale integration: gram extraction is not applicable"),
        summary=(
            f"{name} is connected for wholesale businesses. Its invoices record sales between licensees, which no "
            "retail purchase limit covers, so the seed marks the integration as not applicable and there is no "
            "chain: every extraction raises NotApplicableError, never zero grams."
        ),
        records={
            Record.PRODUCT: f"a {name} item (not read)",
            Record.SALE_LINE: f"a line of a {name} {line} (not read)",
        },
        fields=(),
        steps=(),
        decisions=(
            f"No field of a {name} record is read: the seed says the integration is not applicable, so the library "
            "does not invent a chain for it (an item's quantity or an invoice amount is not a weight of cannabis).",
            "The answer is an error, NotApplicableError, not zero grams: zero would tell a limit check that nothing "
            "was sold, and NoGramsError would suggest that a missing field could be filled in. The bulk path gives "
            "every line that same error.",
        ),
        not_applicable=(
            f"{name} is a wholesale (accounting) integration; its invoices are sales between licensed businesses, "
            "not retail sales, so no purchase limit and no grams apply"
        ),
    )
