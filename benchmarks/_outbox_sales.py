"""Sales for the outbox benchmarks: one line each, the same shape as a small dispensary receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fe_compliance.tracktrace.models import Sale, SaleLine

__all__ = ["make_sales"]


def make_sales(prefix: str, count: int) -> list[Sale]:
    sold_at = dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.UTC)
    return [
        Sale(
            external_receipt_number=f"{prefix}-{n:06d}",
            sold_at=sold_at,
            customer_type="Consumer",
            lines=(SaleLine("1A4000000000000000001234", 3.5, "Grams", Decimal("35.00")),),
        )
        for n in range(count)
    ]
