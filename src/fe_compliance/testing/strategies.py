"""Hypothesis strategies for fe-compliance's values and for whole checkouts under a state's rules.

Two families:

* **values** (:func:`masses`, :func:`thc_amounts`, :func:`definitions`, :func:`catalog_products`,
  :func:`inventory_packages`, :func:`lab_results`): valid values only, every amount a finite, non-negative mass,
  written in mg, g, kg, oz or lb, because a rule that breaks when an amount is written in ounces is a bug;
* **sales under a state's rules** (:func:`rule_packs`, :func:`rule_sets`, :func:`customers`, :func:`cart_lines`,
  :func:`carts`, :func:`purchase_histories`, :func:`checkout_cases`): each takes keyword arguments pinning the
  state, the date, the customer type and the category, and aims at the edges where limit bugs live: the first and
  last day of every window, each rule change date, the clock edges of a store day, and (in
  :func:`checkout_cases`) a cart topped up to just under, exactly at, or just over the tightest cap it reaches,
  computed with the library's reference engine.

Shrinking leads to small readable cases: few lines, quantity 1, round gram amounts (drawn amounts are rounded to
the milligram), the pack's first rule date. Everything here needs hypothesis (``pip install
'fe-compliance[testing]'``); without it importing this module raises
:class:`~fe_compliance.testing.MissingExtraError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised in a subprocess with hypothesis hidden
    from ._extra import MissingExtraError

    raise MissingExtraError(__name__) from exc

import attrs

from ..catalog import CatalogProduct, InventoryPackage, LabResults
from ..categories import BasedOn, CustomerType, fold_name
from ..equivalency import FlowerEquivalencyDefinition
from ..errors import FEComplianceError, InvalidValueError
from ..limits import (
    CartLine,
    Customer,
    Ledger,
    RulePack,
    RuleSet,
    WindowKind,
)
from ..limits import vocabulary as v
from ..units import Q_, grams_factor
from .cases import CheckoutCase
from .reference import reference_engine

__all__ = [
    "CUSTOMER_ID",
    "EDGES_OVER",
    "EDGES_UNDER",
    "EDGE_DELTAS",
    "MASS_UNITS",
    "METRC_CATEGORIES",
    "PinnedStrategies",
    "any_packages",
    "based_on",
    "cart_lines",
    "carts",
    "catalog_products",
    "checkout_cases",
    "customer_types",
    "customers",
    "definitions",
    "inventory_packages",
    "lab_results",
    "masses",
    "purchase_histories",
    "reference_engine",
    "rule_packs",
    "rule_sets",
    "sale_times",
    "thc_amounts",
]

MASS_UNITS: tuple[str, ...] = ("gram", "milligram", "kilogram", "ounce", "pound")
"""The units amounts are written in: the ones a POS uses for cannabis (mg, g, oz, lb) and kg."""

EDGE_DELTAS: tuple[float, ...] = (-0.5, -0.01, -1e-7, 0.0, 1e-7, 2e-6, 0.001, 0.01, 0.5)
"""Grams (or ml) from a cap that a topped-up cart lands at: under it, at it, inside the engine's one-microgram
tolerance, and just past it."""

CUSTOMER_ID = "cust"
"""The id of the customer every drawn checkout is for (the ledger of their history is keyed by it)."""

METRC_CATEGORIES: dict[str, tuple[str, ...]] = {
    v.FLOWER: ("Buds", "Shake/Trim", "Pre-Roll Flower"),
    v.CONCENTRATE: ("Concentrate", "Kief", "Vape Oil"),
    v.COMBINED_INHALABLE: ("VapeCartridge",),
    v.SOLID_EDIBLE: ("InfusedEdible",),
    v.LIQUID_EDIBLE: ("Infused Liquid",),
    v.TINCTURE: ("Tincture",),
    v.INFUSED_NON_EDIBLE: ("InfusedNonEdible",),
    v.TOPICAL: ("Topical",),
    v.SUPPOSITORY: ("Suppository",),
}
"""A Metrc item category for each purchase-limit category, as MassCIP's table names them
(``fe_compliance.masscip.DEFAULT_TABLE``, seed ``000_ccfae62b51cd6f41.txt``): lines carry one so that MA medical
(MassCIP counting) can count them."""

_ROUND_GRAMS: tuple[float, ...] = (1.0, 0.5, 2.0, 3.5, 5.0, 7.0, 10.0, 14.0, 28.0)
_EDGE_TIMES: tuple[dt.time, ...] = (dt.time(12, 0), dt.time(0, 0), dt.time(23, 59, 59), dt.time(0, 0, 1))
_INHALED = frozenset(fold_name(c) for c in (v.CONCENTRATE, v.COMBINED_INHALABLE))
_EATEN = frozenset(fold_name(c) for c in (v.SOLID_EDIBLE, v.LIQUID_EDIBLE, v.TINCTURE))


# ---------------------------------------------------------------------------------------------------- values


def masses(
    *, min_grams: float = 0.0, max_grams: float = 10_000.0, units: Sequence[str] = MASS_UNITS
) -> st.SearchStrategy[Any]:
    """Quantities of mass between ``min_grams`` and ``max_grams``, written in one of ``units``."""
    if not 0 <= min_grams <= max_grams:
        raise InvalidValueError("min_grams", (min_grams, max_grams), "need 0 <= min_grams <= max_grams")
    unit_names = tuple(units)
    if not unit_names:
        raise InvalidValueError("units", units, "need at least one unit")
    for unit in unit_names:
        grams_factor(unit)  # an unknown or non-mass unit is refused here, not in the middle of a search

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        unit = draw(st.sampled_from(unit_names))
        grams = draw(st.floats(min_value=min_grams, max_value=max_grams, allow_nan=False, allow_infinity=False))
        return Q_(grams / grams_factor(unit), unit)

    return build()


def thc_amounts(*, max_mg: float = 10_000.0) -> st.SearchStrategy[Any]:
    """A THC content as products carry it: a mass (mostly milligrams) or a percentage of weight."""
    as_mass = st.floats(min_value=0, max_value=max_mg, allow_nan=False).map(lambda mg: Q_(mg, "milligram"))
    as_percent = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda pct: Q_(pct, "percent"))
    return st.one_of(as_mass, as_percent)


def customer_types() -> st.SearchStrategy[CustomerType]:
    return st.sampled_from(CustomerType)


def based_on() -> st.SearchStrategy[BasedOn]:
    return st.sampled_from(BasedOn)


def definitions(
    *,
    categories: Sequence[str] = ("Solid Edible", "Combined Inhalable", "Concentrate", "Topical Infused"),
    customer_type: CustomerType | str | None = None,
    based_on: BasedOn | str | None = None,
    min_grams: float = 0.001,
    max_grams: float = 10_000.0,
) -> st.SearchStrategy[FlowerEquivalencyDefinition]:
    """Valid definitions: a category from ``categories``, a customer type and basis (pinned or any), positive
    masses in mixed units."""
    amounts = masses(min_grams=min_grams, max_grams=max_grams)
    types = customer_types() if customer_type is None else st.just(CustomerType.parse(customer_type))
    bases = st.sampled_from(BasedOn) if based_on is None else st.just(BasedOn(based_on))
    return st.builds(
        FlowerEquivalencyDefinition,
        purchase_limit_category=st.sampled_from(tuple(categories)),
        customer_type=types,
        based_on=bases,
        category_amount=amounts,
        equivalent_flower_amount=amounts,
    )


def catalog_products(
    *,
    product_categories: Sequence[str | None] = ("Gummies", "Vape Carts", "Flower", None),
    ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[CatalogProduct]:
    """Catalog products with any mix of blank and filled amount fields."""
    optional_mass = st.none() | masses(max_grams=1_000.0)
    return st.builds(
        CatalogProduct,
        id=ids if ids is not None else st.from_regex(r"P[0-9]{1,4}", fullmatch=True),
        product_category=st.sampled_from(tuple(product_categories)),
        grams_concentration=optional_mass,
        net_weight=optional_mass,
        thc_content=st.none() | thc_amounts(),
        flower_equivalent=st.none() | masses(max_grams=100.0),
    )


def lab_results() -> st.SearchStrategy[LabResults]:
    """Lab results with a THC potency (a mass or a percentage)."""
    return st.builds(LabResults, thc=thc_amounts())


def inventory_packages(product: CatalogProduct) -> st.SearchStrategy[InventoryPackage]:
    """Packages of ``product``, with or without lab results."""
    optional_mass = st.none() | masses(max_grams=1_000.0)
    return st.builds(
        InventoryPackage,
        id=st.from_regex(r"K[0-9]{1,6}", fullmatch=True),
        product_id=st.just(product.id),
        grams_concentration=optional_mass,
        net_weight=optional_mass,
        lab_results=st.none() | lab_results(),
        flower_equivalent=st.none() | masses(max_grams=100.0),
    )


def any_packages() -> st.SearchStrategy[InventoryPackage]:
    """Packages of some drawn catalog product (what ``st.from_type(InventoryPackage)`` builds)."""
    return catalog_products().flatmap(inventory_packages)


# ------------------------------------------------------------------------------------------ rules and dates


def _pack(state: str) -> RulePack:
    from .. import states

    return states.pack_for(state)


def _states() -> tuple[str, ...]:
    from .. import states

    return states.available()


def _customer_type(value: CustomerType | str | None) -> CustomerType | None:
    if value is None:
        return None
    parsed = CustomerType.parse(value)
    if parsed is CustomerType.ALL:
        raise InvalidValueError("customer_type", value, "a customer is medical or recreational, not all")
    return parsed


def _edge_days(pack: RulePack) -> list[dt.date]:
    days = [pack.earliest]
    for change in pack.change_dates:
        days.extend((change, change - dt.timedelta(days=1)))
    return sorted({d for d in days if d >= pack.earliest})


def _period_and_day(
    draw: st.DrawFn, state: str | None, on: dt.date | None, customer_type: CustomerType | None
) -> tuple[RulePack, RuleSet, dt.date, CustomerType]:
    """A state, a day with rules in force, and a customer type those rules cover (each pinned or drawn)."""
    codes = (_pack(state).state,) if state is not None else _states()
    code = draw(st.sampled_from(codes), label="state")
    pack = _pack(code)
    wanted = (CustomerType.MEDICAL, CustomerType.RECREATIONAL) if customer_type is None else (customer_type,)
    if on is not None:
        rules = pack.in_force(on)
        covered = [ct for ct in wanted if rules.covers(ct)]
        if not covered:
            raise InvalidValueError(
                "customer_type", customer_type, f"{pack.state} rules in force on {on} cover no such customer"
            )
        return pack, rules, on, draw(st.sampled_from(covered), label="customer type")
    periods = [rs for rs in pack.periods if any(rs.covers(ct) for ct in wanted)]
    if not periods:
        raise InvalidValueError("customer_type", customer_type, f"no {pack.state} rules cover such a customer")
    edges = [d for d in _edge_days(pack) if any(rs.valid_from <= d and (rs.valid_until is None or d < rs.valid_until)
                                                for rs in periods)]
    last = max(pack.change_dates) if pack.change_dates else pack.earliest
    if draw(st.booleans(), label="any day rather than an edge"):
        day = pack.earliest + dt.timedelta(days=draw(st.integers(0, (last - pack.earliest).days + 3 * 366)))
    else:
        day = draw(st.sampled_from(edges), label="date")
    rules = pack.in_force(day)
    covered = [ct for ct in wanted if rules.covers(ct)]
    if not covered:  # a drawn day in a period that covers nobody wanted: fall back to a period start that does
        rules = periods[0]
        day = rules.valid_from
        covered = [ct for ct in wanted if rules.covers(ct)]
    return pack, rules, day, draw(st.sampled_from(covered), label="customer type")


def rule_packs(*, state: str | None = None) -> st.SearchStrategy[RulePack]:
    """A state's rule pack (the one of ``state``, or any the library ships)."""
    if state is not None:
        return st.just(_pack(state))
    return st.sampled_from(_states()).map(_pack)


