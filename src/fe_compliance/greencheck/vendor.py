"""A vendor: its declared chain, field table and decisions, and the runner for one line or many.

:class:`VendorSpec` is what a vendor module builds (as ``VENDOR``). Building it compiles the chain once; the two
entry points then run the same compiled steps:

- :meth:`VendorSpec.extract` (traced): every step appends to the trace, plausibility is checked, the result is a
  :class:`~fe_compliance.greencheck.result.GramsResult`.
- :meth:`VendorSpec.extract_many` (bulk): the steps get ``trace=None`` and build no strings; a line's error is
  stored and the next line runs. A line that finds no grams is re-run traced, so its
  :class:`~fe_compliance.greencheck.errors.NoGramsError` carries the same reasons as a single extraction (this
  costs time only on failing lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from ..explain import Rule
from .chain import Chain, compile_chain
from .errors import NoGramsError, NoQuantityError, NotApplicableError, VendorError, VendorFieldError
from .fields import TOO_LARGE, FieldDoc, FieldProblem, Record
from .plausibility import Plausibility, PlausibilityChecker
from .result import BulkExtraction, ExtractOptions, GramsResult, Outcome, TraceLog, TraceStep
from .steps import LineQuantity, QuantityMissing, Step

__all__ = ["SEED_DOCUMENT", "VendorSpec", "seed_rule"]

SEED_DOCUMENT: Final = "003_52e340b70ce4c404.txt"
"""The seed every chain follows: Green Check's note on how it reads grams from each point-of-sale system."""


def seed_rule(slug: str, section: str, summary: str) -> Rule:
    """The rule a vendor's grams follow: the seed's section on that vendor (its heading as the seed writes it),
    summarised in our words, coded ``greencheck.<slug>``."""
    return Rule(code=f"greencheck.{slug}", summary=summary, source=SEED_DOCUMENT, section=section)

_EMPTY: Final[Mapping[str, Any]] = {}
_NOTE: Final = Outcome.NOTE
_OVERFLOW: Final = "too large: the line's grams overflow"
_UNDERFLOW: Final = "too small to be a weight: the line's grams round to 0 g"
"""A positive weight so small that converting it (x 0.001 for milligrams) or multiplying it by the quantity underflows
to 0.0: never reported as 0 g, which a limit check would read as "nothing sold"."""


class _NoGrams(Exception):  # noqa: N818 - internal signal inside the bulk loop
    pass


def _record(value: Any, name: str) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    if value is None:
        return _EMPTY
    if isinstance(value, Mapping):
        return value
    raise FieldProblem(name, value, "expected an object (a JSON mapping) or null")


def _split_line(line: Any) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """A bulk line: ``(product, sale_line)`` or ``{"product": ..., "sale_line": ...}``."""
    if type(line) is tuple and len(line) == 2:
        return _record(line[0], "product"), _record(line[1], "sale_line")
    if isinstance(line, Mapping):
        extra = set(line) - {"product", "sale_line"}
        if extra:
            raise FieldProblem("line", sorted(map(str, extra)), "a line holds only 'product' and 'sale_line'")
        return _record(line.get("product"), "product"), _record(line.get("sale_line"), "sale_line")
    if isinstance(line, (tuple, list)) and len(line) == 2:
        return _record(line[0], "product"), _record(line[1], "sale_line")
    raise FieldProblem("line", line, "expected (product, sale_line) or {'product': ..., 'sale_line': ...}")


