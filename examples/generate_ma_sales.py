"""Generate ``ma_sales_2024.csv`` and ``ma_customers.csv``: a year of a Massachusetts store's sales, for the audit.

    python examples/generate_ma_sales.py            # rewrites both files beside this script (deterministic)

About a hundred customers, adult-use and medical, buying through 2024 (both DST changes crossed): adult-use lines by
package-level FE (some edibles without one, counted from their THC by the pack's 500 mg = 1 oz equivalent),
medical lines by Metrc category and grams/concentration (MassCIP). Ordinary traffic stays under every limit by
construction (adult-use: at most one visit and 14 g FE a day; medical: a visit a week at most, 7 g MassCIP each).
Returns, a void, an exempt patient and an allotment override show the semantics. The planted violations are listed
in ``PLANTED`` below, as (transaction id, limit code): ``tests/audit/test_example.py`` runs the README's command and
checks that the audit finds exactly these.

The Massachusetts pack has one rule period (from 2018-11-20), so no rule-change date can be crossed in an MA export;
rule changes are exercised by the audit's property test (Colorado 2022-01-01, Nevada 2024-01-01, a test pack).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ZONE = ZoneInfo("America/New_York")
YEAR_START = dt.date(2024, 1, 2)
DAYS = 360
COLUMNS = (
    "sold_at", "customer_id", "transaction_id", "line_id", "kind", "of_transaction", "customer_type", "category",
    "metrc_category", "quantity", "fe_grams", "grams_concentration", "thc_grams",
)

PLANTED: tuple[tuple[str, str], ...] = (
    # adult-use: 20 g of flower, then 10 g more the same day (1 oz per calendar day, confirmed)
    ("T-PLANT-R1-B", "ma_rec_daily"),
    # adult-use: one cart of 30 g FE (two ounces' worth of pre-packed flower and an edible)
    ("T-PLANT-R2", "ma_rec_daily"),
    # adult-use: a return the next day gives nothing back to the day already over
    ("T-PLANT-R3-B", "ma_rec_daily"),
    # medical: 70 g on days 0, 15, 30, 45 and 59: the fifth purchase takes the 60-day total to 350 g (> 10 oz),
    # while no 14 days hold more than 70 g
    ("T-PLANT-M1-5", "ma_med_60_day"),
    # medical: 80 g of flower in one visit: over the 2.5 oz fourteen-day figure (advisory only)
    ("T-PLANT-M2", "ma_med_14_day"),
    # medical: 14 g of concentrate (x5.3 = 74.2 g MassCIP) after 10 g of flower 3 days before (advisory)
    ("T-PLANT-M3-B", "ma_med_14_day"),
)


def _at(day: int, minute: int) -> dt.datetime:
    date = YEAR_START + dt.timedelta(days=day)
    return dt.datetime(date.year, date.month, date.day, 10, 0, tzinfo=ZONE) + dt.timedelta(minutes=minute)


class _Export:
    def __init__(self) -> None:
        self.rows: list[tuple[dt.datetime, int, dict[str, str]]] = []

    def add(self, at: dt.datetime, **fields: object) -> None:
        row = {c: "" for c in COLUMNS}
        row.update({k: str(v) for k, v in fields.items()})
        row["sold_at"] = at.isoformat()
        self.rows.append((at, len(self.rows), row))

    def sale(self, at: dt.datetime, customer: str, ctype: str, txn: str, lines: list[dict[str, object]]) -> None:
        for n, line in enumerate(lines, start=1):
            self.add(at, customer_id=customer, transaction_id=txn, line_id=str(n), kind="sale",
                     customer_type=ctype, **line)


def _rec_line(rng: random.Random, budget: float) -> tuple[dict[str, object], float]:
    choice = rng.random()
    if choice < 0.6:
        grams = rng.choice((1.0, 3.5, 3.5, 7.0))
        return {"category": "Flower", "quantity": 1, "fe_grams": grams}, grams
    if choice < 0.8:
        fe = 5.669904625  # 100 mg THC edible: 100/500 of an ounce
        return {"category": "Solid Edible", "quantity": 1, "fe_grams": fe}, fe
    if choice < 0.9:  # an edible without a package FE: the pack's 500 mg = 1 oz equivalent counts its THC
        return {"category": "Solid Edible", "quantity": 1, "thc_grams": 0.05}, 0.05 / 0.5 * 28.349523125
    return {"category": "Concentrate", "quantity": 1, "fe_grams": 5.669904625}, 5.669904625


def _med_line(rng: random.Random) -> dict[str, object]:
    choice = rng.random()
    if choice < 0.6:
        return {"category": "Flower", "metrc_category": "Buds", "quantity": 1, "grams_concentration": 3.5}
    if choice < 0.8:
        return {"category": "Concentrate", "metrc_category": "Concentrate", "quantity": 1, "grams_concentration": 0.5}
    return {"category": "Solid Edible", "metrc_category": "Infused", "quantity": 2, "grams_concentration": 0.1}


def generate(seed: int = 2024) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rng = random.Random(seed)
    export = _Export()
    customers: list[dict[str, str]] = []
    txn = 0

    # ordinary adult-use traffic: at most one visit a day, under 14 g FE
    for c in range(60):
        cid = f"R{c:03d}"
        customers.append({"customer_id": cid, "customer_type": "recreational"})
        for day in sorted(rng.sample(range(DAYS), rng.randint(8, 40))):
            lines, total = [], 0.0
            for _ in range(rng.randint(1, 3)):
                line, fe = _rec_line(rng, 14.0 - total)
                if total + fe > 14.0:
                    break
                lines.append(line)
                total += fe
            if not lines:
                continue
            txn += 1
            at = _at(day, rng.randint(0, 600))
            export.sale(at, cid, "recreational", f"T{txn:05d}", lines)
            if rng.random() < 0.04:  # a partial return a few days later
                export.add(at + dt.timedelta(days=rng.randint(1, 5)), customer_id=cid, transaction_id=f"RT{txn:05d}",
                           line_id="1", kind="return", of_transaction=f"T{txn:05d}", customer_type="recreational",
                           **lines[0])

    # ordinary medical traffic: a visit a week at most, each at most 7 g counted as MassCIP counts
    for c in range(40):
        cid = f"M{c:03d}"
        cert = YEAR_START - dt.timedelta(days=rng.randint(10, 300))
        customers.append({"customer_id": cid, "customer_type": "medical", "certification_date": cert.isoformat()})
        day = rng.randint(0, 20)
        while day < DAYS:
            txn += 1
            export.sale(_at(day, rng.randint(0, 600)), cid, "medical", f"T{txn:05d}",
                        [_med_line(rng) for _ in range(rng.randint(1, 2))])
            day += rng.randint(7, 30)

    flower = {"category": "Flower", "quantity": 1}
    # planted: adult-use
    customers += [{"customer_id": f"R-PLANT-{n}", "customer_type": "recreational"} for n in (1, 2, 3, 4, 5)]
    export.sale(_at(40, 0), "R-PLANT-1", "recreational", "T-PLANT-R1-A", [{**flower, "fe_grams": 20}])
    export.sale(_at(40, 120), "R-PLANT-1", "recreational", "T-PLANT-R1-B", [{**flower, "fe_grams": 10}])
    export.sale(_at(75, 30), "R-PLANT-2", "recreational", "T-PLANT-R2",
                [{**flower, "fe_grams": 7, "quantity": 3}, {"category": "Solid Edible", "quantity": 1, "fe_grams": 9}])
    export.sale(_at(130, 0), "R-PLANT-3", "recreational", "T-PLANT-R3-A", [{**flower, "fe_grams": 20}])
    export.sale(_at(130, 60), "R-PLANT-3", "recreational", "T-PLANT-R3-B", [{**flower, "fe_grams": 14}])
    export.add(_at(131, 0), customer_id="R-PLANT-3", transaction_id="RT-PLANT-R3", line_id="1", kind="return",
               of_transaction="T-PLANT-R3-A", customer_type="recreational", **flower, fe_grams=20)
    # a return that does make room: 25 g, 20 g returned, 20 g more the same day (no violation)
    export.sale(_at(200, 0), "R-PLANT-4", "recreational", "T-RET-A", [{**flower, "fe_grams": 25}])
    export.add(_at(200, 30), customer_id="R-PLANT-4", transaction_id="RT-RET", line_id="1", kind="return",
               of_transaction="T-RET-A", customer_type="recreational", **flower, fe_grams=20)
    export.sale(_at(200, 60), "R-PLANT-4", "recreational", "T-RET-B", [{**flower, "fe_grams": 20}])
    # a void: 25 g voided, then 25 g the same day (no violation)
    export.sale(_at(250, 0), "R-PLANT-5", "recreational", "T-VOID-A", [{**flower, "fe_grams": 25}])
    export.add(_at(250, 5), customer_id="R-PLANT-5", transaction_id="V-VOID", kind="void",
               of_transaction="T-VOID-A", customer_type="recreational")
    export.sale(_at(250, 30), "R-PLANT-5", "recreational", "T-VOID-B", [{**flower, "fe_grams": 25}])

    # planted: medical
    buds = {"category": "Flower", "metrc_category": "Buds", "quantity": 1}
    for cid in ("M-PLANT-1", "M-PLANT-2", "M-PLANT-3"):
        customers.append({"customer_id": cid, "customer_type": "medical", "certification_date": "2023-09-01"})
    for n, day in enumerate((100, 115, 130, 145, 159), start=1):
        export.sale(_at(day, 0), "M-PLANT-1", "medical", f"T-PLANT-M1-{n}", [{**buds, "grams_concentration": 70}])
    export.sale(_at(220, 0), "M-PLANT-2", "medical", "T-PLANT-M2", [{**buds, "grams_concentration": 80}])
    export.sale(_at(300, 0), "M-PLANT-3", "medical", "T-PLANT-M3-A", [{**buds, "grams_concentration": 10}])
    export.sale(_at(303, 0), "M-PLANT-3", "medical", "T-PLANT-M3-B",
                [{"category": "Concentrate", "metrc_category": "Concentrate", "quantity": 1,
                  "grams_concentration": 14}])
    # an exempt patient buying a pound over the year in big visits, and an allotment override: no violations
    customers.append({"customer_id": "M-EXEMPT", "customer_type": "medical", "certification_date": "2023-05-01",
                      "exemptions": "sales_limit_exemption"})
    for n, day in enumerate(range(10, 350, 40)):
        export.sale(_at(day, 200), "M-EXEMPT", "medical", f"T-EXEMPT-{n}", [{**buds, "grams_concentration": 100}])
    customers.append({"customer_id": "M-OVERRIDE", "customer_type": "medical", "certification_date": "2023-05-01",
                      "allotment_override": "15 oz", "override_limit": "ma_med_60_day"})
    for n, day in enumerate(range(5, 350, 15)):
        export.sale(_at(day, 300), "M-OVERRIDE", "medical", f"T-OVR-{n}", [{**buds, "grams_concentration": 70}])

    export.rows.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in export.rows], customers


def main() -> None:
    rows, customers = generate()
    with (HERE / "ma_sales_2024.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    fields = ("customer_id", "customer_type", "certification_date", "exemptions", "allotment_override",
              "override_limit")
    with (HERE / "ma_customers.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(customers)
    print(f"wrote {len(rows)} sales rows and {len(customers)} customers; planted violations: {len(PLANTED)}")


if __name__ == "__main__":
    main()