def rule_sets(
    *, state: str | None = None, on: dt.date | None = None, customer_type: CustomerType | str | None = None
) -> st.SearchStrategy[RuleSet]:
    """The rules in force in a state on a day: the pinned ones, or a drawn state and day, leaning on the pack's
    first day, each rule change date and the day before it."""
    ct = _customer_type(customer_type)

    @st.composite
    def build(draw: st.DrawFn) -> RuleSet:
        return _period_and_day(draw, state, on, ct)[1]

    return build()


def _time_of_day(draw: st.DrawFn) -> dt.time:
    if draw(st.booleans(), label="any minute rather than an edge"):
        minute = draw(st.integers(0, 24 * 60 - 1), label="minute of the day")
        return dt.time(minute // 60, minute % 60)
    return draw(st.sampled_from(_EDGE_TIMES), label="time of day")


def _sale_time(draw: st.DrawFn, day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, _time_of_day(draw), tzinfo=zone)


def sale_times(day: dt.date, zone: dt.tzinfo) -> st.SearchStrategy[dt.datetime]:
    """Aware moments on store-local ``day``: noon, the first and last second of the day, or any minute."""
    @st.composite
    def build(draw: st.DrawFn) -> dt.datetime:
        return _sale_time(draw, day, zone)

    return build()


# ------------------------------------------------------------------------------------------------- customers


def _customer(
    draw: st.DrawFn, rules: RuleSet, customer_type: CustomerType, day: dt.date, overrides: bool, exemptions: bool
) -> Customer:
    ages = (40, 21, 18, 20, 65) if customer_type is CustomerType.MEDICAL else (40, 21, 65)
    age = draw(st.sampled_from(ages), label="age")
    born = dt.date(day.year - age - 1, 12, 31) if (day.month, day.day) < (12, 31) else dt.date(day.year - age, 1, 1)
    override = None
    if overrides and draw(st.integers(0, 3), label="allotment override?") == 0:
        budget = max((lim.cap_value for lim in rules.budgets_for(customer_type)), default=28.0)
        grams = draw(st.sampled_from((round(budget * 1.2, 3), round(budget * 2, 3), round(budget / 2, 3))))
        unit = draw(st.sampled_from(("gram", "ounce")), label="override unit")
        override = Q_(grams / grams_factor(unit), unit)
    waivers = sorted({tag for lim in rules.limits_for(customer_type) for tag in lim.waived_by})
    held: frozenset[str] = frozenset()
    if exemptions and waivers and draw(st.integers(0, 5), label="exemption?") == 0:
        held = frozenset(draw(st.lists(st.sampled_from(waivers), min_size=1, max_size=len(waivers), unique=True)))
    medical = customer_type is CustomerType.MEDICAL
    return Customer(
        customer_type=customer_type,
        customer_id=CUSTOMER_ID,
        resident=not draw(st.booleans(), label="non-resident"),
        birth_date=born,
        caregiver=draw(st.booleans(), label="caregiver") if medical else False,
        exemptions=held,
        certification_date=day - dt.timedelta(days=draw(st.integers(0, 400), label="days since certified")),
        allotment_override=override,
    )


def customers(
    *,
    state: str | None = None,
    on: dt.date | None = None,
    customer_type: CustomerType | str | None = None,
    overrides: bool = True,
    exemptions: bool = True,
) -> st.SearchStrategy[Customer]:
    """Customers a state's rules cover on a day: residency, an age at the edges of the age bands (18, 20, 21),
    caregiver status, a certification date, sometimes an allotment override (``overrides``) and sometimes an
    exemption a limit names (``exemptions``). Their id is :data:`CUSTOMER_ID`."""
    ct = _customer_type(customer_type)

    @st.composite
    def build(draw: st.DrawFn) -> Customer:
        _, rules, day, served = _period_and_day(draw, state, on, ct)
        return _customer(draw, rules, served, day, overrides, exemptions)

    return build()


# ----------------------------------------------------------------------------------------------------- lines


def _grams(draw: st.DrawFn, low: float, high: float, label: str) -> float:
    """A gram amount in [low, high] that shrinks to a round one: a common package size or a milligram multiple."""
    round_ones = tuple(g for g in _ROUND_GRAMS if low <= g <= high)
    if round_ones and not draw(st.booleans(), label=f"{label}: any amount rather than a round one"):
        return draw(st.sampled_from(round_ones), label=label)
    drawn = draw(st.floats(min_value=low, max_value=high, allow_nan=False), label=label)
    return min(max(round(drawn, 3), low), high)


def _in_unit(draw: st.DrawFn, grams: float) -> Any:
    unit = draw(st.sampled_from(("gram", "milligram", "ounce", "pound")), label="unit")
    return grams if unit == "gram" else Q_(grams / grams_factor(unit), unit)


def _categories(rules: RuleSet, customer_type: CustomerType) -> tuple[str, ...]:
    """The pack's categories a line may have for this customer, the plain ones first (they shrink to Flower)."""
    del customer_type  # every category of the pack reaches a limit or an exemption for every covered type
    return tuple(rules.pack.categories)


def _line(
    draw: st.DrawFn, category: str, line_id: str, max_grams: float, *, quantity: float | None = None
) -> CartLine:
    key = fold_name(category)
    canonical = next((c for c in METRC_CATEGORIES if fold_name(c) == key), v.FLOWER)
    metrc = draw(st.sampled_from(METRC_CATEGORIES[canonical]), label="Metrc category")
    units = quantity if quantity is not None else float(draw(st.integers(1, 3), label="quantity"))
    if key == fold_name(v.FLOWER):
        weight = _grams(draw, 0.1, max_grams, "grams")
        fe, concentration, net, thc = weight, weight, weight, weight * 0.2
    elif key in _INHALED:
        concentration = _grams(draw, 0.05, max(0.05, min(max_grams / 2, 30.0)), "grams/concentration")
        fe = round(concentration * draw(st.sampled_from((1.0, 3.0, 5.3, 4.0)), label="FE ratio"), 6)
        net, thc = concentration, concentration * 0.7
    else:
        if draw(st.booleans(), label="any THC rather than a common one"):
            thc_mg = float(draw(st.integers(1, 200), label="THC mg"))
        else:
            thc_mg = draw(st.sampled_from((10.0, 5.0, 100.0)), label="THC mg")
        thc = thc_mg / 1000.0
        fe = _grams(draw, 0.01, max(0.01, min(max_grams / 2, 28.0)), "FE grams")
        concentration = thc
        net = _grams(draw, 1.0, 500.0, "net weight")
    volume = draw(st.sampled_from((100.0, 355.0, 30.0)), label="ml") if key == fold_name(v.LIQUID_EDIBLE) else None
    return CartLine(
        line_id=line_id,
        category=category,
        quantity=units,
        fe_grams=_in_unit(draw, fe),
        grams_concentration=_in_unit(draw, concentration),
        net_weight_grams=net,
        thc_grams=thc,
        volume_ml=volume,
        metrc_category=metrc,
        exempt=key == fold_name(v.TOPICAL) and draw(st.booleans(), label="flagged exempt"),
    )


def cart_lines(
    *,
    state: str | None = None,
    on: dt.date | None = None,
    customer_type: CustomerType | str | None = None,
    category: str | None = None,
    line_id: str = "l1",
    max_grams: float = 28.0,
) -> st.SearchStrategy[CartLine]:
    """One cart line of a category the state's rules know (or ``category``), carrying every amount some rule
    may read: package FE, grams/concentration, net weight, THC, volume for liquids, and a Metrc category (so MassCIP
    can count it). Amounts are written in mixed units and shrink to round gram figures; quantity shrinks to 1."""
    ct = _customer_type(customer_type)

    @st.composite
    def build(draw: st.DrawFn) -> CartLine:
        _, rules, _, served = _period_and_day(draw, state, on, ct)
        chosen = category if category is not None else draw(st.sampled_from(_categories(rules, served)))
        return _line(draw, chosen, line_id, max_grams)

    return build()


def _cart(
    draw: st.DrawFn, rules: RuleSet, customer_type: CustomerType, category: str | None, max_lines: int,
    min_lines: int, max_grams: float, prefix: str = "l",
) -> list[CartLine]:
    count = draw(st.integers(min_lines, max_lines), label="lines")
    choices = (category,) if category is not None else _categories(rules, customer_type)
    return [
        _line(draw, draw(st.sampled_from(choices), label="category"), f"{prefix}{i + 1}", max_grams)
        for i in range(count)
    ]


def carts(
    *,
    state: str | None = None,
    on: dt.date | None = None,
    customer_type: CustomerType | str | None = None,
    category: str | None = None,
    min_lines: int = 1,
    max_lines: int = 4,
    max_grams: float = 28.0,
) -> st.SearchStrategy[list[CartLine]]:
    """Carts of ``min_lines`` to ``max_lines`` lines (ids ``l1``, ``l2``, ...) as :func:`cart_lines` draws them."""
    if not 0 <= min_lines <= max_lines:
        raise InvalidValueError("min_lines", (min_lines, max_lines), "need 0 <= min_lines <= max_lines")
    ct = _customer_type(customer_type)

    @st.composite
    def build(draw: st.DrawFn) -> list[CartLine]:
        _, rules, _, served = _period_and_day(draw, state, on, ct)
        return _cart(draw, rules, served, category, max_lines, min_lines, max_grams)

    return build()


# ------------------------------------------------------------------------------------------------- histories


def _window_edges(rules: RuleSet, customer_type: CustomerType, at_day: dt.date) -> tuple[list[int], int]:
    """Days before the sale day that sit on a window's edge (its last counted day, the first day out), and the
    longest window in days."""
    edges = {0, 1}
    weighted: list[int] = []
    longest = 1
    for limit in rules.limits_for(customer_type):
        window = limit.window
        if not limit.enforced:
            continue
        if window.kind is WindowKind.ROLLING_DAYS and window.days is not None:
            edges.update((window.days - 1, window.days, window.days + 1))
            weighted.extend((window.days - 1, window.days))  # the last day counted, the first day out
            longest = max(longest, window.days)
        elif window.kind is WindowKind.CALENDAR_MONTH:
            edges.update((at_day.day - 1, at_day.day))
            weighted.extend((at_day.day - 1, at_day.day))
            longest = max(longest, 31)
    return [*sorted(edges), *weighted], longest


def _history(
    draw: st.DrawFn, rules: RuleSet, customer: Customer, at: dt.datetime, max_sales: int, max_grams: float
) -> tuple[Any, ...]:
    zone = rules.pack.zone
    ct = customer.customer_type
    at_day = at.astimezone(zone).date()
    edges, longest = _window_edges(rules, ct, at_day)
    ledger = Ledger()
    sales = draw(st.integers(0, max_sales), label="past sales")
    recorded: list[tuple[str, list[CartLine]]] = []
    for n in range(sales):
        if draw(st.integers(0, 3), label="any day rather than a window edge") == 3:
            back = draw(st.integers(0, longest + 1), label="days before the sale")
        else:
            back = draw(st.sampled_from(tuple(edges)), label="days before the sale")
        when = dt.datetime.combine(at_day - dt.timedelta(days=back), _time_of_day(draw), tzinfo=zone)
        if when >= at:
            when = at - dt.timedelta(minutes=1)
        lines = _cart(draw, rules, ct, None, 2, 1, max_grams, prefix=f"h{n + 1}.")
        tid = f"T{n + 1}"
        ledger.record_sale(customer_id=customer.customer_id, lines=lines, sold_at=when, transaction_id=tid)
        recorded.append((tid, lines))
    for tid, lines in recorded:
        what = draw(st.sampled_from(("keep", "return", "return", "void")), label=f"{tid}: keep, return or void")
        if what == "void":
            ledger.void(tid, at=at - dt.timedelta(seconds=30))
        elif what == "return":
            line = draw(st.sampled_from(lines), label="line returned")
            units = min(line.quantity, float(draw(st.integers(1, 2), label="units returned")))
            ledger.record_return(tid, line.line_id, units, at=at - dt.timedelta(seconds=30))
    return ledger.history(customer.customer_id)


def purchase_histories(
    rules: RuleSet, customer: Customer, at: dt.datetime, *, max_sales: int = 4, max_grams: float = 14.0
) -> st.SearchStrategy[tuple[Any, ...]]:
    """The customer's purchase history before ``at``, as the ledger hands it to the engine: up to ``max_sales``
    sales spread over the longest window of the rules (leaning on each window's last counted day and first day
    out), some partly returned (a ``RETURN`` line dated at its sale) and some voided (gone from the history)."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Any, ...]:
        return _history(draw, rules, customer, at, max_sales, max_grams)

    return build()


# ---------------------------------------------------------------------------------------------- whole checkouts


def _scaled(line: CartLine, factor: float, line_id: str) -> CartLine:
    def times(value: float | None) -> float | None:
        return None if value is None else value * factor

    return attrs.evolve(
        line,
        line_id=line_id,
        quantity=1.0,
        fe_grams=times(line.fe_grams),
        grams_concentration=times(line.grams_concentration),
        net_weight_grams=times(line.net_weight_grams),
        thc_grams=times(line.thc_grams),
        volume_ml=times(line.volume_ml),
    )


EDGES_OVER: tuple[float, ...] = tuple(d for d in EDGE_DELTAS if d > 1e-6)
"""The deltas that take a cart past a cap (beyond the engine's tolerance): carts the rules forbid."""
EDGES_UNDER: tuple[float, ...] = tuple(d for d in EDGE_DELTAS if d <= 1e-6)
"""The deltas that leave a cart at or under a cap (within the tolerance): carts the rules allow."""


def _top_up(draw: st.DrawFn, case: CheckoutCase, template: CartLine, deltas: Sequence[float]) -> CartLine | None:
    """A line like ``template`` sized so the tightest enforced limit it adds to lands at its cap plus a drawn
    edge delta from ``deltas``; ``None`` when it adds to no limit with room."""
    engine = reference_engine(case.state)
    unit = _scaled(template, 1.0, "top")  # one unit of the template, per-unit amounts as drawn
    try:
        base = engine.check(case.customer, case.cart, at=case.at, history=case.history)
        probe = engine.check(case.customer, [*case.cart, unit], at=case.at, history=case.history)
    except FEComplianceError:
        return None
    rooms = []
    for usage in base.usages:
        per_unit = probe.usage(usage.code).requested - usage.requested
        if usage.enforced and not usage.waived and per_unit > 0 and usage.remaining > 0:
            rooms.append((usage.remaining, per_unit))
    if not rooms:
        return None
    remaining, per_unit = min(rooms, key=lambda r: r[0] / r[1])
    delta = draw(st.sampled_from(tuple(deltas)), label="grams past the tightest cap")
    factor = (remaining + delta) / per_unit
    if factor <= 0:
        return None
    return _scaled(unit, factor, "top")


def _top_up_category(draw: st.DrawFn, rules: RuleSet, customer: Customer, category: str | None) -> str:
    """A category for the top-up line: one counted by a drawn enforced limit, so that every cap (a sub-cap as
    often as the budget) gets its edge case."""
    if category is not None:
        return category
    limits = [lim for lim in rules.limits_for(customer.customer_type) if lim.enforced]
    everything = _categories(rules, customer.customer_type)
    if not limits:
        return draw(st.sampled_from(everything), label="top-up category")
    limit = draw(st.sampled_from(limits), label="limit to reach")
    counted = limit.categories
    choices = everything if counted is None else tuple(c for c in everything if c in counted) or everything
    return draw(st.sampled_from(choices), label="top-up category")


_EDGE_SIDES: dict[str, tuple[float, ...]] = {"both": EDGE_DELTAS, "over": EDGES_OVER, "under": EDGES_UNDER}


def checkout_cases(
    *,
    state: str | None = None,
    on: dt.date | None = None,
    customer_type: CustomerType | str | None = None,
    category: str | None = None,
    history: bool = True,
    near_cap: bool = True,
    edge: str = "both",
    max_lines: int = 3,
    overrides: bool = True,
) -> st.SearchStrategy[CheckoutCase]:
    """Whole checkouts: rules in force, a customer they cover, a sale time, a purchase history and a cart.

    With ``near_cap`` (the default) most carts end with a line ``'top'`` sized by the reference engine so that the
    tightest enforced limit it reaches lands near its cap: ``edge="both"`` draws from :data:`EDGE_DELTAS`,
    ``"over"`` only past the cap (:data:`EDGES_OVER`, carts the rules forbid) and ``"under"`` only at or under it
    (:data:`EDGES_UNDER`). These are the carts on which a forgotten sub-cap, a window one day short or a doubled
    return changes the answer."""
    ct = _customer_type(customer_type)
    if edge not in _EDGE_SIDES:
        raise InvalidValueError("edge", edge, "expected 'both', 'over' or 'under'")
    deltas = _EDGE_SIDES[edge]

    @st.composite
    def build(draw: st.DrawFn) -> CheckoutCase:
        pack, rules, day, served = _period_and_day(draw, state, on, ct)
        customer = _customer(draw, rules, served, day, overrides, True)
        at = _sale_time(draw, day, pack.zone)
        budget = min((lim.cap_value for lim in rules.budgets_for(served)), default=28.0)
        small = max(1.0, round(budget / 8, 3))  # random lines stay well inside the budget; the top-up finds the edge
        past = _history(draw, rules, customer, at, 4, small) if history else ()
        cart = _cart(draw, rules, served, category, max_lines, 0 if near_cap else 1, small)
        case = CheckoutCase(rules=rules, customer=customer, at=at, cart=tuple(cart), history=tuple(past))
        if near_cap and draw(st.integers(0, 9), label="top up to a cap?") > 0:
            chosen = _top_up_category(draw, rules, customer, category)
            extra = _top_up(draw, case, _line(draw, chosen, "top", 28.0), deltas)
            if extra is not None:
                case = attrs.evolve(case, cart=(*case.cart, extra))
        if not case.cart:
            first = category if category is not None else _categories(rules, served)[0]
            case = attrs.evolve(case, cart=(_line(draw, first, "l1", small),))
        return case

    return build()


# ----------------------------------------------------------------------------------------------- pinned sets


@attrs.frozen(slots=True)
class PinnedStrategies:
    """The sale strategies with the state and date pinned (what the pytest plugin's ``fe_strategies`` fixture
    gives): ``fe_strategies.checkout_cases(customer_type="medical")`` is
    ``checkout_cases(state=..., on=..., customer_type="medical")``."""

    state: str
    on: dt.date

    def rule_sets(self, **options: Any) -> st.SearchStrategy[RuleSet]:
        return rule_sets(state=self.state, on=self.on, **options)

    def customers(self, **options: Any) -> st.SearchStrategy[Customer]:
        return customers(state=self.state, on=self.on, **options)

    def cart_lines(self, **options: Any) -> st.SearchStrategy[CartLine]:
        return cart_lines(state=self.state, on=self.on, **options)

    def carts(self, **options: Any) -> st.SearchStrategy[list[CartLine]]:
        return carts(state=self.state, on=self.on, **options)

    def checkout_cases(self, **options: Any) -> st.SearchStrategy[CheckoutCase]:
        return checkout_cases(state=self.state, on=self.on, **options)

