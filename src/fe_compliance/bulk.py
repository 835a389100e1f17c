"""The bulk path for "Apply to Inventory" over very many packages.

A POS applying a changed definition to a million packages hands over rows of ``(package id, based-on value)``
with the value already a float of grams. Building a record, a Quantity and a change record per row would cost tens
of microseconds each; this path multiplies floats and checks the whole column at once, and builds change records
only when asked (:meth:`BulkApplication.changes`). The rule is the same as
:meth:`~fe_compliance.recalc.FlowerEquivalencyEngine.apply_to_inventory`: every package of the category is
overwritten.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter

import attrs

from . import fe_rules
from .catalog import FlowerEquivalent
from .changes import Change
from .equivalency import FlowerEquivalencyDefinition
from .errors import InvalidQuantityError, InvalidValueError

__all__ = ["BulkApplication", "apply_definition_bulk"]

_second = itemgetter(1)
_NUMBER_TYPES = frozenset({float, int})


@attrs.frozen(slots=True)
class BulkApplication:
    """New ``(package id, FE grams)`` pairs, in the order given, and the definition that made them."""

    definition: FlowerEquivalencyDefinition
    pairs: list[tuple[Hashable, float]] = attrs.field(repr=lambda pairs: f"<{len(pairs)} pairs>")
    field: str = "flower_equivalent"
    previous: Mapping[Hashable, float] | None = attrs.field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.pairs)

    def changes(self) -> Iterator[Change]:
        """Change records, built one at a time on demand. ``old`` is the previous FE when ``previous`` was given
        (rows whose value did not change are skipped then), else ``None`` (unknown to the bulk path)."""
        key = self.definition.key
        previous = self.previous
        detail = f"{self.definition.based_on} x ratio {self.definition.ratio:.6g} ({key})"
        for package_id, grams in self.pairs:
            old: float | None = None if previous is None else previous.get(package_id)
            if old is not None and old == grams:
                continue
            yield Change(
                "package", str(package_id), self.field,
                None if old is None else FlowerEquivalent(f"{old} g"),
                FlowerEquivalent.calculated(grams, key), fe_rules.APPLY_TO_INVENTORY, detail,
            )


def _bad_row(rows: Sequence[tuple[Hashable, float]], field: str, ratio: float) -> InvalidValueError:
    """Find the first bad row for the error message (only run once something is known to be wrong)."""
    for index, row in enumerate(rows):
        try:
            package_id, value = row
        except (TypeError, ValueError):
            return InvalidValueError(f"rows[{index}]", row, "expected a (package id, grams) pair")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return InvalidQuantityError(
                f"rows[{index}].{field}", value, f"package {package_id!r}: expected grams as a float"
            )
        if type(value) not in _NUMBER_TYPES:
            return InvalidQuantityError(
                f"rows[{index}].{field}", value, f"package {package_id!r}: expected grams as a plain float or int"
            )
        if not math.isfinite(value) or value < 0:
            return InvalidQuantityError(
                f"rows[{index}].{field}", value, f"package {package_id!r}: grams must be finite and not negative"
            )
        if not math.isfinite(value * ratio):
            return InvalidQuantityError(
                f"rows[{index}].{field}", value, f"package {package_id!r}: too large, the FE overflows"
            )
    return InvalidValueError("rows", "<column>", "the values do not add up to a finite total")


def apply_definition_bulk(
    definition: FlowerEquivalencyDefinition,
    rows: Iterable[tuple[Hashable, float]],
    *,
    field: str = "flower_equivalent",
    previous: Mapping[Hashable, float] | None = None,
) -> BulkApplication:
    """Multiply every row's based-on grams by the definition's ratio.

    Any bad row (not a pair, not a number, negative, NaN, infinite) fails the whole call with an error naming its
    index and package id, before anything is returned: a partial overwrite of inventory is worse than none.
    """
    data: Sequence[tuple[Hashable, float]] = rows if isinstance(rows, list | tuple) else list(rows)
    ratio = definition.ratio
    try:
        pairs = [(package_id, value * ratio) for package_id, value in data]
    except (TypeError, ValueError) as exc:
        raise _bad_row(data, str(definition.based_on), ratio) from exc
    if pairs:
        # Whole-column checks, each one pass in C. The input types: a bool or a numeric subclass is refused.
        # The results: sqrt raises on a negative and passes NaN and infinity (an overflow included) into the sum.
        input_types = set(map(type, map(_second, data)))
        try:
            finite = math.isfinite(sum(map(math.sqrt, map(_second, pairs))))
        except ValueError:
            finite = False
        if not finite or not input_types <= _NUMBER_TYPES:
            raise _bad_row(data, str(definition.based_on), ratio)
    return BulkApplication(definition, pairs, field, previous)
