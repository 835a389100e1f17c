"""Meadow: the ``content`` of the product option sold (seed 003, "Meadow").

A Meadow product is sold through its options: ``options: [{id, name, amount, content, ...}]``, one per size on the
menu ("Gram", "Eighth"). The seed reads the option's ``content`` to get the grams of the product sold. Two things
are left open, and are decided here (and on the generated page):

*Which option was sold.* Meadow's order line items name it: ``optionId`` on an order's ``lineItems`` (order detail
API), ``productOptionId`` on the line items of the pricing and create-order requests, and ``optionName`` beside
``optionId``. The option is found by id (``optionId``, else ``productOptionId``), else by name; when the line names
none and the product has exactly one option, that option is the one sold. Anything else gives no grams.

*The unit of ``content``.* Meadow's list-categories page says it: a product category's ``cannabisType`` is "the
type of cannabis content all products in this category have", used for purchase limits, and each type names its
unit (https://api-docs.getmeadow.com/endpoints/products/list-categories):

- ``non-concentrated`` (flower, pre-rolls): grams. Basis ``weight_sold``.
- ``concentrated`` (concentrates, vapes, and edibles outside New Jersey and Massachusetts) and ``edibles`` (New
  Jersey and Massachusetts): milligrams of cannabis content. Basis ``thc``. Meadow's example vape (a Dosist pen,
  ``content`` "112.5") is 112.5 mg.
- ``mi-infused-solids`` (Michigan only): ounces. Basis ``net_weight`` (Michigan limits infused solids by weight).
- ``mi-infused-fluids`` (Michigan only): fluid ounces, a volume: no grams (a volume never becomes a weight).
- ``immature-plant`` and ``none``: no cannabis content to count in grams.

The type is read from the product's ``primaryCategory.cannabisType`` (the menu, products/all and package records
embed the category with it; an order's line items carry only the category's name). Until issue 9 this module took
the unit from the product's ``unit`` ("gram" -> grams, "item" -> milligrams), which Meadow does not say and which
is wrong for a flower product sold per item: a 1 g pre-roll sold as an item counted 0.001 g, so a sale over a
purchase limit passed. The product's ``unit`` now only says whether an option's ``amount`` is grams (the
cross-check).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from .fields import Confidence, FieldDoc, FieldProblem, Record, as_number, as_text, as_unit
from .plausibility import Plausibility, compare_weights
from .result import Basis, ExtractOptions
from .steps import Compute, Computed, FieldIs, LineQuantity, Note, Weight, weight_value
from .vendor import VendorSpec, seed_rule

__all__ = ["CANNABIS_TYPE", "CONCENTRATED", "EDIBLES", "GRAM_PRODUCT", "MI_INFUSED_SOLIDS", "NON_CONCENTRATED",
           "VENDOR", "option_sold"]

_REF = "vendor-fields.md (Meadow public API docs, confirmed)"
_ORDERS = ("Meadow public API docs (order detail `lineItems`: optionId, optionName, quantity); not listed in "
           "vendor-fields.md")
_PRICING = ("Meadow public API docs (pricing and create-order `lineItems`: productOptionId, quantity); not listed "
            "in vendor-fields.md")
_MENU = "Meadow public API docs (menu and product records); not listed in vendor-fields.md"
_CATEGORIES = ("vendor-fields.md (Meadow, confirmed); Meadow list-categories page, "
               "https://api-docs.getmeadow.com/endpoints/products/list-categories (the enum and each type's unit)")

CANNABIS_TYPE: Final = "primaryCategory.cannabisType"
"""Where the product's cannabis type is: its primary category, embedded in Meadow's product records."""

NON_CONCENTRATED = FieldIs(Record.PRODUCT, CANNABIS_TYPE, equals=("non-concentrated",))
CONCENTRATED = FieldIs(Record.PRODUCT, CANNABIS_TYPE, equals=("concentrated",))
EDIBLES = FieldIs(Record.PRODUCT, CANNABIS_TYPE, equals=("edibles",))
MI_INFUSED_SOLIDS = FieldIs(Record.PRODUCT, CANNABIS_TYPE, equals=("mi-infused-solids",))

GRAM_PRODUCT = FieldIs(Record.PRODUCT, "unit", equals=("gram", "grams"))
"""A product sold by the gram: its options' ``amount`` is in grams (used only to cross-check ``content``)."""

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


