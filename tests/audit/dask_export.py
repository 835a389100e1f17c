"""A generated multi-file, multi-state sales export for the Dask path's test and the ``audit_dask_scaling`` benchmark.

Per state, a few stores each write their own file (CSV, CSV, gzip JSON lines), every file in sale-time order; the
customers shop at every store, so a customer's sales are spread over the files. Adult-use and medical customers,
carts of one to three lines, returns of single lines a few days later, a void on the same day, the odd cart big
enough to break a limit, a bad amount and a return of a sale that is not in the export. Colorado crosses its
2022-01-01 rule change and Nevada its 2024-01-01 one (both in ``fe_compliance.states``); the audit takes one state
at a time, so the test and the benchmark audit each state's files on their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import random
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

COLUMNS = (
    "sold_at", "customer_id", "transaction_id", "line_id", "kind", "of_transaction", "customer_type", "category",
    "metrc_category", "quantity", "fe_grams", "grams_concentration", "net_weight_grams", "thc_grams",
)
# state -> (store time zone, first day, first day of medical sales): CO and NV start a month before their rule
# changes; the CO pack models medical limits only from 2022-01-01 (HB21-1317), so its patients buy from then on
STATES: dict[str, tuple[str, dt.date, dt.date]] = {
    "MA": ("America/New_York", dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
    "CO": ("America/Denver", dt.date(2021, 12, 1), dt.date(2022, 1, 1)),
    "NV": ("America/Los_Angeles", dt.date(2023, 12, 1), dt.date(2023, 12, 1)),
}
# category, Metrc category, FE grams, grams/concentration, net weight grams, THC grams (per unit)
PRODUCTS = (
    ("Flower", "Buds", 3.5, 3.5, 3.5, 0.7),
    ("Flower", "Buds", 7.0, 7.0, 7.0, 1.4),
    ("Flower", "Shake/Trim", 14.0, 14.0, 14.0, 2.5),
    ("Concentrate", "Concentrate", 5.0, 1.0, 1.0, 0.8),
    ("Solid Edible", "Infused", 5.669904625, 0.1, 50.0, 0.1),
)
STORES = ("store-a.csv", "store-b.csv", "store-c.jsonl.gz")


def _customers(state: str, count: int, rng: random.Random) -> list[dict[str, str]]:
    out = []
    for n in range(count):
        medical = n % 3 == 0
        age = rng.choice((19, 25, 40, 67))
        out.append({
            "customer_id": f"{state}-C{n:04d}",
            "customer_type": "medical" if medical else "recreational",
            "resident": rng.choice(("true", "true", "false")),
            "caregiver": "false",
            "birth_date": dt.date(2000 + 24 - age, 1 + n % 12, 1 + n % 28).isoformat(),
        })
    return out


def generate(folder: Path, state: str, *, days: int, customers: int, seed: int = 16) -> tuple[list[Path], Path]:
    """Write one state's store files and customers file into ``folder``; returns (export files, customers file)."""
    zone_name, start, medical_from = STATES[state]
    zone = ZoneInfo(zone_name)
    rng = random.Random(f"{seed}-{state}")
    people = _customers(state, customers, rng)
    events: list[tuple[dt.datetime, int, dict[str, Any]]] = []
    txn = 0
    seq = 0
    for day_n in range(days):
        day = start + dt.timedelta(days=day_n)
        for person in people:
            if rng.random() > 0.3 or (person["customer_type"] == "medical" and day < medical_from):
                continue
            txn += 1
            tid = f"{state}-T{txn:06d}"
            at = dt.datetime.combine(day, dt.time(9 + rng.randrange(11), rng.randrange(60)), zone)
            store = rng.randrange(len(STORES))
            big = rng.random() < 0.04
            lines = []
            for line_n in range(1, 2 + rng.randrange(3)):
                product = PRODUCTS[2 if big else rng.randrange(len(PRODUCTS))]
                quantity = 2 if big else 1
                lines.append((str(line_n), product, quantity))
            for line_id, product, quantity in lines:
                seq += 1
                row = _row(at, person, tid, line_id, "sale", "", product, quantity)
                if rng.random() < 0.003:
                    row["fe_grams"] = "lots"  # a bad amount: a bad row in both paths
                events.append((at, seq, {"store": store, **row}))
            roll = rng.random()
            if roll < 0.05:  # a return of the first line, one to nine days later, at any store
                line_id, product, quantity = lines[0]
                back = at + dt.timedelta(days=1 + rng.randrange(9), minutes=rng.randrange(120))
                seq += 1
                events.append((back, seq, {"store": rng.randrange(len(STORES)),
                                           **_row(back, person, f"{tid}-R", line_id, "return", tid, product, 1)}))
            elif roll < 0.065:  # voided at the same store within the hour
                void_at = at + dt.timedelta(minutes=1 + rng.randrange(50))
                seq += 1
                row = _row(void_at, person, f"{tid}-V", "", "void", tid, None, 0)
                events.append((void_at, seq, {"store": store, **row}))
    # a return of a sale the export does not hold
    person = people[1]
    late = dt.datetime.combine(start + dt.timedelta(days=days - 1), dt.time(20, 30), zone)
    events.append((late, seq + 1, {"store": 0, **_row(late, person, "X-R", "1", "return", "X-NOT-HERE",
                                                       PRODUCTS[0], 1)}))
    events.sort(key=lambda e: (e[0].timestamp(), e[1]))
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{state.lower()}-{name}" for name in STORES]
    handles = []
    writers: list[Any] = []
    for path in paths:
        if path.name.endswith(".gz"):
            handle: Any = gzip.open(path, "wt", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
            writers.append(None)
        else:
            handle = path.open("w", encoding="utf-8", newline="")
            writer = csv.DictWriter(handle, COLUMNS)
            writer.writeheader()
            writers.append(writer)
        handles.append(handle)
    for _at, _seq, event in events:
        store = event.pop("store")
        if writers[store] is None:
            handles[store].write(json.dumps({k: v for k, v in event.items() if v != ""}) + "\n")
        else:
            writers[store].writerow(event)
    for handle in handles:
        handle.close()
    customers_path = folder / f"{state.lower()}-customers.csv"
    with customers_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ("customer_id", "customer_type", "resident", "caregiver", "birth_date"))
        writer.writeheader()
        writer.writerows(people)
    return paths, customers_path


def _row(at: dt.datetime, person: dict[str, str], tid: str, line_id: str, kind: str, of: str,
         product: tuple[Any, ...] | None, quantity: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "sold_at": at.isoformat(), "customer_id": person["customer_id"], "transaction_id": tid, "line_id": line_id,
        "kind": kind, "of_transaction": of, "customer_type": person["customer_type"],
        "category": "", "metrc_category": "", "quantity": "", "fe_grams": "", "grams_concentration": "",
        "net_weight_grams": "", "thc_grams": "",
    }
    if product is not None:
        category, metrc, fe, gc, nw, thc = product
        row.update(category=category, metrc_category=metrc, quantity=str(quantity), fe_grams=str(fe),
                   grams_concentration=str(gc), net_weight_grams=str(nw), thc_grams=str(thc))
    return row
