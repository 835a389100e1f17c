"""greencheck_extract_1m: one million sale lines through the bulk gram-extraction path.

A third each for Dutchie, Flowhub and Blaze, drawn from pools of line shapes that cover every branch of their
chains (every step taken, with the fallbacks before it skipped; Dutchie in both of its shapes, the reporting API's
camelCase numbers and the register API's PascalCase values with their unit inside, "28.35 g"). The library side is
``fe_compliance.greencheck.extract_many``, which validates every value it reads (finite, non-negative, not a bool,
unit through the one spelling table) and stores per-line errors. The baseline is the same three chains written
by hand as plain ``dict.get`` look-ups with a unit-factor dict and no validation, returning the same floats: both
outputs are checked equal, line by line, before anything is reported.

    python -c "import benchmarks.bench_greencheck as b; print(b.run(False))"
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from fe_compliance.greencheck import extract_many
from fe_compliance.units import GRAMS_PER_OUNCE

NAME = "greencheck_extract_1m"

Line = tuple[dict[str, Any], dict[str, Any]]

_POOL = 4000


# ------------------------------------------------------------------------------------------------------ data


def _dutchie(rng: random.Random) -> Line:
    branch = rng.randrange(9)
    quantity = rng.choice([1, 1, 2, 3, 0.5, 3.5])
    if branch == 5:  # register API (PascalCase): THC with its unit in the value
        return ({"ThcContent": rng.choice(["10 mg", "100mg", "0.25 g"])}, {"Quantity": quantity})
    if branch == 6:  # register API: THC percentage -> ProductGrams with its unit in the value
        return ({"ThcContent": "22.5%", "ProductGrams": rng.choice(["28.35 g", "3.5g", "1000 mg", "7"])},
                {"Quantity": quantity})
    if branch == 7:  # register API: item weight on the sale
        return ({}, {"UnitWeight": rng.choice(["3.5 g", "1 oz"]), "Quantity": quantity})
    if branch == 8:  # register API: flower equivalent with its unit field
        return ({}, {"FlowerEquivalent": rng.choice([1, 2.5]), "FlowerEquivalentUnit": "g", "Quantity": quantity})
    if branch == 0:  # THC in a weight unit
        return ({"thcContent": rng.choice([5, 10, 100, 250]), "thcContentUnit": rng.choice(["mg", "Milligrams", "g"]),
                 "productGrams": 3.5}, {"quantity": quantity})
    if branch == 1:  # THC percentage -> productGrams
        return ({"thcContent": rng.uniform(10, 30), "thcContentUnit": "%", "productGrams": rng.choice([1, 3.5, 7])},
                {"quantity": quantity})
    if branch == 2:  # no THC -> productGrams
        return ({"thcContent": None, "productGrams": rng.choice([0.5, 1, 3.5])}, {"quantity": quantity})
    if branch == 3:  # -> sale unit weight
        return ({"productGrams": None},
                {"unitWeight": rng.choice([1, 3.5, 500]), "unitWeightUnit": rng.choice(["g", "Grams", "mg", "oz"]),
                 "quantity": quantity})
    return ({}, {"unitWeight": None, "flowerEquivalent": rng.choice([1, 2.5]), "flowerEquivalentUnit": "g",
                 "quantity": quantity})


def _flowhub(rng: random.Random) -> Line:
    branch = rng.randrange(5)
    quantity = rng.choice([1, 2, 3.5])
    if branch == 0:  # edible THC mg
        return ({"category": "Edibles", "productUnitOfMeasure": "each", "productWeight": 15,
                 "cannabinoidInformation": [{"name": "cbd", "unitOfMeasure": "mg", "upperRange": 5},
                                            {"name": "thc", "unitOfMeasure": "mg", "upperRange": rng.choice([10, 100]),
                                             "lowerRange": 10}]},
                {"quantity": quantity, "unitOfWeight": "Each"})
    if branch == 1:  # Each product, THC lower range only
        return ({"category": "Vapes", "productUnitOfMeasure": "grams",
                 "cannabinoidInformation": [{"name": "thc", "unitOfMeasure": "mg", "lowerRange": 450}]},
                {"quantity": quantity, "unitOfWeight": "Each"})
    if branch == 2:  # edible with THC % -> product weight
        return ({"category": "Edibles", "productWeight": rng.choice([10, 15, 50]),
                 "cannabinoidInformation": [{"name": "thc", "unitOfMeasure": "%", "upperRange": 5}]},
                {"quantity": quantity})
    if branch == 3:  # non-edible -> product weight
        return ({"category": "Flower", "productUnitOfMeasure": "grams", "productWeight": 3.5},
                {"quantity": quantity})
    return ({"category": "Flower", "productUnitOfMeasure": "grams", "productWeight": None,
             "productUnitOfMeasureToGramsMultiplier": rng.choice([1, "1", 28.35])}, {"quantity": quantity})


_BLAZE_KEYS = ("GRAM", "ONE_EIGHTTH", "QUARTER", "HALF", "OUNCE", "METRC_ONE_EIGHTH")
_BLAZE_UNITS = ("HALF_GRAM", "FULL_GRAM", "EIGHTH", "FOURTH", "HALF_OUNCE", "OUNCE")


def _blaze(rng: random.Random) -> Line:
    branch = rng.randrange(5)
    quantity = rng.choice([1, 2, 3])
    if branch == 0:  # custom grams
        return ({"category": {"unitType": "units"}, "weightPerUnit": "CUSTOM_GRAMS",
                 "customWeight": rng.choice([0.5, 2.5, 750]), "customGramType": rng.choice(["GRAM", "MILLIGRAM"])},
                {"weightKey": "UNIT", "quantity": quantity})
    if branch == 1:  # weightKey tier
        return ({"category": {"unitType": "grams"}, "weightPerUnit": "EACH"},
                {"weightKey": rng.choice(_BLAZE_KEYS), "quantity": quantity})
    if branch == 2:  # line weightPerUnit tier
        return ({"category": {"unitType": "grams"}},
                {"weightKey": "UNIT", "weightPerUnit": rng.choice(_BLAZE_UNITS), "quantity": quantity})
    if branch == 3:  # product tier
        return ({"category": {"unitType": "grams"}, "weightPerUnit": rng.choice(_BLAZE_UNITS)},
                {"quantity": quantity})
    return ({"category": {"unitType": "units"}, "weightPerUnit": "EACH", "potencyAmount": {"thc": 100, "cbd": 2}},
            {"weightKey": "UNIT", "quantity": quantity})


def make_lines(count: int, seed: int = 3) -> dict[str, list[Line]]:
    """``count`` lines, a third per vendor, cycled from pools of distinct line shapes."""
    rng = random.Random(seed)
    makers: dict[str, Callable[[random.Random], Line]] = {"dutchie": _dutchie, "flowhub": _flowhub, "blaze": _blaze}
    out: dict[str, list[Line]] = {}
    for index, (vendor, maker) in enumerate(makers.items()):
        share = count // 3 + (1 if index < count % 3 else 0)
        pool = [maker(rng) for _ in range(min(_POOL, share))]
        out[vendor] = [pool[i % len(pool)] for i in range(share)]
    return out


# -------------------------------------------------------------------------------------------------- baseline

_MASS = {"mg": 0.001, "milligrams": 0.001, "milligram": 0.001, "g": 1.0, "gram": 1.0, "grams": 1.0,
         "oz": GRAMS_PER_OUNCE, "ounce": GRAMS_PER_OUNCE, "ounces": GRAMS_PER_OUNCE}
_TRADE = {"HALF_GRAM": 0.5, "FULL_GRAM": 1.0, "GRAM": 1.0, "TWO_GRAMS": 2.0, "THREE_GRAMS": 3.0, "EIGHTH": 3.5,
          "ONE_EIGHTTH": 3.5, "FOURTH": 7.0, "QUARTER": 7.0, "HALF_OUNCE": 14.0, "HALF": 14.0, "OUNCE": 28.0,
          "POUND": 448.0, "METRC_ONE_EIGHTH": GRAMS_PER_OUNCE / 8, "METRC_QUARTER": GRAMS_PER_OUNCE / 4,
          "METRC_OUNCE": GRAMS_PER_OUNCE}


def _unit(spelling: Any) -> float | None:
    return _MASS.get(spelling.lower()) if isinstance(spelling, str) else None


_TEXT_AMOUNT = re.compile(r"\s*([0-9.]+)\s*(\S*)\s*")


def _text_grams(value: Any, unit: Any) -> float | None:
    """The register API's value: a number in ``unit``, or text with its own unit ("28.35 g")."""
    if isinstance(value, str):
        match = _TEXT_AMOUNT.fullmatch(value)
        if match is None:
            return None
        number, own = float(match[1]), match[2]
        if own:
            factor = _unit(own)
            return None if factor is None else number * factor
        value = number
    factor = _unit(unit)
    return None if factor is None or not value else value * factor


