"""BioTrack: the usable weight per unit of the inventory lot sold, times the line's quantity (seed 003, "Biotrack").

The seed reads "the Usable Weight on the line item of the sale", else the product's "Default Usable Weight". A real
BioTrack sale line carries only the lot's barcode, a quantity and a price (``barcodeid``, ``quantity``, ``price``):
BioTrack itself applies the usable weight from the inventory record of that barcode (``vendor-fields.md``,
partial). So the ``product`` record here is the inventory record the line's barcode names, and its usable weight
per unit is what stands behind the seed's "line" value. Its name depends on the state and the API version:

- ``usableweightperunit`` (Illinois; per unit by its name);
- ``UsableWeight`` (the newer API's inventory);
- ``RecUsableWeight`` / ``MedUsableWeight`` (New York and the newer API: one figure per customer type);
- ``usable_weight`` and ``rec_usableweight`` (the legacy API's inventory);
- ``usableweight`` (the legacy transfer look-up).

Until issue 9 this module read the usable weight from the sale line only (where a real line never has it) and
ignored the inventory fields, so every real BioTrack sale gave no grams.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .fields import Confidence, FieldDoc, Record
from .plausibility import Plausibility
from .result import Basis, ExtractOptions
from .steps import Compute, LineQuantity, Note, Weight, weight_value
from .vendor import VendorSpec, seed_rule

__all__ = ["VENDOR"]

_INVENTORY = "vendor-fields.md (BioTrack, partial): {where}"
_LINE = "none found on a sale line (vendor-fields.md, BioTrack): the {api} API's inventory name, read if present"
_NONE = "none found: the seed's label (003, \"Biotrack\") in the {api} API's casing"
_SALES_TABLE = ("a public SQL migration mirroring BioTrack's database sales table (a sale row with inventoryid, "
                "usableweight, usableweightperunit), found by exact-string search of public code; the repository "
                "was not identified; not in vendor-fields.md")

_DEFAULT_NEW = Weight("product default usable weight (DefaultUsableWeight)", Record.PRODUCT, "DefaultUsableWeight",
                      Basis.USABLE_WEIGHT, unit="g")
_DEFAULT_LEGACY = Weight("product default usable weight (default_usable_weight)", Record.PRODUCT,
                         "default_usable_weight", Basis.USABLE_WEIGHT, unit="g")

_REC: Final = "RecUsableWeight"
_MED: Final = "MedUsableWeight"


def _larger_of_rec_and_med(product: Mapping[str, Any], sale_line: Mapping[str, Any], options: ExtractOptions,
                           note: Note) -> float | None:
    """The larger of the lot's recreational and medical usable weights: the sale's customer type is not on the
    line, and the larger figure is never the looser reading of a purchase limit."""
    rec = weight_value(product.get(_REC), f"product.{_REC}", note)
    med = weight_value(product.get(_MED), f"product.{_MED}", note)
    if rec is None and med is None:
        return None
    if med is None or (rec is not None and rec >= med):
        chosen, name, other = rec, _REC, med
    else:
        chosen, name, other = med, _MED, rec
    if note is not None:
        also = f"; {other:.6g} g under the other customer type" if other is not None else ""
        note(f"product.{name} = {chosen:.6g} g per unit, the larger of the two customer types{also}")
    return chosen


def _inventory(label: str, path: str) -> Weight:
    return Weight(f"inventory usable weight ({label})", Record.PRODUCT, path, Basis.USABLE_WEIGHT, unit="g")


VENDOR = VendorSpec(
    slug="biotrack",
    name="BioTrack",
    rule=seed_rule(
        "biotrack", "Biotrack",
        ("BioTrack grams are the usable weight of one unit sold (on the line, else on the inventory record of the "
         "line's barcode), else the product's default usable weight, in grams, times the units sold"),
    ),
    summary=(
        "A BioTrack sale line names the inventory lot sold by its barcode and says how many units were sold; "
        "BioTrack applies the usable weight recorded on that lot. So the chain reads a usable weight written on the "
        "line, if the caller's line has one, then the usable weight per unit on the inventory record of the line's "
        "barcode, under each name BioTrack's states and API versions give it, and last the product's default "
        "usable weight. Each is grams of usable cannabis in one unit, multiplied by the units on the line."
    ),
    records={
        Record.PRODUCT: ("the BioTrack inventory record of the line's barcode (looked up by the caller; it also "
                         "stands for the product set-up record of the seed's default usable weight)"),
        Record.SALE_LINE: "one item of a BioTrack sale (`barcodeid`, `quantity`, `price`)",
    },
    fields=(
        FieldDoc("usableweightperunit", Record.SALE_LINE, Confidence.PARTIAL, _SALES_TABLE,
                 "usable weight of one unit sold, in grams, where the sale row carries it (BioTrack's sales table)"),
        FieldDoc("UsableWeight", Record.SALE_LINE, Confidence.NONE_FOUND, _LINE.format(api="newer"),
                 "usable weight of one unit, if the caller's line carries it (the seed's line value)"),
        FieldDoc("usable_weight", Record.SALE_LINE, Confidence.NONE_FOUND, _LINE.format(api="legacy"),
                 "usable weight of one unit, if the caller's line carries it (legacy casing)"),
        FieldDoc("usableweight", Record.SALE_LINE, Confidence.NONE_FOUND, _LINE.format(api="legacy look-up"),
                 "usable weight of one unit, if the caller's line carries it (legacy look-up casing)"),
        FieldDoc("usableweightperunit", Record.PRODUCT, Confidence.PARTIAL,
                 _INVENTORY.format(where="Illinois inventory"), "usable weight of one unit of the lot, in grams"),
        FieldDoc("UsableWeight", Record.PRODUCT, Confidence.PARTIAL,
                 _INVENTORY.format(where="newer API inventory"), "usable weight of one unit of the lot, in grams"),
        FieldDoc(_REC, Record.PRODUCT, Confidence.PARTIAL,
                 _INVENTORY.format(where="newer API and New York inventory"),
                 "usable weight of one unit for a recreational sale, in grams"),
        FieldDoc(_MED, Record.PRODUCT, Confidence.PARTIAL,
                 _INVENTORY.format(where="newer API and New York inventory"),
                 "usable weight of one unit for a medical sale, in grams"),
        FieldDoc("usable_weight", Record.PRODUCT, Confidence.PARTIAL, _INVENTORY.format(where="legacy API inventory"),
                 "usable weight of one unit of the lot, in grams"),
        FieldDoc("rec_usableweight", Record.PRODUCT, Confidence.PARTIAL,
                 _INVENTORY.format(where="legacy API inventory"),
                 "usable weight of one unit for a recreational sale, in grams (legacy)"),
        FieldDoc("usableweight", Record.PRODUCT, Confidence.PARTIAL,
                 _INVENTORY.format(where="legacy transfer look-up"), "usable weight of one unit, in grams"),
        FieldDoc("DefaultUsableWeight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE.format(api="newer"),
                 "the product's default usable weight of one unit, in grams"),
        FieldDoc("default_usable_weight", Record.PRODUCT, Confidence.NONE_FOUND, _NONE.format(api="legacy"),
                 "the product's default usable weight of one unit, in grams"),
        FieldDoc("quantity", Record.SALE_LINE, Confidence.PARTIAL,
                 _INVENTORY.format(where="a real sale line carries barcodeid, quantity and price"),
                 "units sold on the line"),
        FieldDoc("Quantity", Record.SALE_LINE, Confidence.NONE_FOUND,
                 "none found: the newer API's PascalCase name for a count",
                 "units sold on the line, when `quantity` is not set"),
    ),
    steps=(
        Weight("line usable weight per unit (usableweightperunit)", Record.SALE_LINE, "usableweightperunit",
               Basis.USABLE_WEIGHT, unit="g"),
        Weight("line usable weight (UsableWeight)", Record.SALE_LINE, "UsableWeight", Basis.USABLE_WEIGHT, unit="g"),
        Weight("line usable weight (usable_weight)", Record.SALE_LINE, "usable_weight", Basis.USABLE_WEIGHT,
               unit="g"),
        Weight("line usable weight (usableweight)", Record.SALE_LINE, "usableweight", Basis.USABLE_WEIGHT, unit="g"),
        _inventory("usableweightperunit, Illinois", "usableweightperunit"),
        _inventory("UsableWeight, newer API", "UsableWeight"),
        Compute("inventory usable weight (RecUsableWeight / MedUsableWeight, the larger)", f"{_REC}|{_MED}",
                Record.PRODUCT, Basis.USABLE_WEIGHT, _larger_of_rec_and_med,
                reads=((Record.PRODUCT, _REC), (Record.PRODUCT, _MED)),
                explains=(f"the larger of `product.{_REC}` and `product.{_MED}`, in grams (the customer type is "
                          "not on the line; the larger is never the looser reading)")),
        _inventory("usable_weight, legacy API", "usable_weight"),
        _inventory("rec_usableweight, legacy API", "rec_usableweight"),
        _inventory("usableweight, legacy look-up", "usableweight"),
        _DEFAULT_NEW,
        _DEFAULT_LEGACY,
    ),
    quantity=LineQuantity("quantity", alternatives=("Quantity",)),
    decisions=(
        "`product` is the inventory record of the line's barcode (`barcodeid`): a real BioTrack sale line carries "
        "only the barcode, a quantity and a price, and BioTrack applies the usable weight of that lot. The caller "
        "looks the record up by barcode; this module does not match barcodes.",
        "Order: a usable weight written on the line (`usableweightperunit`, as BioTrack's database sales table "
        "names it, then `UsableWeight`, `usable_weight`, `usableweight`: the seed's \"line item\" value, if a "
        "caller's line carries one), then the inventory record's usable weight per unit "
        "under each name BioTrack gives it: `usableweightperunit` (Illinois), `UsableWeight` (newer API), "
        "`RecUsableWeight`/`MedUsableWeight` (New York, newer API), `usable_weight` and `rec_usableweight` "
        "(legacy API), `usableweight` (legacy transfer look-up), then the product's default usable weight "
        "(`DefaultUsableWeight`, `default_usable_weight`: the seed's label, no name found). A record normally "
        "carries one of them; the first set wins and the trace names it.",
        "`RecUsableWeight` and `MedUsableWeight` are one lot's weight for each customer type. The sale line does "
        "not say which type bought, so the larger of the two is read: never looser than either for a purchase "
        "limit.",
        "Usable weights are in grams (BioTrack records weights in grams and gives no unit field beside them) and "
        "per unit (Illinois' `usableweightperunit` says so in its name); each is multiplied by the line's "
        "`quantity`, else `Quantity`: the first that is set wins and the trace names it. A corrupt `quantity` is "
        "an error, not a reason to read `Quantity` instead.",
        "A sale row of BioTrack's database sales table has both `usableweight` and `usableweightperunit`, which "
        "suggests its `usableweight` may cover the whole row. `usableweightperunit` is read first; a line's "
        "`usableweight` is still read per unit and multiplied by the quantity. Where it is really the row's "
        "total this over-counts, which flags a sale for review rather than passing one over a limit (the reading "
        "never looser than either).",
        "Not read: `NetPackageWeight` (the package's net weight, not usable cannabis), `UnitBased` and `UOM` (the "
        "seed's chain does not branch on how a product is sold).",
        "With no usable weight anywhere, the line has no grams (NoGramsError), never zero. Until issue 9 only the "
        "line and default fields were read, so a real sale line (barcode, quantity, price) never had grams.",
    ),
    plausibility=Plausibility(cross_checks=(_DEFAULT_NEW, _DEFAULT_LEGACY)),
    changes=(
        "Issue 9 (a review against BioTrack's real sale lines): a sale line carries only `barcodeid`, "
        "`quantity` and `price`, and the usable weight was read only from the line and a product default, "
        "so real lines gave no grams. The chain now reads the usable weight per unit on the inventory "
        "record of the line's barcode, under each name by state and API version (`usableweightperunit`, "
        "`UsableWeight`, the larger of `RecUsableWeight`/`MedUsableWeight`, `usable_weight`, "
        "`rec_usableweight`, `usableweight`). Field names: vendor-fields.md (BioTrack, partial).",
    ),
)