def _amount_check(product: Mapping[str, Any], option: Mapping[str, Any], index: int, grams: float,
                  field: str) -> Computed | float:
    """An option carries its size twice on a product sold by the gram: ``amount`` (in the product's unit, grams)
    and ``content`` (what the seed reads). Content ten times larger or smaller than the amount is a unit slip
    (milligrams keyed into content), so the value comes back with a ``weights_disagree`` warning. A product not
    sold by the gram (its amount counts items), or an amount that is missing, zero or not a number, is no
    cross-check (it is not the value the grams came from), never an error."""
    try:
        by_the_gram = GRAM_PRODUCT.compile()(product, {})
    except FieldProblem:
        return grams
    if not by_the_gram:
        return grams
    amount_field = f"{_OPTIONS}[{index}].amount"
    try:
        amount = as_number(option.get("amount"), amount_field)
    except FieldProblem:
        return grams
    if not amount:
        return grams
    warning = compare_weights(grams, Basis.WEIGHT_SOLD, field, amount, Basis.WEIGHT_SOLD, amount_field)
    return grams if warning is None else Computed(grams, (warning,))


def _factor(spelling: str) -> float:
    unit = as_unit(spelling, "unit")
    assert unit is not None and unit.grams_per_unit is not None, spelling
    return unit.grams_per_unit


def _content_reader(unit_spelling: str, unit_words: str, cannabis_type: str, *, check_amount: bool) -> Callable[
        [Mapping[str, Any], Mapping[str, Any], ExtractOptions, Note], Computed | float | None]:
    """The rule for one cannabis type: the sold option's ``content``, read in ``unit_spelling`` (through the one
    unit table), cross-checked against the option's ``amount`` on the traced path when ``check_amount``."""
    factor = _factor(unit_spelling)

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
        note(f"{field} = {raw!r}, in {unit_words} because product.{CANNABIS_TYPE} is {cannabis_type!r} -> "
             f"{grams:.6g} g per unit")
        return _amount_check(product, option, index, grams, field) if check_amount else grams

    return read


_READS: Final = (
    (Record.PRODUCT, "options"), (Record.PRODUCT, "options.id"), (Record.PRODUCT, "options.name"),
    (Record.PRODUCT, "options.content"), (Record.SALE_LINE, "optionId"), (Record.SALE_LINE, "productOptionId"),
    (Record.SALE_LINE, "optionName"),
)
_GRAM_READS: Final = (*_READS, (Record.PRODUCT, "options.amount"), (Record.PRODUCT, "unit"))
_SOLD: Final = "options[sold].content"

_FIND = ("the `content` of the option sold (by `sale_line.optionId`, else `sale_line.productOptionId`, else "
         "`sale_line.optionName`, else the only option), a plain number read in ")

