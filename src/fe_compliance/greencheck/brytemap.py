"""Brytemap: the upper weight of the product's size map (seed 003, "Brytemap").

The seed says a Brytemap product carries a "Size Map", a range of weights, and that Green Check uses the upper
weight. Neither the field's name nor its shape is public (``vendor-fields.md``: none found), so this module reads
``sizeMap`` (the seed's label in camel case) and accepts exactly the shapes listed in :data:`SHAPES`; anything else
is refused by name, because a guess at a shape nobody documented could return any number at all.

The range is parsed by a :class:`~fe_compliance.greencheck.steps.Compute` step that reads only through
:mod:`fe_compliance.greencheck.fields`, so bad values become :class:`~fe_compliance.greencheck.errors.VendorFieldError`
and units go through the one spelling table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .fields import (
    Confidence,
    FieldDoc,
    FieldProblem,
    Measure,
    Record,
    as_number,
    as_text,
    as_unit,
    checked_weight,
    mass_factor,
    measure_grams,
    parse_measure_range,
)
from .result import Basis, ExtractOptions
from .steps import Compute, LineQuantity, Note
from .vendor import VendorSpec, seed_rule

__all__ = ["SHAPES", "VENDOR"]

FIELD: Final = "sizeMap"
_SOURCE: Final = f"product.{FIELD}"
_MAP_KEYS: Final = frozenset({"low", "high", "unit"})

SHAPES: Final = (
    "a number: one weight in grams (a range of one weight), e.g. `3.5`",
    "text: one weight or two joined by a hyphen (or an en dash), each end with an optional unit; an end without "
    "a unit takes the other end's, and with no unit at all the weights are grams, e.g. `\"3.5g\"`, "
    "`\"1-3.5 g\"`, `\"1 g - 3.5 g\"`, `\"0.5 - 1 oz\"` (read by the library's one reader of amounts written "
    "with their unit, `fields.parse_measure_range`: each number by the library's numeric rules, so `\"1,000 mg\"` "
    "and `\"1e3 g\"` are read and `\"1,5 g\"` is refused)",
    "a list of one or two weights in grams, `[high]` or `[low, high]`, each a number or a numeric string",
    "an object `{\"low\": ..., \"high\": ..., \"unit\": ...}`: `high` is the upper weight, `low` is optional, "
    "`unit` is optional (grams when absent); no other keys",
)
"""Every shape of ``sizeMap`` this module reads (they are listed on the vendor's page, and each one is tested)."""

_TEXT_HINT: Final = "expected a weight or a range of weights such as '1-3.5 g'"


class _Skip(Exception):  # noqa: N818 - internal: the size map gives no usable upper weight (not an error)
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _factor(raw_unit: Any, field: str) -> float:
    """Grams per unit of ``raw_unit`` (missing means grams); a unit that is not a mass skips, never converts."""
    if as_unit(raw_unit, field) is None:
        return 1.0
    factor = mass_factor(raw_unit, field)
    if isinstance(factor, str):
        raise _Skip(factor)
    return factor


def _grams(measure: Measure, field: str, raw: Any, default_unit: str) -> float:
    grams = measure_grams(measure, field, raw, default_unit=default_unit)
    if isinstance(grams, str):
        raise _Skip(grams)
    return grams


def _ends(low: float | None, high: float | None, field: str, raw: Any) -> float:
    """The upper weight of a range given by its ends (grams); a reversed range is refused."""
    if high is None:
        raise _Skip(f"{field} has no upper weight")
    if low is not None and low > high:
        raise FieldProblem(field, raw, "the range's low end is above its high end (mis-keyed?)")
    return high


def _from_text(raw: str, field: str) -> float | None:
    """The library's one reader of amounts written with their unit (one weight, or a range of two); an end without
    a unit takes the other end's, and with no unit at all the weights are grams."""
    ends = parse_measure_range(raw, field, hint=_TEXT_HINT)
    if ends is None:
        return None
    low, high = ends
    if low is None:  # one weight: its own upper end
        return _grams(high, field, raw, "g")
    return _ends(_grams(low, field, raw, high.unit or "g"), _grams(high, field, raw, low.unit or "g"), field, raw)


def _from_list(raw: list[Any] | tuple[Any, ...], field: str) -> float | None:
    if not raw:
        return None
    if len(raw) > 2:
        raise FieldProblem(field, raw, "a size range has at most two ends, [low, high]")
    values = [as_number(item, f"{field}[{index}]") for index, item in enumerate(raw)]
    if len(values) == 1:
        if values[0] is None:
            raise _Skip(f"{field} has no upper weight")
        return checked_weight(values[0], field, raw)
    low, high = values
    return checked_weight(_ends(low, high, field, raw), field, raw)


def _from_mapping(raw: Mapping[Any, Any], field: str) -> float | None:
    if not raw:
        return None
    extra = [key for key in raw if key not in _MAP_KEYS]
    if extra:
        raise FieldProblem(field, raw, "a size map object holds only 'low', 'high' and 'unit'")
    factor = _factor(raw.get("unit"), f"{field}.unit")
    low = as_number(raw.get("low"), f"{field}.low")
    high = as_number(raw.get("high"), f"{field}.high")
    low_grams = checked_weight(low * factor, f"{field}.low", low) if low is not None else None
    high_grams = checked_weight(high * factor, f"{field}.high", high) if high is not None else None
    return _ends(low_grams, high_grams, field, raw)


def _upper_weight(raw: Any, field: str = _SOURCE) -> float | None:
    """The upper weight, in grams, of a size map in any of the :data:`SHAPES`; ``None`` when it is not set.

    Raises :class:`~fe_compliance.greencheck.fields.FieldProblem` for any other shape, for a bad number, and for a
    reversed range. Raises the internal ``_Skip`` when the map is present but gives no upper weight in a mass unit
    (the chain then reports no grams, with the reason).
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        as_number(raw, field)  # raises: a true/false value is no weight
    if isinstance(raw, (int, float)):
        value = as_number(raw, field)
        assert value is not None
        return checked_weight(value, field, raw)
    if isinstance(raw, str):
        return _from_text(raw, field)
    if isinstance(raw, (list, tuple)):
        return _from_list(raw, field)
    if isinstance(raw, Mapping):
        return _from_mapping(raw, field)
    as_text(raw, field)  # raises with the value's kind
    raise FieldProblem(field, raw, "not a size map")  # pragma: no cover - as_text raised


def _size_map_upper(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
                    note: Note) -> float | None:
    raw = product.get(FIELD)
    try:
        grams = _upper_weight(raw)
    except _Skip as skip:
        if note is not None:
            note(skip.reason)
        return None
    if note is not None:
        if grams is None:
            note(f"{_SOURCE} is missing" if raw is None else f"{_SOURCE} is empty ({raw!r})")
        elif grams:
            note(f"{_SOURCE} = {raw!r} -> upper weight {grams:.6g} g per unit")
    return grams


VENDOR = VendorSpec(
    slug="brytemap",
    name="Brytemap",
    rule=seed_rule(
        "brytemap", "Brytemap",
        "Brytemap grams are the upper weight of the product's size map, times the units sold",
    ),
    summary=(
        "A Brytemap product describes its size as a range of weights, and the grams of a sale are the top of that "
        "range for each unit sold: for a purchase limit the upper end is the reading that cannot under-count. The "
        "size map is accepted in four documented shapes (a number, text such as \"1-3.5 g\", a [low, high] list, "
        "or a low/high/unit object); any other shape is an error naming the field and the value."
    ),
    records={
        Record.PRODUCT: "the Brytemap product",
        Record.SALE_LINE: "one line of a Brytemap sale",
    },
    fields=(
        FieldDoc(FIELD, Record.PRODUCT, Confidence.NONE_FOUND,
                 "none found: the seed's label (003, \"Brytemap\") in camel case",
                 "the size range of one unit; its upper weight is read (shapes: see Decisions)"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the usual name of a sale line's count", "units sold on the line"),
    ),
    steps=(
        Compute("size map upper weight", FIELD, Record.PRODUCT, Basis.PRODUCT_WEIGHT, _size_map_upper,
                reads=((Record.PRODUCT, FIELD),),
                explains=(f"the upper weight of `{_SOURCE}` in grams, from a number, range text, a [low, high] "
                          "list or a low/high/unit object (units through the one spelling table; a percentage, "
                          "count or volume is skipped)")),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The size map's name and shape are not public. It is read as `sizeMap` in exactly these shapes, each "
        "tested: " + "; ".join(SHAPES) + ". Any other shape (an object with other keys, a list of three weights, "
        "text that is not a weight range, a true/false value) is a VendorFieldError naming `product.sizeMap` and "
        "the value.",
        "The upper weight is the high end. A range whose low end is above its high end is refused as mis-keyed "
        "(VendorFieldError) rather than silently reordered: either number could be the wrong one (\"3.5-1 g\" "
        "may be 0.35-1 g or 1-3.5 g). It stays an error, not a value with a warning: warnings are built on the "
        "traced path only, so in bulk a reordered range would pass as an ordinary number, and the record is "
        "cheaper to fix than every limit check it would feed.",
        "A range with no upper weight (an object with only `low`, `[low, null]`) gives no grams rather than the "
        "low end: using the lower weight could pass a sale the seed's rule would flag. An absent, null, blank or "
        "empty size map, or an upper weight of 0, is not set.",
        "Weights without a unit are grams. A unit that is not a mass (\"%\", \"each\", \"ml\") or that the spelling "
        "table does not know gives no grams, with the reason in the trace, never a conversion.",
        "The size map describes one unit, so its upper weight is multiplied by the line's `quantity`.",
    ),
)
