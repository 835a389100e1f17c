"""apply_to_inventory_1m: "Apply to Inventory" over a million packages through the bulk path (issue 2).

Rows are what a POS hands over: (package id, based-on grams as a float). The library path is
``FlowerEquivalencyEngine.apply_to_inventory_bulk``, which checks permissions, looks the definition up, validates
the whole column (types, NaN, infinity, negatives) and returns the new (id, FE grams) pairs. The baseline is the
hand-written loop a developer would write for the same pairs, with no validation at all: a list comprehension
multiplying by the ratio. Both outputs are checked to be equal.
"""

from __future__ import annotations

import random
from typing import Any

from fe_compliance import (
    BasedOn,
    CustomerType,
    DefinitionSet,
    FlowerEquivalencyDefinition,
    FlowerEquivalencyEngine,
    User,
)

from ._timing import compare, progress

NAME = "apply_to_inventory_1m"


def run(quick: bool) -> dict[str, Any]:
    size = 50_000 if quick else 1_000_000
    definition = FlowerEquivalencyDefinition(
        purchase_limit_category="Solid Edible", customer_type=CustomerType.ALL,
        based_on=BasedOn.GRAMS_CONCENTRATION, category_amount="16 oz", equivalent_flower_amount="1 oz",
    )
    engine = FlowerEquivalencyEngine(DefinitionSet((definition,)))
    admin = User.with_all_permissions("bench")
    generator = random.Random(2)
    rows = [(f"PKG-{i:07d}", generator.uniform(0.0, 100.0)) for i in range(size)]
    progress(f"{NAME}: {size:,} rows")

    def library() -> list[tuple[object, float]]:
        return engine.apply_to_inventory_bulk("Solid Edible", "all", rows, by=admin).pairs

    def baseline() -> list[tuple[object, float]]:
        ratio = 28.349523125 / (16 * 28.349523125)
        return [(package_id, grams * ratio) for package_id, grams in rows]

    library_s, baseline_s, library_out, baseline_out = compare(library, baseline, repeats=5)
    if library_out != baseline_out:
        raise AssertionError("library and baseline pairs differ")
    return {
        "name": NAME,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "baseline": "hand-written list comprehension producing the same (id, fe) pairs, without validation",
        "value": size / library_s / 1e6,
        "unit": "M rows/s",
        "extra": {"rows": size},
    }
