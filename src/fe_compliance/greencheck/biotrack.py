"""BioTrack: the sale line's usable weight, then the product's default usable weight (seed 003, "Biotrack").

BioTrack has had two public APIs with different casings, and neither exposes the two fields the seed names under a
known name (``vendor-fields.md``, partial). The legacy API calls an inventory lot's usable weight ``usable_weight``
(and ``usableweight`` in its transfer look-up); the newer API calls it ``UsableWeight``. The line's usable weight is
read under those three spellings, the casing of each API, in that order; the product's "Default Usable Weight" is
read under the seed's label in both casings. Illinois' ``usableweightperunit`` shows that BioTrack's usable weights
are per unit, which is how both are read.
"""

from __future__ import annotations

from .fields import Confidence, FieldDoc, Record
from .plausibility import Plausibility
from .result import Basis
from .steps import LineQuantity, Weight
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_PARTIAL = "vendor-fields.md (BioTrack, partial): {where}; not found on a sale line"
_NONE = "none found: the seed's label (003, \"Biotrack\") in the {api} API's casing"

_DEFAULT_NEW = Weight("product default usable weight (DefaultUsableWeight)", Record.PRODUCT, "DefaultUsableWeight",
                      Basis.USABLE_WEIGHT, unit="g")
_DEFAULT_LEGACY = Weight("product default usable weight (default_usable_weight)", Record.PRODUCT,
                         "default_usable_weight", Basis.USABLE_WEIGHT, unit="g")

VENDOR = VendorSpec(
    slug="biotrack",
    name="BioTrack",
    rule=seed_rule(
        "biotrack", "Biotrack",
        ("BioTrack grams are the usable weight on the sale line, else the product's default usable weight, "
         "in grams, times the units sold"),
    ),
    summary=(
        "The usable weight written on the line of the sale comes first; when the line has none, the product's "
        "default usable weight stands in for it. Both are the usable cannabis in one unit, in grams, and are "
        "multiplied by the number of units on the line. Because BioTrack's two APIs spell usable weight "
        "differently, each field is looked for under every known spelling before the chain moves on."
    ),
    records={
        Record.PRODUCT: "the BioTrack product (inventory type / product set-up record)",
        Record.SALE_LINE: "one item of a BioTrack sale",
    },
    fields=(
        FieldDoc("UsableWeight", Record.SALE_LINE, Confidence.PARTIAL,
                 _PARTIAL.format(where="the newer API's inventory name"),
                 "usable weight of one unit sold, in grams (newer API casing)"),
        FieldDoc("usable_weight", Record.SALE_LINE, Confidence.PARTIAL,
                 _PARTIAL.format(where="the legacy API's inventory name"),
                 "usable weight of one unit sold, in grams (legacy API casing)"),
        FieldDoc("usableweight", Record.SALE_LINE, Confidence.PARTIAL,
                 _PARTIAL.format(where="the legacy transfer look-up's name"),
                 "usable weight of one unit sold, in grams (legacy look-up casing)"),
        FieldDoc("DefaultUsableWeight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE.format(api="newer"),
                 "the product's default usable weight of one unit, in grams"),
        FieldDoc("default_usable_weight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE.format(api="legacy"),
                 "the product's default usable weight of one unit, in grams"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the legacy API's lower-case name for a count", "units sold on the line"),
        FieldDoc("Quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the newer API's PascalCase name for a count",
                 "units sold on the line, when `quantity` is not set"),
    ),
    steps=(
        Weight("line usable weight (UsableWeight)", Record.SALE_LINE, "UsableWeight", Basis.USABLE_WEIGHT, unit="g"),
        Weight("line usable weight (usable_weight)", Record.SALE_LINE, "usable_weight", Basis.USABLE_WEIGHT,
               unit="g"),
        Weight("line usable weight (usableweight)", Record.SALE_LINE, "usableweight", Basis.USABLE_WEIGHT, unit="g"),
        _DEFAULT_NEW,
        _DEFAULT_LEGACY,
    ),
    quantity=LineQuantity("quantity", alternatives=("Quantity",)),
    decisions=(
        "The line's \"Usable Weight\" is read as `UsableWeight`, then `usable_weight`, then `usableweight`: the "
        "names BioTrack's newer API, legacy API and legacy transfer look-up give a lot's usable weight. None is "
        "confirmed on a sale line. A record normally carries one of them; if it carries several, the first wins "
        "and the trace says so.",
        "The product's \"Default Usable Weight\" has no known name: it is read as `DefaultUsableWeight` (newer API "
        "casing), then `default_usable_weight` (legacy casing). It is tried only after every spelling of the "
        "line's usable weight is missing, null or 0, as the seed orders it.",
        "Usable weights are in grams (BioTrack records weights in grams and gives no unit field beside them) and "
        "per unit (Illinois' `usableweightperunit` says so in its name); each is multiplied by the line's "
        "`quantity`. The quantity is read from `quantity` (the legacy casing), else `Quantity` (the newer API's), "
        "whatever the casing of the weight fields: the first that is set wins and the trace names it. A corrupt "
        "`quantity` is an error, not a reason to read `Quantity` instead.",
        "Not read: `RecUsableWeight` / `MedUsableWeight` (a lot's weight for one customer type; the seed's chain "
        "does not depend on the customer), `usableweightperunit` and `NetPackageWeight` (lot-level figures, neither "
        "the line's usable weight nor the product's default), `UnitBased` and `UOM` (the seed's chain does not "
        "branch on how a product is sold).",
        "With no usable weight on the line or the product, the line has no grams (NoGramsError), never zero.",
    ),
    plausibility=Plausibility(cross_checks=(_DEFAULT_NEW, _DEFAULT_LEGACY)),
)
