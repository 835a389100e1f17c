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
from .units import grams_quantity

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
    inputs: Sequence[tuple[Hashable, float]] | None = attrs.field(default=None, repr=False)
    """The rows as given (package id, based-on grams), for the change records' arithmetic."""

    def __len__(self) -> int:
        return len(self.pairs)

    def changes(self) -> Iterator[Change]:
        """Change records, built one at a time on demand, each showing its arithmetic (based-on grams x ratio).

        ``old`` is the previous FE in grams (a Quantity) when ``previous`` was given (rows whose value did not change
        are skipped then), else ``None``. The bulk path does not know whether an old value was calculated or typed in,
        so it does not claim either: ``old`` is a plain amount, not a ``FlowerEquivalent`` with a source."""
        key = self.definition.key
        previous = self.previous
        based_on = self.definition.based_on
        ratio = f"x ratio {self.definition.ratio:.6g} ({key})"
        inputs = self.inputs
        for index, (package_id, grams) in enumerate(self.pairs):
            try:
                old: float | None = None if previous is None else previous.get(package_id)
            except (TypeError, ArithmeticError) as exc:  # an id that cannot be hashed: ids are not checked up front
                raise InvalidValueError(f"rows[{index}]", package_id, "a package id must be hashable") from exc
            if old is not None and old == grams:
                continue
            value = f" {inputs[index][1]:.10g} g " if inputs is not None else " "
            yield Change(
                "package", str(package_id), self.field,
                None if old is None else grams_quantity(old + 0.0),
                FlowerEquivalent.calculated(grams, key), fe_rules.APPLY_TO_INVENTORY,
                f"{based_on}{value}{ratio} = {grams:.6g} g",
            )


def _bad_grams(value: object, field: str, what: str, ratio: float) -> InvalidQuantityError | None:
    """Why ``value`` is not usable grams (``None`` when it is): the one check behind both columns' messages."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return InvalidQuantityError(field, value, f"{what}: expected grams as a float")
    if type(value) not in _NUMBER_TYPES:
        return InvalidQuantityError(field, value, f"{what}: expected grams as a plain float or int")
    try:
        grams = float(value)
    except OverflowError:  # an int beyond any float
        grams = math.inf
    if not math.isfinite(grams) or grams < 0:
        return InvalidQuantityError(field, value, f"{what}: grams must be finite and not negative")
    if not math.isfinite(grams * ratio):
        return InvalidQuantityError(field, value, f"{what}: too large, the FE overflows")
    return None


def _bad_row(rows: Sequence[tuple[Hashable, float]], field: str, ratio: float) -> InvalidValueError:
    """Find the first bad row for the error message (only run once something is known to be wrong)."""
    for index, row in enumerate(rows):
        try:
            package_id, value = row
        except (TypeError, ValueError):
            return InvalidValueError(f"rows[{index}]", row, "expected a (package id, grams) pair")
        problem = _bad_grams(value, f"rows[{index}].{field}", f"package {package_id!r}", ratio)
        if problem is not None:
            return problem
    return InvalidValueError("rows", "<column>", "the values do not add up to a finite total")


def _checked_rows(rows: object) -> Sequence[tuple[Hashable, float]]:
    if isinstance(rows, list | tuple):
        return rows
    if isinstance(rows, Mapping | str | bytes):
        # A mapping iterates over its keys alone; pass mapping.items() for (id, grams) pairs.
        raise InvalidValueError("rows", rows, "expected (package id, grams) pairs, e.g. a list or mapping.items()")
    try:
        return list(rows)  # type: ignore[call-overload, no-any-return]
    except TypeError as exc:
        raise InvalidValueError("rows", rows, "expected an iterable of (package id, grams) pairs") from exc


def _checked_previous(previous: object) -> Mapping[Hashable, float] | None:
    """``previous`` is checked whole when given: a bad old value would otherwise fail half-way through
    :meth:`BulkApplication.changes`, after the caller has started writing records."""
    if previous is None:
        return None
    if not isinstance(previous, Mapping):
        raise InvalidValueError("previous", previous, "expected a mapping of package id to previous FE grams")
    values = previous.values()
    if set(map(type, values)) <= _NUMBER_TYPES:
        try:
            if math.isfinite(sum(map(math.sqrt, values))):
                return previous
        except (ValueError, OverflowError):
            pass
    for package_id, value in previous.items():
        problem = _bad_grams(value, f"previous[{package_id!r}]", f"package {package_id!r}", 1.0)
        if problem is not None:
            raise problem
    raise InvalidValueError("previous", "<column>", "the old FE values do not add up to a finite total")


def apply_definition_bulk(
    definition: FlowerEquivalencyDefinition,
    rows: Iterable[tuple[Hashable, float]],
    *,
    field: str = "flower_equivalent",
    previous: Mapping[Hashable, float] | None = None,
) -> BulkApplication:
    """Multiply every row's based-on grams by the definition's ratio.

    Any bad row (not a pair, not a number, negative, NaN, infinite) fails the whole call with an error naming its
    index and package id, before anything is returned: a partial overwrite of inventory is worse than none. So does
    a bad ``previous`` (not a mapping, or an old FE that is not finite non-negative grams). Package ids are passed
    through as given, unchecked (checking a million of them would double the cost of the call).
    """
    data = _checked_rows(rows)
    previous = _checked_previous(previous)
    ratio = definition.ratio
    try:
        pairs = [(package_id, value * ratio) for package_id, value in data]
    except (TypeError, ValueError, OverflowError) as exc:
        raise _bad_row(data, str(definition.based_on), ratio) from exc
    if pairs:
        # Whole-column checks, each one pass in C. The input types: a bool or a numeric subclass is refused.
        # The results: sqrt raises on a negative and passes NaN and infinity (an overflow included) into the sum.
        # Types first: a numeric subclass may multiply into anything, which sqrt would then trip over.
        finite = set(map(type, map(_second, data))) <= _NUMBER_TYPES
        if finite:
            try:
                finite = math.isfinite(sum(map(math.sqrt, map(_second, pairs))))
            except ValueError:
                finite = False
        if not finite:
            raise _bad_row(data, str(definition.based_on), ratio)
    return BulkApplication(definition, pairs, field, previous, data)
