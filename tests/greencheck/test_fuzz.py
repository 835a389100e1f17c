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
from fe_compliance.greencheck.fields import FieldProblem, Record
from fe_compliance.greencheck.result import ExtractOptions, TraceLog

from .common import assert_library_outcome

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["g", "Grams", "mg", "%", "each", "Each", "oz", "EIGHTH", "CUSTOM_GRAMS", "grams", "units",
                       "thc", "Edibles", "1,000", "3,5", "-2", "nan", "1e400", "", " ", "THC Content", "Net Weight",
                       "Mass", "gram", "item", "weight", "unit", "Bulk Flower", "GRAMS", "100mg", "1-3.5 g",
                       "CUSTOM", "UNIT", "true", "false", 5e-324, 1, 3.5])
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

    # A list of objects keyed by the vendor's own inner names (Flowhub's cannabinoidInformation, Cova's
    # Specifications, Meadow's options), so list selection and the fields inside an element are reached.
    inner = sorted({path.split(".")[-1] for path in paths if "." in path}) or ["name"]
    value = JSON | st.lists(st.dictionaries(st.sampled_from(inner), SCALARS, max_size=len(inner)), max_size=3)
    return st.dictionaries(st.sampled_from(paths), value, max_size=len(paths)).map(build)


def _reference_chain(vendor: str) -> Any:
    """The chain as the steps themselves define it, with no compiler: each step gated by its own condition, in
    order, the first that gives grams wins. The generated chain must agree with it on every record."""
    spec = get_vendor(vendor)
    attempts = [(step, step.compile_gated()) for step in spec.steps]

    def run(product: Any, sale_line: Any, options: ExtractOptions) -> Any:
        for step, attempt in attempts:
            grams = attempt(product, sale_line, options, None)
            if grams is not None:
                return grams, step.source
        return None

    return run


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except FieldProblem as problem:
        return ("problem", problem.field, problem.reason)


def _assert_generated_chain_agrees_with_the_steps(vendor: str, product: Any, sale_line: Any,
                                                  options: ExtractOptions) -> None:
    """The compiled chain's inline fast paths (conditions, weights, tiers, list elements) decide nothing the steps
    run one by one would decide differently, in the bulk and in the traced mode."""
    spec = get_vendor(vendor)
    if not spec.steps or not isinstance(product, dict) or not isinstance(sale_line, dict):
        return
    reference = _outcome(_reference_chain(vendor), product, sale_line, options)

    def compiled(trace: Any) -> Any:
        found = spec._chain(product, sale_line, options, trace)
        return None if found is None else (found[0], found[1].source)

    assert _outcome(compiled, None) == reference
    assert _outcome(compiled, TraceLog()) == reference


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
    _assert_generated_chain_agrees_with_the_steps(vendor, product, sale_line, ExtractOptions(convention))


@pytest.mark.parametrize("vendor", VENDORS)
def test_none_records_give_a_library_error(vendor: str) -> None:
    with pytest.raises(VendorError):
        extract_grams(vendor)
