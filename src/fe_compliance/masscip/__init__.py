"""MassCIP counting: how Massachusetts' patient system deducts a package from a patient's allotment.

Pure: no I/O, no network, no database. The rule (seed ``000_ccfae62b51cd6f41.txt``): MassCIP counts each package's
grams/concentration value; a flower category counts as it is, every non-flower category is multiplied by
:data:`MULTIPLIER` (5.3). The POS flower equivalent is not transmitted to MassCIP and plays no part here.

>>> masscip_grams("Buds", "3.5 g")
<Quantity(3.5, 'gram')>
>>> masscip_grams("Concentrate", "1 g")
<Quantity(5.3, 'gram')>
>>> multiplier_for("Vape Oil")
5.3

The category table is data: :data:`DEFAULT_TABLE` lists each Metrc spelling with its MassCIP category, multiplier,
citation and status; :meth:`CategoryTable.with_category` extends it and :meth:`CategoryTable.flagged` lists every entry
that is unconfirmed or a decision of this library. See ``docs/masscip.md``.
"""

from __future__ import annotations

from .counting import MassCIPResult, explain_masscip, masscip_grams, masscip_grams_float, multiplier_for
from .defaults import DEFAULT_TABLE
from .errors import DuplicateMassCIPCategoryError, NotCountedCategoryError, UnknownMassCIPCategoryError
from .render import table_markdown
from .rules import FLOWER_MULTIPLIER, MULTIPLIER, RULE_BASIS, RULE_FLOWER, RULE_NON_FLOWER, SEED
from .table import CategoryEntry, CategoryTable, MassCIPCategory, MetrcField, Status, category_key

__all__ = [
    "DEFAULT_TABLE",
    "FLOWER_MULTIPLIER",
    "MULTIPLIER",
    "RULE_BASIS",
    "RULE_FLOWER",
    "RULE_NON_FLOWER",
    "SEED",
    "CategoryEntry",
    "CategoryTable",
    "DuplicateMassCIPCategoryError",
    "MassCIPCategory",
    "MassCIPResult",
    "MetrcField",
    "NotCountedCategoryError",
    "Status",
    "UnknownMassCIPCategoryError",
    "category_key",
    "explain_masscip",
    "masscip_grams",
    "masscip_grams_float",
    "multiplier_for",
    "table_markdown",
]
