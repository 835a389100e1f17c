"""Meadow: the ``content`` of the product option sold (seed 003, "Meadow").

A Meadow product is sold through its options: ``options: [{id, name, amount, content, ...}]``, one per size on the
menu ("Gram", "Eighth"). The seed reads the option's ``content`` to get the grams of the product sold. Two things
are left open, and are decided here (and on the generated page):

*Which option was sold.* Meadow's order line items name it: ``optionId`` on an order's ``lineItems`` (order detail
API), ``productOptionId`` on the line items of the pricing and create-order requests, and ``optionName`` beside
``optionId``. The option is found by id (``optionId``, else ``productOptionId``), else by name; when the line names
none and the product has exactly one option, that option is the one sold. Anything else gives no grams.

*The unit of ``content``.* Meadow does not state it; ``content`` is a string such as ``"3.5"``. The product's
``unit`` ("gram" or "item") decides:

- ``gram`` products: grams. In Meadow's own examples the options of a gram product carry the same number in
  ``amount`` (the size in the product's unit, grams) and in ``content``: "Gram" 1 and "1", "Eighth" 3.5 and "3.5".
- ``item`` products: milligrams of cannabinoid content. Meadow's example item product (a Dosist pen, one item per
  option) has ``content`` "112.5", the milligrams in a 50-dose pen; read as grams it would be a 112 g vape pen,
  four times a retail flower limit from one cartridge. The basis reported is ``thc``.

A product whose ``unit`` is missing or anything else gives no grams: the unit of ``content`` cannot be known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from .fields import Confidence, FieldDoc, FieldProblem, Record, as_number, as_text
from .plausibility import Plausibility, compare_weights
from .result import Basis, ExtractOptions
from .steps import Compute, Computed, FieldIs, LineQuantity, Note, Weight, weight_value
from .vendor import VendorSpec, seed_rule

__all__ = ["GRAM_PRODUCT", "ITEM_PRODUCT", "VENDOR", "option_sold"]

_REF = "vendor-fields.md (Meadow public API docs, confirmed)"
_ORDERS = ("Meadow public API docs (order detail `lineItems`: optionId, optionName, quantity); not listed in "
           "vendor-fields.md")
_PRICING = ("Meadow public API docs (pricing and create-order `lineItems`: productOptionId, quantity); not listed "
            "in vendor-fields.md")
_MENU = "Meadow public API docs (menu and product records); not listed in vendor-fields.md"

GRAM_PRODUCT = FieldIs(Record.PRODUCT, "unit", equals=("gram", "grams"))
ITEM_PRODUCT = FieldIs(Record.PRODUCT, "unit", equals=("item", "items"))

_OPTIONS: Final = "product.options"
_ID_KEYS: Final = ("optionId", "productOptionId")


def _option_id(raw: Any, field: str) -> str | None:
    """An option id as text (Meadow ids are numbers; some clients send them as strings), or ``None``."""
    if raw is None:
        return None
    if type(raw) is int:
        try:
            return str(raw)
        except ValueError:  # more digits than Python will print: no real id
            raise FieldProblem(field, raw, "not an option id") from None
    if type(raw) is str:
        return raw.strip() or None
    if type(raw) is float and raw.is_integer():
        return str(int(raw))
    raise FieldProblem(field, raw, "expected an option id (a number or text)")


def option_sold(product: Mapping[str, Any], sale_line: Mapping[str, Any],
                note: Note) -> tuple[int, Mapping[str, Any]] | None:
    """``(index, option)`` of the option the line sold, or ``None`` (with the reason given to ``note``).

    By id: the line's ``optionId``, else its ``productOptionId``, against each option's ``id``. Else by name: the
    line's ``optionName`` against each option's ``name`` (case-folded; it must match exactly one). Else, when the
    line names no option, the product's only option. A list that is not a list of objects is a field problem.
    """
    options = product.get("options")
    if options is None:
        if note is not None:
            note(f"{_OPTIONS} is missing")
        return None
    if not isinstance(options, Sequence) or isinstance(options, (str, bytes)):
        raise FieldProblem(_OPTIONS, options, "expected a list of options")
    for option in options:
        if not isinstance(option, Mapping):
            raise FieldProblem(_OPTIONS, option, "expected each option to be an object")
    if not options:
        if note is not None:
            note(f"{_OPTIONS} is empty")
        return None
    for key in _ID_KEYS:
        wanted = _option_id(sale_line.get(key), f"sale_line.{key}")
        if wanted is None:
            continue
        for index, option in enumerate(options):
            if _option_id(option.get("id"), f"{_OPTIONS}[{index}].id") == wanted:
                if note is not None:
                    note(f"option sold: {_OPTIONS}[{index}] ({option.get('name')!r}), id {wanted} from sale_line.{key}")
                return index, option
        if note is not None:
            note(f"no element of {_OPTIONS} has id {wanted} (sale_line.{key})")
        return None
    name = as_text(sale_line.get("optionName"), "sale_line.optionName")
    if name is not None:
        folded = name.casefold()
        found = [(index, option) for index, option in enumerate(options)
                 if (as_text(option.get("name"), f"{_OPTIONS}[{index}].name") or "").casefold() == folded]
        if len(found) == 1:
            if note is not None:
                note(f"option sold: {_OPTIONS}[{found[0][0]}], named {name!r} by sale_line.optionName")
            return found[0]
        if note is not None:
            what = "no element" if not found else f"{len(found)} elements"
            note(f"{what} of {_OPTIONS} named {name!r} (sale_line.optionName)")
        return None
    if len(options) == 1:
        if note is not None:
            note(f"the line names no option; the product has one, {_OPTIONS}[0] ({options[0].get('name')!r})")
        return 0, options[0]
    if note is not None:
        note(f"the line names no option (optionId, productOptionId or optionName) and {_OPTIONS} has "
             f"{len(options)} elements")
    return None


def _amount_check(option: Mapping[str, Any], index: int, grams: float, field: str) -> Computed | float:
    """A gram product's option carries its size twice: ``amount`` (in the product's unit, grams) and ``content``
    (what the seed reads). Content ten times larger or smaller than the amount is a unit slip (milligrams keyed into
    content), so the value comes back with a ``weights_disagree`` warning. An amount that is missing, zero or not a
    number is no cross-check (it is not the value the grams came from), never an error."""
    amount_field = f"{_OPTIONS}[{index}].amount"
    try:
        amount = as_number(option.get("amount"), amount_field)
    except FieldProblem:
        return grams
    if not amount:
        return grams
    warning = compare_weights(grams, Basis.WEIGHT_SOLD, field, amount, Basis.WEIGHT_SOLD, amount_field)
    return grams if warning is None else Computed(grams, (warning,))


def _content_reader(factor: float, unit_text: str, product_unit: str, *, check_amount: bool) -> Callable[
        [Mapping[str, Any], Mapping[str, Any], ExtractOptions, Note], Computed | float | None]:
    """The rule for one branch: the sold option's ``content``, read in ``unit_text`` (and, for gram products,
    cross-checked against the option's ``amount`` on the traced path)."""

    def read(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
             note: Note) -> Computed | float | None:
        found = option_sold(product, sale_line, note)
        if found is None:
            return None
        index, option = found
        field = f"{_OPTIONS}[{index}].content"
        raw = option.get("content")
        value = weight_value(raw, field, note)
        if value is None:
            return None
        grams = value * factor
        if note is None:  # bulk: no strings, no warnings
            return grams
        note(f"{field} = {raw!r}, in {unit_text} because product.unit is {product_unit!r} -> {grams:.6g} g "
             "per unit")
        return _amount_check(option, index, grams, field) if check_amount else grams

    return read