def _freeze_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class VendorSpec:
    """Everything about one vendor's gram extraction.

    ``steps`` run in order; the first that returns grams wins. ``quantity`` multiplies per-unit steps (``None``
    when no step is per unit). ``fields`` is the field table for the docs: every field a step, the quantity or a
    plausibility check reads must be in it (checked by the test base). ``rule`` cites the seed section;
    ``summary`` restates the chain in our words; ``decisions`` are the choices made where the sources are open;
    ``records`` says what the ``product`` and ``sale_line`` mappings are for this vendor; ``changes`` what changed in
    the chain and why (a line per change that alters the grams a payload gives, newest last). A spec with
    ``not_applicable`` set has no chain: every extraction raises
    :class:`~fe_compliance.greencheck.errors.NotApplicableError` with that reason.
    """

    slug: str
    name: str
    rule: Rule
    summary: str
    records: Mapping[Record, str]
    fields: tuple[FieldDoc, ...] = attrs.field(converter=_freeze_tuple)
    steps: tuple[Step, ...] = attrs.field(converter=_freeze_tuple)
    quantity: LineQuantity | None = None
    decisions: tuple[str, ...] = attrs.field(default=(), converter=_freeze_tuple)
    plausibility: Plausibility | None = None
    changes: tuple[str, ...] = attrs.field(default=(), converter=_freeze_tuple)
    not_applicable: str | None = None
    _chain: Chain = attrs.field(init=False, repr=False, eq=False)
    _chain_source: str = attrs.field(init=False, repr=False, eq=False)
    _quantity: Any = attrs.field(init=False, repr=False, eq=False)
    _checker: PlausibilityChecker = attrs.field(init=False, repr=False, eq=False)
    _tried: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.not_applicable is None and not self.steps:
            raise ValueError(f"{self.slug}: a vendor needs at least one step (or not_applicable)")
        if any(step.per_unit for step in self.steps) and self.quantity is None:
            raise ValueError(f"{self.slug}: per-unit steps need a LineQuantity")
        chain, source = compile_chain(self.steps)
        object.__setattr__(self, "_chain", chain)
        object.__setattr__(self, "_chain_source", source)
        object.__setattr__(self, "_quantity", self.quantity.compile() if self.quantity is not None else None)
        object.__setattr__(self, "_checker", PlausibilityChecker(self.plausibility))
        object.__setattr__(self, "_tried", tuple(step.source for step in self.steps))

    # ----------------------------------------------------------------------------------------------- metadata

    def fields_read(self) -> tuple[tuple[Record, str], ...]:
        """Every (record, path) the chain, the quantity and the plausibility checks read, in order, no repeats."""
        found: list[tuple[Record, str]] = []
        for step in self.steps:
            found.extend(step.fields())
        if self.quantity is not None:
            found.extend(self.quantity.fields())
        if self.plausibility is not None:
            found.extend(self.plausibility.fields())
        return tuple(dict.fromkeys(found))

    # ------------------------------------------------------------------------------------------------ running

    def _problem(self, problem: FieldProblem) -> VendorFieldError:
        return VendorFieldError(self.slug, problem.field, problem.value, problem.reason)

    def _quantity_error(self, missing: QuantityMissing) -> NoQuantityError:
        return NoQuantityError(self.slug, missing.field, missing.value, zero=missing.zero, also=missing.also)

    def extract(self, product: Any, sale_line: Any, options: ExtractOptions) -> GramsResult:
        """One line, traced. Raises a :class:`~fe_compliance.greencheck.errors.VendorError` subclass."""
        if self.not_applicable is not None:
            raise NotApplicableError(self.slug, self.not_applicable)
        try:
            return self._extract(product, sale_line, options)
        except FieldProblem as problem:
            raise self._problem(problem) from None
        except QuantityMissing as missing:
            raise self._quantity_error(missing) from None

    def _extract(self, product: Any, sale_line: Any, options: ExtractOptions) -> GramsResult:
        p = _record(product, "product")
        s = _record(sale_line, "sale_line")
        trace = TraceLog()
        found = self._chain(p, s, options, trace)
        if found is None:
            raise NoGramsError(self.slug, self._tried, trace)
        grams, link = found
        step, per_unit, source = link.step, link.per_unit, link.source
        if step.beyond_seed is not None:
            trace.append(TraceStep(step.label, source, _NOTE, f"beyond seed 003: {step.beyond_seed}"))
        quantity: float | None = None
        per_unit_grams: float | None = None
        total = grams
        if per_unit:
            quantity, quantity_source = self._quantity(p, s)
            per_unit_grams = grams
            total = grams * quantity
            if total > TOO_LARGE:
                raise FieldProblem(quantity_source, quantity, _OVERFLOW)
            trace.append(
                TraceStep(
                    "line quantity",
                    quantity_source,
                    _NOTE,
                    f"{quantity:.6g} unit(s) x {grams:.6g} g = {total:.6g} g",
                )
            )
        if total == 0.0:
            raise FieldProblem(source, grams, _UNDERFLOW)
        warnings = self._checker.check(
            basis=step.basis,
            source=source,
            per_unit=per_unit_grams,
            total=total,
            quantity=quantity,
            product=p,
            sale_line=s,
        ) + tuple(trace.warnings)
        return GramsResult(
            vendor=self.slug,
            grams_value=total,
            per_unit_value=per_unit_grams,
            quantity=quantity,
            basis=step.basis,
            source=source,
            step=step.label,
            warnings=warnings,
            trace=tuple(trace),
            rule=self.rule,
            options=options,
        )

    def extract_many(self, lines: Iterable[Any], options: ExtractOptions) -> BulkExtraction:
        """Many lines, untraced. Each line is ``(product, sale_line)`` or ``{"product":..., "sale_line":...}``."""
        grams_column: list[float | None] = []
        sources: list[str | None] = []
        errors: dict[int, VendorError] = {}
        if self.not_applicable is not None:
            for index, _line in enumerate(lines):
                grams_column.append(None)
                sources.append(None)
                errors[index] = NotApplicableError(self.slug, self.not_applicable)
            return BulkExtraction(self.slug, grams_column, sources, errors, options)
        chain = self._chain
        quantity_of = self._quantity
        first_quantity_source = self.quantity.source if self.quantity is not None else ""
        quantity_key = self.quantity.simple_key() if self.quantity is not None else None
        add_grams = grams_column.append
        add_source = sources.append
        for index, line in enumerate(lines):
            try:
                if type(line) is tuple and len(line) == 2:
                    p, s = line
                    if type(p) is not dict or type(s) is not dict:
                        p, s = _split_line(line)
                else:
                    p, s = _split_line(line)
                found = chain(p, s, options, None)
                if found is None:
                    raise _NoGrams
                grams, link = found
                source = link.source
                if link.per_unit:
                    # The common shape inline (a plain positive number under the first key of the sale line);
                    # anything else, alternatives included, through the compiled reader the traced path uses.
                    quantity: Any = s.get(quantity_key) if quantity_key is not None else None
                    kind = type(quantity)
                    if (kind is float or kind is int) and 0 < quantity < TOO_LARGE:
                        quantity_source = first_quantity_source
                    else:
                        quantity, quantity_source = quantity_of(p, s)
                    total = grams * quantity
                    if total > TOO_LARGE:
                        raise FieldProblem(quantity_source, quantity, _OVERFLOW)
                else:
                    total = grams
                if total == 0.0:
                    raise FieldProblem(source, grams, _UNDERFLOW)
                add_grams(total)
                add_source(source)
            except FieldProblem as problem:
                add_grams(None)
                add_source(None)
                errors[index] = self._problem(problem)
            except QuantityMissing as missing:
                add_grams(None)
                add_source(None)
                errors[index] = self._quantity_error(missing)
            except _NoGrams:
                add_grams(None)
                add_source(None)
                errors[index] = self._traced_error(line, options)
        return BulkExtraction(self.slug, grams_column, sources, errors, options)

    def _traced_error(self, line: Any, options: ExtractOptions) -> VendorError:
        """Re-run a failed line traced, to give it the same error (with its trace) as a single extraction."""
        try:
            p, s = _split_line(line)
            self._extract(p, s, options)
        except VendorError as error:
            return error
        except FieldProblem as problem:
            return self._problem(problem)
        except QuantityMissing as missing:
            return self._quantity_error(missing)
        raise AssertionError(f"{self.slug}: the traced and bulk paths disagree on line {line!r}")  # pragma: no cover