def baseline_dutchie(lines: Sequence[Line]) -> list[float | None]:
    out: list[float | None] = []
    append = out.append
    for p, s in lines:
        quantity = s.get("quantity") or s.get("Quantity")
        value = p.get("thcContent")
        if value:
            factor = _unit(p.get("thcContentUnit"))
            if factor is not None:
                append(value * factor * quantity)
                continue
        value = p.get("ThcContent")
        if value:
            grams = _text_grams(value, p.get("ThcContentUnit"))
            if grams:
                append(grams * quantity)
                continue
        value = p.get("productGrams")
        if value:
            append(value * 1.0 * quantity)
            continue
        value = p.get("ProductGrams")
        if value:
            grams = _text_grams(value, "g")
            if grams:
                append(grams * quantity)
                continue
        value = s.get("unitWeight")
        if value:
            factor = _unit(s.get("unitWeightUnit"))
            if factor is not None:
                append(value * factor * quantity)
                continue
        value = s.get("UnitWeight")
        if value:
            grams = _text_grams(value, s.get("UnitWeightUnit"))
            if grams:
                append(grams * quantity)
                continue
        value = s.get("flowerEquivalent")
        if value:
            factor = _unit(s.get("flowerEquivalentUnit"))
            if factor is not None:
                append(value * factor * quantity)
                continue
        value = s.get("FlowerEquivalent")
        if value:
            grams = _text_grams(value, s.get("FlowerEquivalentUnit"))
            if grams:
                append(grams * quantity)
                continue
        append(None)
    return out