_READS: Final = (
    (Record.PRODUCT, "options"), (Record.PRODUCT, "options.id"), (Record.PRODUCT, "options.name"),
    (Record.PRODUCT, "options.content"), (Record.SALE_LINE, "optionId"), (Record.SALE_LINE, "productOptionId"),
    (Record.SALE_LINE, "optionName"),
)
_GRAM_READS: Final = (*_READS, (Record.PRODUCT, "options.amount"))
_SOLD: Final = "options[sold].content"

VENDOR = VendorSpec(
    slug="meadow",
    name="Meadow",
    rule=seed_rule(
        "meadow", "Meadow",
        "Meadow grams are the content of the product option sold, times the units sold",
    ),
    summary=(
        "A Meadow product is sold through its options (Gram, Eighth ...), and the grams come from the content of "
        "the option on the sale line, found by its id, else its name, else as the product's only option. Meadow "
        "does not state the unit of content: for products sold by the gram it is grams (it equals the option's "
        "amount in Meadow's examples), for products sold by the item it is milligrams of cannabinoid content. "
        "The value is per option unit and multiplied by the line's quantity."
    ),
    records={
        Record.PRODUCT: "the Meadow product (product, menu or products/all record, with its `options`)",
        Record.SALE_LINE: "one element of a Meadow order's `lineItems`",
    },
    fields=(
        FieldDoc("unit", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "\"gram\" or \"item\": decides the unit of content (grams, milligrams)"),
        FieldDoc("options", Record.PRODUCT, Confidence.CONFIRMED, _REF, "the product's options (sizes on the menu)"),
        FieldDoc("options.id", Record.PRODUCT, Confidence.CONFIRMED, _MENU, "option id, matched to the line's id"),
        FieldDoc("options.name", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "option name (\"Eighth\"), matched to the line's optionName"),
        FieldDoc("options.amount", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the option's size in the product's unit (grams on a gram product): cross-check of content only"),
        FieldDoc("options.content", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the seed's \"content\": a plain number as text (\"3.5\"), per option unit"),
        FieldDoc("optionId", Record.SALE_LINE, Confidence.CONFIRMED, _ORDERS, "id of the option sold"),
        FieldDoc("productOptionId", Record.SALE_LINE, Confidence.CONFIRMED, _PRICING,
                 "id of the option sold, as the pricing and create-order requests spell it"),
        FieldDoc("optionName", Record.SALE_LINE, Confidence.CONFIRMED, _ORDERS,
                 "name of the option sold, used when the line carries no id"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.CONFIRMED, _ORDERS, "option units sold on the line"),
        FieldDoc("primaryCategory.name", Record.PRODUCT, Confidence.CONFIRMED, _MENU,
                 "category (\"Flower\", \"Vape\", \"Edibles\" ...), for the plausibility thresholds only"),
        FieldDoc("thcAmount", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "THC of the product, for the plausibility cross-check only"),
        FieldDoc("thcUnit", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "unit of thcAmount (\"mg\" is read; \"%\" is not a weight)"),
    ),
    steps=(
        Compute("option content (gram product)", _SOLD, Record.PRODUCT, Basis.WEIGHT_SOLD,
                _content_reader(1.0, "grams", "gram", check_amount=True), reads=_GRAM_READS,
                explains=("the `content` of the option sold (by `sale_line.optionId`, else `sale_line."
                          "productOptionId`, else `sale_line.optionName`, else the only option), a plain number "
                          "read in grams, cross-checked against the option's `amount` (a warning when they "
                          "differ tenfold)"),
                when=GRAM_PRODUCT),
        Compute("option content (item product)", _SOLD, Record.PRODUCT, Basis.THC,
                _content_reader(0.001, "milligrams", "item", check_amount=False), reads=_READS,
                explains=("the `content` of the option sold (found the same way), a plain number read in "
                          "milligrams of cannabinoid content"),
                when=ITEM_PRODUCT),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The option sold is the one whose `id` equals the line's `optionId` (order detail line items), else its "
        "`productOptionId` (pricing and create-order line items); ids match as numbers or text (1433, \"1433\", "
        "1433.0). Without an id, the option whose `name` equals the line's `optionName` (case-folded; exactly one "
        "must match). A line naming no option takes the product's option only when it has exactly one. A line "
        "naming an option the product lacks, an ambiguous name, or no option on a product with several gives "
        "NoGramsError: guessing the size sold could be off by a factor of 28.",
        "`content` of a product whose `unit` is \"gram\" is grams: in Meadow's examples it repeats the option's "
        "`amount`, which is in the product's unit (\"Eighth\": amount 3.5, content \"3.5\"). Basis `weight_sold`.",
        "`content` of a product whose `unit` is \"item\" is milligrams of cannabinoid content, basis `thc`: "
        "Meadow's example item product, a Dosist pen sold one item per option, has content \"112.5\", the "
        "milligrams of a 50-dose pen. Read as grams it would be a 112.5 g vape pen, which would turn every such "
        "sale into a limit exception.",
        "A product whose `unit` is missing or neither value leaves the unit of `content` unknown: NoGramsError, "
        "never a guess. `content` must be a plain number (\"3.5\", \"1,000\"); text with a unit in it (\"3.5g\") "
        "is a VendorFieldError, because Meadow documents content as a number in a string.",
        "`content` is per option unit (one Eighth) and is multiplied by the line's `quantity` (two Eighths). "
        "The option's `amount` is not a step of the chain (the seed names `content`), but on a gram product it is "
        "the same size in grams, so a `content` ten times larger or smaller than it (\"3500\" against 3.5: "
        "milligrams keyed into content) comes back with a `weights_disagree` warning. On an item product the "
        "amount counts items, not milligrams, and is not compared. A missing or non-numeric amount is no "
        "cross-check and never an error.",
    ),
    plausibility=Plausibility(
        category=((Record.PRODUCT, "primaryCategory.name"),),
        cross_checks=(
            Weight("product THC amount", Record.PRODUCT, "thcAmount", Basis.THC, unit_field="thcUnit"),
        ),
    ),
)
