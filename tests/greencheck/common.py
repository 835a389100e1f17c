"""The test base every vendor test module subclasses: the invariants all vendors share.

A vendor test module writes::

    class TestDutchie(VendorTestBase):
        vendor = "dutchie"
        examples = (
            Example("THC content in mg", product={...}, sale_line={...}, grams=0.2, source="product.thcContent"),
            ...
        )

and then one test per branch and per fallback of its chain. The base checks, for every vendor: it is registered
and documented (its page matches the code), every field it reads is in its field table and every field in the
table is read, the examples take every step of the chain at least once, grams are never negative, the trace is
never empty, the bulk path agrees with single extraction (on the examples, on the vendor's fixtures and on damaged
copies of both), and bad values in any field give a result or a library error naming the vendor (never a bare
Python error).

Fixtures: ``tests/greencheck/fixtures/<vendor>/*.json`` hold payloads in the shapes the vendor documents (field
names from the vendor's docs, OpenAPI or clients, made-up values), each file naming its source in ``_source``::

    {"_source": "where the field names come from",
     "cases": [{"name": "...", "product": {...}, "sale_line": {...}, "grams": 7.0, "source": "product.x"},
               {"name": "...", "product": {...}, "sale_line": {...}, "error": "NoGramsError"}]}

Every chain runs against its vendor's fixtures (the grams and source, or the error, each case documents; the bulk
path agreeing), so the next change to a chain is checked against what the vendor really sends, not only against
payloads written from the seed's labels. A vendor whose fields ``vendor-fields.md`` confirms (fully or partly) must
have fixtures (:data:`DOCUMENTED_SHAPES`).
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from fe_compliance.errors import FEComplianceError
from fe_compliance.greencheck import (
    GramsResult,
    NoGramsError,
    NoQuantityError,
    NotApplicableError,
    Outcome,
    VendorError,
    VendorFieldError,
    VendorSpec,
    extract_grams,
    extract_many,
    get_vendor,
    vendors,
)
from fe_compliance.greencheck.docs import render_vendor_page
from fe_compliance.greencheck.fields import Confidence, Record

DOCS = Path(__file__).resolve().parents[2] / "docs" / "vendors"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

DOCUMENTED_SHAPES = frozenset({"biotrack", "blaze", "canix", "cova", "dutchie", "flowhub", "indicaonline", "meadow",
                               "metrc", "posabit", "treez"})
"""Vendors whose field names ../shared/reference/vendor-fields.md lists as confirmed or partial: each keeps its
documented payload shapes as fixtures."""

GARBAGE: tuple[Any, ...] = (
    None, "", "   ", "abc", "1,5", "1,000", "-3", -1, -0.5, math.nan, math.inf, -math.inf, True, False, 0, 0.0,
    10**400, 1e308, {}, {"a": 1}, [], [1, 2], [{"name": "thc"}], "%", "Grams", "each", "EIGHTH", "nan", "1e999",
    5e-324, "1e-320",
)
"""Values dropped into every field of every example (and every level of nested ones)."""


@attrs.frozen
class Example:
    """A good pair of records with the grams (whole line) and source the chain must give."""

    name: str
    product: Mapping[str, Any] | None
    sale_line: Mapping[str, Any] | None
    grams: float
    source: str
    kwargs: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class FixtureCase:
    """One payload of a fixture file: the records as the vendor documents them and what the chain must give."""

    file: str
    name: str
    product: Any
    sale_line: Any
    grams: float | None
    source: str | None
    error: str | None

    @property
    def label(self) -> str:
        return f"{self.file}: {self.name}"


def fixture_cases(vendor: str) -> list[FixtureCase]:
    """Every case of ``fixtures/<vendor>/*.json``, checked for shape (a ``_source``, a name, records, and either
    grams with their source or an error type)."""
    cases: list[FixtureCase] = []
    for path in sorted((FIXTURES / vendor).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        where = f"{vendor}/{path.name}"
        assert isinstance(data.get("_source"), str) and data["_source"].strip(), f"{where}: no _source"
        assert isinstance(data.get("cases"), list) and data["cases"], f"{where}: no cases"
        for case in data["cases"]:
            assert set(case) <= {"name", "product", "sale_line", "grams", "source", "error"}, (where, case)
            assert ("grams" in case and "source" in case) != ("error" in case), (where, case.get("name"))
            cases.append(FixtureCase(where, case["name"], case["product"], case["sale_line"], case.get("grams"),
                                     case.get("source"), case.get("error")))
    return cases


def _fixture_example(case: FixtureCase) -> Example:
    return Example(case.label, case.product, case.sale_line, case.grams or 0.0, case.source or "")


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-12, abs=1e-12)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path inside a JSON-ish value (dict keys and list indexes)."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*prefix, index)
            yield from _paths(inner, (*prefix, index))


def _replaced(record: Any, path: tuple[Any, ...], new: Any) -> Any:
    record = copy.deepcopy(record)
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return record


def damaged(example: Example) -> Iterator[tuple[Any, Any]]:
    """Copies of the example with one value replaced by garbage, for every value and every garbage."""
    for which in ("product", "sale_line"):
        record = getattr(example, which)
        if record is None:
            continue
        for path in _paths(record):
            for junk in GARBAGE:
                new = _replaced(record, path, junk)
                yield (new, example.sale_line) if which == "product" else (example.product, new)
    yield None, None
    yield {}, {}
    yield example.product, None
    yield None, example.sale_line


def with_value(record: Mapping[str, Any] | None, path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``record`` (``None`` counts as empty) with the dotted ``path`` set to ``value``."""
    out: dict[str, Any] = copy.deepcopy(dict(record)) if record is not None else {}
    target = out
    *outer, last = path.split(".")
    for key in outer:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[last] = value
    return out


def assert_field_error(vendor: str, product: Any, sale_line: Any, field: str, words: str | None = None,
                       **kwargs: Any) -> VendorFieldError:
    """Extract, and check the line is refused by a VendorFieldError that names ``vendor`` and ``field`` (its message
    reads ``"<vendor>: <field>: ..."``) and, when ``words`` is given, says them. Returns the error for more checks."""
    with pytest.raises(VendorFieldError) as caught:
        extract_grams(vendor, product=product, sale_line=sale_line, **kwargs)
    error = caught.value
    assert error.vendor == vendor
    assert error.field == field, f"{error.field!r} != {field!r}"
    assert str(error).startswith(f"{vendor}: {field}: "), str(error)
    if words is not None:
        assert words in str(error), str(error)
    return error


def assert_library_outcome(vendor: str, product: Any, sale_line: Any, **kwargs: Any) -> GramsResult | VendorError:
    """Extract, and check the outcome is a sane result or a library error that names the vendor."""
    try:
        result = extract_grams(vendor, product=product, sale_line=sale_line, **kwargs)
    except VendorError as error:
        assert error.vendor == vendor
        assert isinstance(error, FEComplianceError)
        assert str(error).startswith(f"{vendor}: ")
        assert error.field, f"error without a field: {error}"
        return error
    assert result.vendor == vendor
    assert result.grams_value > 0 and math.isfinite(result.grams_value)
    assert result.trace, "a result must carry a trace"
    return result


class VendorTestBase:
    """Subclass with ``vendor`` and ``examples``; pytest collects the subclasses (``Test...``)."""

    vendor: ClassVar[str]
    examples: ClassVar[tuple[Example, ...]] = ()

    @property
    def spec(self) -> VendorSpec:
        return get_vendor(self.vendor)

    # ------------------------------------------------------------------------------------ registry and docs

    def test_registered(self) -> None:
        assert self.vendor in vendors()
        assert self.spec.slug == self.vendor
        assert self.spec.rule.source == "003_52e340b70ce4c404.txt"
        assert self.spec.rule.code == f"greencheck.{self.vendor}"

    def test_documented_page_matches_code(self) -> None:
        page = DOCS / f"{self.vendor}.md"
        assert page.exists(), f"run: python scripts/gen_vendor_docs.py {self.vendor}"
        assert page.read_text(encoding="utf-8") == render_vendor_page(self.spec), (
            f"docs/vendors/{self.vendor}.md is stale: run python scripts/gen_vendor_docs.py {self.vendor}")

    def test_every_field_read_is_in_the_field_table(self) -> None:
        declared = {(doc.record, doc.name) for doc in self.spec.fields}
        read = set(self.spec.fields_read())
        assert read <= declared, f"read but not documented: {sorted(map(str, read - declared))}"
        assert declared <= read, f"documented but never read: {sorted(map(str, declared - read))}"

    # ------------------------------------------------------------------------------------------- fixtures

    def test_fixtures_give_their_documented_grams(self) -> None:
        cases = fixture_cases(self.vendor)
        documented = any(doc.confidence is not Confidence.NONE_FOUND for doc in self.spec.fields)
        assert documented == (self.vendor in DOCUMENTED_SHAPES), "DOCUMENTED_SHAPES and the field tables disagree"
        if documented:
            assert cases, f"tests/greencheck/fixtures/{self.vendor}/ needs the vendor's documented payload shapes"
        for case in cases:
            bulk = extract_many(self.vendor, [(case.product, case.sale_line)])[0]
            if case.error is not None:
                with pytest.raises(VendorError) as caught:
                    extract_grams(self.vendor, product=case.product, sale_line=case.sale_line)
                assert type(caught.value).__name__ == case.error, case.label
                assert type(bulk.error).__name__ == case.error, case.label
                continue
            result = extract_grams(self.vendor, product=case.product, sale_line=case.sale_line)
            assert case.grams is not None
            assert result.grams_value == approx(case.grams), case.label
            assert result.source == case.source, case.label
            assert bulk.error is None and bulk.grams == result.grams_value and bulk.source == result.source

    # ------------------------------------------------------------------------------------------- examples

    def test_examples_give_their_grams(self) -> None:
        if self.spec.not_applicable is not None:
            with pytest.raises(NotApplicableError) as caught:
                extract_grams(self.vendor, product={}, sale_line={})
            assert caught.value.vendor == self.vendor
            return
        assert self.examples, "a vendor needs examples"
        for example in self.examples:
            result = extract_grams(self.vendor, product=example.product, sale_line=example.sale_line,
                                   **example.kwargs)
            assert result.grams_value == approx(example.grams), example.name
            assert result.source == example.source, example.name
            assert result.grams_value > 0
            assert result.trace, example.name
            assert result.trace[-1].outcome is Outcome.NOTE or result.trace[-1].outcome is Outcome.TAKEN
            assert any(step.outcome is Outcome.TAKEN and step.source == result.source for step in result.trace)
            if result.per_unit_value is not None:
                assert result.quantity is not None
                assert result.grams_value == approx(result.per_unit_value * result.quantity)
            assert str(result.grams.units) == "gram"
            assert result.to_dict()["grams"] == result.grams_value

    def test_examples_take_every_step(self) -> None:
        if self.spec.not_applicable is not None:
            assert not self.spec.steps
            return
        taken = set()
        for example in self.examples:
            result = extract_grams(self.vendor, product=example.product, sale_line=example.sale_line,
                                   **example.kwargs)
            taken.add(result.step)
        missing = [step.label for step in self.spec.steps if step.label not in taken]
        assert not missing, f"no example takes these steps: {missing}"

    def test_step_labels_are_unique(self) -> None:
        labels = [step.label for step in self.spec.steps]
        assert len(labels) == len(set(labels))

    def test_zero_quantity_is_not_set_never_zero_grams(self) -> None:
        """The shared rule (docs/vendors/index.md): a quantity of 0 is not set. A per-unit value then raises
        NoQuantityError; a step that reads the quantity as the weight sold skips it (NoGramsError); a step that does
        not read the quantity at all is unaffected. No line ever answers 0 g, traced or in bulk."""
        quantity = self.spec.quantity
        if quantity is None:
            return
        for example in self.examples:
            before = extract_grams(self.vendor, product=example.product, sale_line=example.sale_line,
                                   **example.kwargs)
            for zero in (0, 0.0, "0"):
                product, sale_line = example.product, example.sale_line
                for path in quantity.paths:
                    if quantity.record is Record.SALE_LINE:
                        sale_line = with_value(sale_line, path, zero)
                    else:
                        product = with_value(product, path, zero)
                bulk = extract_many(self.vendor, [(product, sale_line)], **example.kwargs)[0]
                try:
                    result = extract_grams(self.vendor, product=product, sale_line=sale_line, **example.kwargs)
                except NoQuantityError as error:
                    assert before.per_unit_value is not None, example.name
                    assert error.zero and error.value == zero and error.field in quantity.sources, example.name
                    assert isinstance(bulk.error, NoQuantityError)
                except NoGramsError:
                    assert before.per_unit_value is None and before.source in quantity.sources, example.name
                    assert isinstance(bulk.error, NoGramsError)
                else:
                    assert before.per_unit_value is None, example.name
                    assert result.grams_value == before.grams_value > 0, example.name
                    assert bulk.grams == result.grams_value

    # ---------------------------------------------------------------------------------------------- bulk

    def _pairs(self) -> list[tuple[Any, Any, dict[str, Any]]]:
        pairs: list[tuple[Any, Any, dict[str, Any]]] = []
        sources = [*self.examples, *map(_fixture_example, fixture_cases(self.vendor))]
        for example in sources:
            pairs.append((example.product, example.sale_line, dict(example.kwargs)))
            pairs.extend((p, s, dict(example.kwargs)) for p, s in damaged(example))
        if not pairs:
            pairs = [({}, {}, {})]
        return pairs

    def test_bulk_agrees_with_single_extraction(self) -> None:
        groups: dict[tuple[tuple[str, Any], ...], list[tuple[Any, Any]]] = {}
        for product, sale_line, kwargs in self._pairs():
            groups.setdefault(tuple(sorted(kwargs.items())), []).append((product, sale_line))
        for key, pairs in groups.items():
            kwargs = dict(key)
            bulk = extract_many(self.vendor, pairs, **kwargs)
            assert len(bulk) == len(pairs)
            for (product, sale_line), line in zip(pairs, bulk, strict=True):
                single = assert_library_outcome(self.vendor, product, sale_line, **kwargs)
                if isinstance(single, VendorError):
                    assert line.error is not None, (product, sale_line)
                    assert type(line.error) is type(single)
                    assert str(line.error) == str(single)
                    assert line.grams is None and line.source is None
                else:
                    assert line.error is None, (product, sale_line, line.error)
                    assert line.grams == single.grams_value
                    assert line.source == single.source

    def test_bulk_accepts_mappings_and_keeps_going_after_a_bad_line(self) -> None:
        if not self.examples:
            return
        example = self.examples[0]
        lines = [{"product": example.product, "sale_line": example.sale_line}, "not a line", 42,
                 (example.product, example.sale_line)]
        bulk = extract_many(self.vendor, lines, **example.kwargs)
        assert bulk[0].grams == approx(example.grams)
        assert bulk[3].grams == approx(example.grams)
        assert set(bulk.errors) == {1, 2}
        for index in (1, 2):
            assert bulk.errors[index].vendor == self.vendor
            assert bulk.errors[index].field == "line"

    # ------------------------------------------------------------------------------------------ bad input

    def test_garbage_in_any_field_gives_a_result_or_a_library_error(self) -> None:
        for product, sale_line, kwargs in self._pairs():
            assert_library_outcome(self.vendor, product, sale_line, **kwargs)

    def test_records_that_are_not_mappings_are_refused_by_name(self) -> None:
        if self.spec.not_applicable is not None:
            return
        for junk in ("text", 3, [1], True):
            for which in ("product", "sale_line"):
                records = {"product": {}, "sale_line": {}, which: junk}
                with pytest.raises(VendorError) as caught:
                    extract_grams(self.vendor, **records)
                assert caught.value.field == which
                assert caught.value.value == junk


class WholesaleVendorTestBase(VendorTestBase):
    """The tests of a wholesale integration (QuickBooks, Sage Intacct): every record, good, empty or garbage, is a
    clear NotApplicableError, in both paths. Subclass with ``vendor``, ``spelling`` (another way of writing the
    slug), and ``item`` / ``invoice_line`` (records shaped like the system's own, holding fields that would give
    grams for a retail vendor)."""

    spelling: ClassVar[str]
    item: ClassVar[Mapping[str, Any]]
    invoice_line: ClassVar[Mapping[str, Any]]

    def test_every_record_is_not_applicable(self) -> None:
        cases: list[tuple[Any, Any]] = [(self.item, self.invoice_line), ({}, {}), (None, None), ("not a record", 42),
                                        ({"a": math.nan}, {"b": [1, {}]})]
        for product, sale_line in cases:
            with pytest.raises(NotApplicableError) as caught:
                extract_grams(self.vendor, product=product, sale_line=sale_line)
            error = caught.value
            assert isinstance(error, VendorError) and isinstance(error, FEComplianceError)
            assert not isinstance(error, NoGramsError)
            assert error.vendor == self.vendor and error.field == "vendor" and error.value == self.vendor
            assert str(error).startswith(f"{self.vendor}: vendor: gram extraction is not applicable: ")
            assert "wholesale" in error.reason

    def test_bulk_gives_every_line_the_same_error(self) -> None:
        bulk = extract_many(self.vendor, [(self.item, self.invoice_line), ({}, {}), "junk"])
        assert bulk.grams == [None, None, None]
        assert set(bulk.errors) == {0, 1, 2}
        assert all(isinstance(error, NotApplicableError) for error in bulk.errors.values())

    def test_spec_has_no_chain_and_reads_nothing(self) -> None:
        assert self.spec.steps == () and self.spec.fields == () and self.spec.quantity is None
        assert self.spec.not_applicable is not None and "wholesale" in self.spec.not_applicable
        assert self.spec.fields_read() == ()

    def test_slug_spellings(self) -> None:
        assert self.spelling.strip() != self.vendor
        with pytest.raises(NotApplicableError) as caught:
            extract_grams(self.spelling, product={}, sale_line={})
        assert caught.value.vendor == self.vendor
