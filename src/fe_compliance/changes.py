"""What the FE engine returns: change records, manual-FE notices and per-record problems.

A POS writes :class:`Change` records to its own database; an auditor reads them to learn why a value changed. Each
names the record, the field, the old and new value and the :class:`~fe_compliance.explain.Rule` that made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from .catalog import CatalogProduct, InventoryPackage
from .errors import FEComplianceError, InvalidValueError
from .explain import Rule
from .units import is_quantity

__all__ = ["Change", "ManualFERequired", "Problem", "Recalculation"]


def _text(value: Any) -> str:
    """A field value as people read it: amounts with their short unit ("10 g", not "10 gram")."""
    return f"{value:~P}" if is_quantity(value) else str(value)


@attrs.frozen(slots=True)
class Change:
    """One field of one record changed by one rule. ``detail`` shows the arithmetic, when there was any.

    ``old`` and ``new`` are the field's values as the records hold them (a Quantity, a ``FlowerEquivalent``,
    ``LabResults``, text); :meth:`to_dict` gives them as text.
    """

    record_kind: str
    record_id: str
    field: str
    old: Any
    new: Any
    rule: Rule
    detail: str = ""

    def __str__(self) -> str:
        text = (f"{self.record_kind} {self.record_id}: {self.field} {_text(self.old)} -> {_text(self.new)} "
                f"[{self.rule.code}]")
        return f"{text}: {self.detail}" if self.detail else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_kind": self.record_kind,
            "record_id": self.record_id,
            "field": self.field,
            "old": None if self.old is None else _text(self.old),
            "new": None if self.new is None else _text(self.new),
            "rule": self.rule.code,
            "citation": self.rule.citation,
            "detail": self.detail,
        }


@attrs.frozen(slots=True)
class ManualFERequired:
    """A record whose FE field cannot be calculated and must be entered by a person, with the reason."""

    record_kind: str
    record_id: str
    field: str
    reason: str
    rule: Rule

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id}: {self.field} needs a manual value: {self.reason}"


@attrs.frozen(slots=True)
class Problem:
    """A record a batch operation left unchanged because of an error; the other records went ahead."""

    record_kind: str
    record_id: str
    error: FEComplianceError

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id}: {self.error}"


@attrs.frozen(slots=True)
class Recalculation:
    """The outcome of one engine operation.

    ``products`` and ``packages`` are the records the operation was given, in the same order, with the changes
    applied (unchanged records are the same objects). ``changes`` lists every field changed; ``manual`` every FE
    field that needs a person; ``problems`` the records skipped because of an error; ``notes`` what else a reader
    should know (a rule that made no change, a kept manual value).
    """

    products: tuple[CatalogProduct, ...] = ()
    packages: tuple[InventoryPackage, ...] = ()
    changes: tuple[Change, ...] = ()
    manual: tuple[ManualFERequired, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def product(self) -> CatalogProduct:
        """The one product of a single-product operation."""
        if len(self.products) != 1:
            raise InvalidValueError("products", len(self.products), "this result does not hold exactly one product")
        return self.products[0]

    @property
    def package(self) -> InventoryPackage:
        """The one package of a single-package operation."""
        if len(self.packages) != 1:
            raise InvalidValueError("packages", len(self.packages), "this result does not hold exactly one package")
        return self.packages[0]

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def explain(self) -> list[str]:
        """Every change, manual notice, problem and note as lines for a person."""
        lines = [f"{change} (source: {change.rule.citation})" for change in self.changes]
        lines += [str(item) for item in self.manual]
        lines += [f"skipped: {problem}" for problem in self.problems]
        lines += [f"note: {note}" for note in self.notes]
        return lines or ["no change"]
