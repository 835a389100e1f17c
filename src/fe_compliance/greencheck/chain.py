"""Compile a vendor's steps into one chain function, used by both the traced and the bulk path.

The compiled function is::

    chain(product, sale_line, options, trace) -> (grams, link) | None

where ``link`` is the :class:`Link` of the step that gave the grams. ``trace`` is a list on the traced path and
``None`` in bulk; nothing else differs, so the two paths cannot disagree.

Consecutive steps that share one condition object form a *block*: the condition is tested once per line for the
whole block (Blaze's three tier steps share "weight-based"), and when it is false every step of the block is
recorded as skipped, with the condition's explanation.

The function is generated as straight-line Python source (one ``if`` per block, one call per step), the way attrs
generates ``__init__``: a loop over blocks and steps costs about a tenth of a microsecond per step in interpreter
bookkeeping, which at a million lines is most of the difference from a hand-written chain. The generated source is
kept on the function (``chain.source``) for anyone debugging it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .fields import MASS_FACTORS, NOT_MASS, TOO_LARGE, Record, as_unit, split_path
from .result import ExtractOptions, TraceStep
from .steps import AllOf, AnyOf, Attempt, Condition, FieldIs, Not, Step, Tier, Weight, skipped_by_condition
from .tiers import TierConvention

__all__ = ["Chain", "Link", "compile_chain"]


@attrs.frozen(slots=True)
class Link:
    """A compiled step: its attempt closure and what a hit from it means."""

    step: Step
    attempt: Attempt
    per_unit: bool
    source: str


Chain = Callable[
    [Mapping[str, Any], Mapping[str, Any], ExtractOptions, "list[TraceStep] | None"], "tuple[float, Link] | None"
]


_ODD = object()
"""Marks a list element the inline path could not settle (the step's attempt decides)."""


def _skip_block(
    trace: list[TraceStep],
    condition: Condition,
    links: tuple[Link, ...],
    product: Mapping[str, Any],
    sale_line: Mapping[str, Any],
) -> None:
    for link in links:
        trace.append(skipped_by_condition(link.step.label, link.source, condition, product, sale_line))


class _Emitter:
    """Writes the chain's source. Each step becomes an inline fast path for the common case (a plain positive
    number in a unit already seen; a tier spelled exactly; a condition's text already seen) that falls through to
    the step's own compiled attempt for everything else, so every unusual value, every skip reason and every error
    is handled by one piece of code, in both modes. The fast path appends the same trace line as the attempt
    (it calls the step's ``taken``)."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "_skip_block": _skip_block,
            "MASS": MASS_FACTORS, "NOT_MASS": NOT_MASS, "ODD": _ODD,
            "TRADE": TierConvention.TRADE,
        }
        self.lines: list[str] = ["def chain(p, s, options, trace):"]
        self._count = 0

    def name(self, prefix: str, value: Any) -> str:
        self._count += 1
        name = f"{prefix}{self._count}"
        self.namespace[name] = value
        return name

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    # ------------------------------------------------------------------------------------------ conditions

    def condition(self, condition: Condition, indent: int) -> None:
        """Lines that leave the condition's truth in ``c``."""
        if isinstance(condition, FieldIs) and len(split_path(condition.path)) <= 2:
            test, seen = condition.compile_parts()
            test_name, seen_name = self.name("test", test), self.name("seen", seen)
            rec = "s" if condition.record is Record.SALE_LINE else "p"
            keys = split_path(condition.path)
            # A missing field makes the condition false (as the test itself says); text already seen is one
            # dict look-up; anything else asks the test (which caches the text, or raises for garbage).
            if len(keys) == 1:
                self.emit(indent, f"r = {rec}.get({keys[0]!r})")
                self.emit(indent, f"c = {seen_name}.get(r) if type(r) is str else (False if r is None else None)")
            else:
                self.emit(indent, f"m = {rec}.get({keys[0]!r})")
                self.emit(indent, "if type(m) is dict:")
                self.emit(indent + 1, f"r = m.get({keys[1]!r})")
                self.emit(indent + 1,
                          f"c = {seen_name}.get(r) if type(r) is str else (False if r is None else None)")
                self.emit(indent, "else:")
                self.emit(indent + 1, "c = False if m is None else None")
            self.emit(indent, "if c is None:")
            self.emit(indent + 1, f"c = {test_name}(p, s)")
            return
        if isinstance(condition, (AnyOf, AllOf)) and condition.conditions:
            # Short-circuit in order, as the conditions' own tests do: the next one runs only while undecided.
            go_on = "if not c:" if isinstance(condition, AnyOf) else "if c:"
            first, *rest = condition.conditions
            self.condition(first, indent)
            for other in rest:
                self.emit(indent, go_on)
                indent += 1
                self.condition(other, indent)
            return
        if isinstance(condition, Not):
            self.condition(condition.condition, indent)
            self.emit(indent, "c = not c")
            return
        self.emit(indent, f"c = {self.name('test', condition.compile())}(p, s)")

    # ----------------------------------------------------------------------------------------------- steps

    def step(self, link: Link, indent: int) -> None:
        """One step: an inline fast path, then the step's attempt when ``need`` says the value is there but was
        not settled inline (always when tracing: the attempt writes the skip reason)."""
        step = link.step
        attempt, link_name = self.name("attempt", link.attempt), self.name("link", link)
        if isinstance(step, Weight) and _inline_path(step.path) and (
                step.within is None or len(split_path(step.within.path)) == 1):
            if step.within is None:
                self._weight(step, link_name, indent, "s" if step.record is Record.SALE_LINE else "p")
            else:
                self._weight_within(step, link_name, indent)
            self.emit(indent, "if need or trace is not None:")
            indent += 1
        elif isinstance(step, Tier) and len(split_path(step.path)) == 1:
            self._tier(step, link_name, indent)
            self.emit(indent, "if need or trace is not None:")
            indent += 1
        self.emit(indent, f"g = {attempt}(p, s, options, trace)")
        self.emit(indent, "if g is not None:")
        self.emit(indent + 1, f"return g, {link_name}")

    def _read(self, rec: str, path: str, indent: int) -> None:
        """``r`` = the raw value at ``path`` (one or two keys); ``need`` = whether the attempt must look."""
        keys = split_path(path)
        if len(keys) == 1:
            self.emit(indent, f"r = {rec}.get({keys[0]!r})")
            self.emit(indent, "need = r is not None")
        else:
            self.emit(indent, f"m = {rec}.get({keys[0]!r})")
            self.emit(indent, "if type(m) is dict:")
            self.emit(indent + 1, f"r = m.get({keys[1]!r})")
            self.emit(indent + 1, "need = r is not None")
            self.emit(indent, "else:")
            self.emit(indent + 1, "r = None")
            self.emit(indent + 1, "need = m is not None")

    def _weight_within(self, step: Weight, link: str, indent: int) -> None:
        """The list element first: ``x`` is the element (a dict), ``None`` (no element: a skip either way) or
        ``ODD`` (something unusual: the attempt decides)."""
        assert step.within is not None
        rec = "s" if step.record is Record.SALE_LINE else "p"
        seen = self.name("seen", step.within.seen)
        self.emit(indent, f"e = {rec}.get({step.within.path!r})")
        self.emit(indent, "x = None")
        self.emit(indent, "if type(e) is list:")
        self.emit(indent + 1, "for it in e:")
        self.emit(indent + 2, f"nm = it.get({step.within.key!r}) if type(it) is dict else ODD")
        self.emit(indent + 2, f"k = {seen}.get(nm) if type(nm) is str else None")
        self.emit(indent + 2, "if k:")
        self.emit(indent + 3, "x = it")
        self.emit(indent + 3, "break")
        self.emit(indent + 2, "if k is None:")
        self.emit(indent + 3, "x = ODD")
        self.emit(indent + 3, "break")
        self.emit(indent, "need = x is ODD or (e is not None and type(e) is not list)")
        self.emit(indent, "if type(x) is dict:")
        self._weight(step, link, indent + 1, "x")

    def _weight(self, step: Weight, link: str, indent: int, rec: str) -> None:
        taken = self.name("taken", step.taken)
        self._read(rec, step.path, indent)
        self.emit(indent, f"if (type(r) is float or type(r) is int) and 0 < r < {TOO_LARGE!r}:")
        if step.unit is not None:
            fixed = as_unit(step.unit, "unit")
            assert fixed is not None and fixed.grams_per_unit is not None
            factor = self.name("factor", fixed.grams_per_unit)
            unit_text = self.name("unit", fixed.spelling)
            self.emit(indent + 1, f"g = r * {factor}")
            self.emit(indent + 1, "if trace is not None:")
            self.emit(indent + 2, f"trace.append({taken}(r, {unit_text}, g))")
            self.emit(indent + 1, f"return g, {link}")
            return
        assert step.unit_field is not None
        unit_keys = split_path(step.unit_field)
        if len(unit_keys) != 1:
            self.emit(indent + 1, "pass")
            return
        self.emit(indent + 1, f"u = {rec}.get({unit_keys[0]!r})")
        self.emit(indent + 1, "f = MASS.get(u) if type(u) is str else None")
        self.emit(indent + 1, "if f is not None:")
        self.emit(indent + 2, "g = r * f")
        self.emit(indent + 2, "if trace is not None:")
        self.emit(indent + 3, f"trace.append({taken}(r, u, g))")
        self.emit(indent + 2, f"return g, {link}")
        # A unit already read as not a mass (a percentage, a count) or absent is a skip: settled inline.
        self.emit(indent + 1, "if u is None or (type(u) is str and u in NOT_MASS):")
        self.emit(indent + 2, "need = False")

    def _tier(self, step: Tier, link: str, indent: int) -> None:
        rec = "s" if step.record is Record.SALE_LINE else "p"
        trade, exact = step.tables()
        trade_name, exact_name = self.name("trade", trade), self.name("exact", exact)
        no_tier = self.name("no_tier", frozenset(step.not_tiers))
        taken = self.name("taken", step.taken)
        self.emit(indent, f"r = {rec}.get({step.path!r})")
        self.emit(indent, f"g = ({trade_name} if options.tier_convention is TRADE else {exact_name}).get(r) "
                          "if type(r) is str else None")
        self.emit(indent, "if g is not None:")
        self.emit(indent + 1, "if trace is not None:")
        self.emit(indent + 2, f"trace.append({taken}(r, g, options))")
        self.emit(indent + 1, f"return g, {link}")
        self.emit(indent, f"need = r is not None and (type(r) is not str or r not in {no_tier})")


def _inline_path(path: str) -> bool:
    return len(split_path(path)) <= 2


def compile_chain(steps: tuple[Step, ...]) -> tuple[Chain, str]:
    """The chain function for ``steps`` and its generated source."""
    blocks: list[tuple[Condition | None, list[Link]]] = []
    for step in steps:
        link = Link(step, step.compile(), step.per_unit, step.source)
        if blocks and step.when is not None and blocks[-1][0] is step.when:
            blocks[-1][1].append(link)
        else:
            blocks.append((step.when, [link]))
    out = _Emitter()
    for condition, links in blocks:
        indent = 1
        if condition is not None:
            out.condition(condition, 1)
            out.emit(1, "if c:")
            indent = 2
        for link in links:
            out.step(link, indent)
        if condition is not None:
            out.emit(1, "elif trace is not None:")
            out.emit(2, f"_skip_block(trace, {out.name('cond', condition)}, {out.name('links', tuple(links))}, p, s)")
    out.emit(1, "return None")
    source = "\n".join(out.lines) + "\n"
    exec(compile(source, "<fe_compliance.greencheck chain>", "exec"), out.namespace)
    chain: Chain = out.namespace["chain"]
    return chain, source