VENDOR = VendorSpec(
    slug="meadow",
    name="Meadow",
    rule=seed_rule(
        "meadow", "Meadow",
        "Meadow grams are the content of the product option sold, times the units sold",
    ),
    summary=(
        "A Meadow product is sold through its options (Gram, Eighth ...), and the grams come from the content of "
        "the option on the sale line, found by its id, else its name, else as the product's only option. The "
        "unit of content is set by the cannabis type of the product's category, as Meadow's list-categories page "
        "documents: grams for non-concentrated products (flower, pre-rolls), milligrams for concentrated products "
        "and edibles, ounces for Michigan infused solids; Michigan infused fluids are measured in fluid ounces, a "
        "volume, and give no grams. The value is per option unit and multiplied by the line's quantity."
    ),
    records={
        Record.PRODUCT: ("the Meadow product (products/all, menu or package `product` record, with its `options` and "
                         "its `primaryCategory` carrying `cannabisType`)"),
        Record.SALE_LINE: "one element of a Meadow order's `lineItems`",
    },
    fields=(
        FieldDoc("primaryCategory.cannabisType", Record.PRODUCT, Confidence.CONFIRMED, _CATEGORIES,
                 "decides the unit of content: non-concentrated g; concentrated and edibles mg; mi-infused-solids "
                 "oz; mi-infused-fluids fl oz (a volume: no grams)"),
        FieldDoc("unit", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "\"gram\" or \"item\": only whether an option's amount is in grams (the cross-check); it does not "
                 "decide the unit of content"),
        FieldDoc("options", Record.PRODUCT, Confidence.CONFIRMED, _REF, "the product's options (sizes on the menu)"),
        FieldDoc("options.id", Record.PRODUCT, Confidence.CONFIRMED, _MENU, "option id, matched to the line's id"),
        FieldDoc("options.name", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "option name (\"Eighth\"), matched to the line's optionName"),
        FieldDoc("options.amount", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the option's size in the product's unit (grams on a gram product): cross-check of content only"),
        FieldDoc("options.content", Record.PRODUCT, Confidence.CONFIRMED, _REF,
                 "the seed's \"content\": a plain number as text (\"3.5\"), per option unit, in the unit of the "
                 "cannabis type"),
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
        Compute("option content (non-concentrated: grams)", _SOLD, Record.PRODUCT, Basis.WEIGHT_SOLD,
                _content_reader("g", "grams", "non-concentrated", check_amount=True), reads=_GRAM_READS,
                explains=(_FIND + "grams, cross-checked against the option's `amount` on a product sold by the gram "
                          "(a warning when they differ tenfold)"),
                when=NON_CONCENTRATED),
        Compute("option content (concentrated: milligrams)", _SOLD, Record.PRODUCT, Basis.THC,
                _content_reader("mg", "milligrams", "concentrated", check_amount=False), reads=_READS,
                explains=_FIND + "milligrams of cannabis content", when=CONCENTRATED),
        Compute("option content (edibles: milligrams)", _SOLD, Record.PRODUCT, Basis.THC,
                _content_reader("mg", "milligrams", "edibles", check_amount=False), reads=_READS,
                explains=_FIND + "milligrams of cannabis content", when=EDIBLES),
        Compute("option content (Michigan infused solids: ounces)", _SOLD, Record.PRODUCT, Basis.NET_WEIGHT,
                _content_reader("oz", "ounces", "mi-infused-solids", check_amount=False), reads=_READS,
                explains=_FIND + "ounces (avoirdupois, 28.349523125 g)", when=MI_INFUSED_SOLIDS),
    ),
    quantity=LineQuantity("quantity"),
    decisions=(
        "The option sold is the one whose `id` equals the line's `optionId` (order detail line items), else its "
        "`productOptionId` (pricing and create-order line items); ids match as numbers or text (1433, \"1433\", "
        "1433.0). Without an id, the option whose `name` equals the line's `optionName` (case-folded; exactly one "
        "must match). A line naming no option takes the product's option only when it has exactly one. A line "
        "naming an option the product lacks, an ambiguous name, or no option on a product with several gives "
        "NoGramsError: guessing the size sold could be off by a factor of 28.",
        "The unit of `content` comes from `primaryCategory.cannabisType`, as Meadow's list-categories page "
        "documents (it is the type \"used to calculate purchase limits\"): `non-concentrated` grams (basis "
        "`weight_sold`), `concentrated` and `edibles` milligrams of cannabis content (basis `thc`), "
        "`mi-infused-solids` ounces (basis `net_weight`). Before this change the product's `unit` decided it "
        "(\"item\" meant milligrams), so a 1 g pre-roll sold per item in a non-concentrated category counted "
        "0.001 g and a sale over the limit passed unflagged. The product's `unit` is no longer part of the rule.",
        "`mi-infused-fluids` content is in fluid ounces, a volume: no step reads it and the line gives "
        "NoGramsError (a volume is never turned into grams by a guessed density). `immature-plant`, `none`, a "
        "missing cannabis type or any other value leave the unit of `content` unknown: NoGramsError, never a guess. "
        "An order line item's `primaryCategory` has no `cannabisType`: pass the product record (or merge the "
        "category record from list-categories into its `primaryCategory`).",
        "`content` must be a plain number (\"3.5\", \"1,000\"); text with a unit in it (\"3.5g\") is a "
        "VendorFieldError, because Meadow documents content as a number in a string.",
        "`content` is per option unit (one Eighth) and is multiplied by the line's `quantity` (two Eighths). "
        "The option's `amount` is not a step of the chain (the seed names `content`), but on a product sold by the "
        "gram it is the same size in grams, so a non-concentrated `content` ten times larger or smaller than it "
        "(\"3500\" against 3.5: milligrams keyed into content) comes back with a `weights_disagree` warning. On "
        "a product sold by the item the amount counts items and is not compared. A missing or non-numeric amount "
        "is no cross-check and never an error.",
    ),
    plausibility=Plausibility(
        category=((Record.PRODUCT, "primaryCategory.name"),),
        cross_checks=(
            Weight("product THC amount", Record.PRODUCT, "thcAmount", Basis.THC, unit_field="thcUnit"),
        ),
    ),
    changes=(
        "Issue 9 (a review against Meadow's real payloads): the unit of an option's `content` was taken "
        "from the product's `unit` (\"item\" read as milligrams), so a 1 g pre-roll sold per item counted "
        "0.001 g and a sale over a limit passed silently. It now comes from `primaryCategory.cannabisType`, "
        "whose values and units are Meadow's list-categories page "
        "(https://api-docs.getmeadow.com/endpoints/products/list-categories): non-concentrated g, "
        "concentrated and edibles mg, mi-infused-solids oz, mi-infused-fluids fl oz (no grams).",
    ),
)