def baseline_flowhub(lines: Sequence[Line]) -> list[float | None]:
    out: list[float | None] = []
    append = out.append
    for p, s in lines:
        category = p.get("category") or ""
        if ("edible" in category.lower() or (p.get("productUnitOfMeasure") or "").lower() == "each"
                or (s.get("unitOfWeight") or "").lower() == "each"):
            thc = None
            for item in p.get("cannabinoidInformation") or ():
                if (item.get("name") or "").lower() == "thc":
                    thc = item
                    break
            if thc is not None:
                factor = _unit(thc.get("unitOfMeasure"))
                if factor is not None:
                    value = thc.get("upperRange") or thc.get("lowerRange")
                    if value:
                        append(value * factor * s["quantity"])
                        continue
        value = p.get("productWeight")
        if value:
            append(value * 1.0 * s["quantity"])
            continue
        value = p.get("productUnitOfMeasureToGramsMultiplier")
        if value:
            append(float(value) * 1.0 * s["quantity"])
            continue
        append(None)
    return out


def baseline_blaze(lines: Sequence[Line]) -> list[float | None]:
    out: list[float | None] = []
    append = out.append
    for p, s in lines:
        custom = p.get("weightPerUnit") == "CUSTOM_GRAMS" or s.get("weightKey") == "CUSTOM"
        if custom:
            value = p.get("customWeight")
            factor = _unit(p.get("customGramType"))
            if value and factor is not None:
                append(value * factor * s["quantity"])
                continue
        unit_type = (p.get("category") or {}).get("unitType")
        if unit_type == "grams" and not custom:  # the seed: "not a 'Custom Grams' product and is weight-based"
            grams = _TRADE.get(s.get("weightKey")) or _TRADE.get(s.get("weightPerUnit")) or _TRADE.get(
                p.get("weightPerUnit"))
            if grams is not None:
                append(grams * s["quantity"])
                continue
        elif unit_type == "units":
            value = (p.get("potencyAmount") or {}).get("thc")
            if value:
                append(value * 0.001 * s["quantity"])
                continue
        append(None)
    return out


BASELINES: dict[str, Callable[[Sequence[Line]], list[float | None]]] = {
    "dutchie": baseline_dutchie, "flowhub": baseline_flowhub, "blaze": baseline_blaze,
}


# ------------------------------------------------------------------------------------------------------- run


def _library(data: dict[str, list[Line]]) -> dict[str, list[float | None]]:
    return {vendor: extract_many(vendor, lines).grams for vendor, lines in data.items()}


def _baseline(data: dict[str, list[Line]]) -> dict[str, list[float | None]]:
    return {vendor: BASELINES[vendor](lines) for vendor, lines in data.items()}


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(quick: bool) -> dict[str, Any]:
    count = 30_000 if quick else 1_000_000
    repeats = 3 if quick else 5
    print(f"{NAME}: building {count:,} lines", file=sys.stderr)
    data = make_lines(count)
    library_out = _library(data)  # warm-up, and the outputs to compare
    baseline_out = _baseline(data)
    for vendor in data:
        ours, theirs = library_out[vendor], baseline_out[vendor]
        if ours != theirs:
            bad = next(i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b)
            raise AssertionError(f"{vendor} line {bad}: library {ours[bad]!r} != baseline {theirs[bad]!r} "
                                 f"for {data[vendor][bad]!r}")
        if any(value is None for value in ours):
            raise AssertionError(f"{vendor}: a benchmark line found no grams")
    library_times: list[float] = []
    baseline_times: list[float] = []
    for repeat in range(repeats):
        library_times.append(_timed(lambda: _library(data))[0])
        baseline_times.append(_timed(lambda: _baseline(data))[0])
        print(f"{NAME}: repeat {repeat + 1}/{repeats}: library {library_times[-1]:.3f}s, "
              f"baseline {baseline_times[-1]:.3f}s", file=sys.stderr)
    library_s = statistics.median(library_times)
    baseline_s = statistics.median(baseline_times)
    return {
        "name": NAME,
        "library_s": round(library_s, 4),
        "baseline_s": round(baseline_s, 4),
        "ratio": round(library_s / baseline_s, 3),
        "baseline": ("hand-written dict.get chains for the same three vendors (unit-factor dict, no validation) "
                     "returning the same floats, checked equal line by line"),
        "value": round(count / library_s / 1e6, 3),
        "unit": "M lines/s",
        "extra": {"lines": count, "vendors": sorted(data), "repeats": repeats,
                  "baseline_m_lines_per_s": round(count / baseline_s / 1e6, 3)},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run("--quick" in sys.argv), indent=2))
