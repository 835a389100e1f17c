"""Fuzzing every public entry point of the FE engine, the units and the ``fe`` CLI (issue #7).

Each test feeds an entry point values of every kind (well-formed, nearly well-formed and junk) and fails on any
exception outside :class:`~fe_compliance.FEComplianceError` and on any non-finite number in a result.

The normal run keeps each test short (the ``fe_fuzz_short`` profile, about 30 inputs per entry point). For the
thousands of inputs per entry point the issue asks for, run::

    FE_FUZZ=long python -m pytest -q tests/test_fe_fuzz.py

which selects the ``fe_fuzz_long`` profile (see ``tests/conftest.py``) and arms a watchdog: an input that keeps a
call busy for more than :data:`WATCHDOG_SECONDS` fails the test as a hang. The watchdog is there to catch a hang,
not to time anything, so it is generous and off in the normal run (no timing assertion there).

Deliberately broken objects (a ``__eq__`` or ``__repr__`` that raises) are not generated: the library calls
such an object's methods and its exception is the object's, not the library's.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import attrs
import pint
from hypothesis import given, settings
from hypothesis import strategies as st

from fe_compliance import (
    Q_,
    BulkApplication,
    CatalogProduct,
    CategoryAliases,
    Change,
    DefinitionSet,
    FEComplianceError,
    FlowerEquivalencyCalculation,
    FlowerEquivalencyDefinition,
    FlowerEquivalencyEngine,
    FlowerEquivalent,
    InventoryPackage,
    LabResults,
    LocationSettings,
    ProductCategoryMap,
    Recalculation,
    User,
    apply_definition_bulk,
)
from fe_compliance import units as units_module
from fe_compliance.cli import main as cli_main

LONG = os.environ.get("FE_FUZZ") == "long"
# hypothesis prints a failing example with repr(); an int of 5,000 digits must not hide the failure behind Python's
# int-to-text limit (the library itself never prints such an int: see describe_value)
sys.set_int_max_str_digits(0)
fuzz = settings(settings.get_profile("fe_fuzz_long" if LONG else "fe_fuzz_short"))

WATCHDOG_SECONDS = 20.0
"""How long one call may take in the long profile before it counts as a hang (a correct call takes milliseconds)."""


class HangError(Exception):
    """An entry point ran for longer than :data:`WATCHDOG_SECONDS` (long profile only)."""


@contextlib.contextmanager
def watchdog() -> Iterator[None]:
    if not LONG or not hasattr(signal, "setitimer"):
        yield
        return

    def _alarm(signum: int, frame: object) -> None:
        raise HangError(f"a call ran for more than {WATCHDOG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, WATCHDOG_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ----------------------------------------------------------------------------------------------- strategies

OTHER_REGISTRY = pint.UnitRegistry()
UNIT_WORDS = [
    "g", "mg", "kg", "oz", "lb", "ug", "\u00b5g", "gr", "Grams", "MG", "Mg", "%", "pct", "ml", "L", "fl oz", "floz",
    "cup", "cc", "ct", "ea", "each", "count", "u", "carat", "grain", "tonne", "g**2", "g*g", "g/ml", "mg/g", "",
    "g\u0662", "bananas", "g g", "10", "/", "fluid ounces", "  g  ", "gram\n",
]
NUMBER_WORDS = [
    "1", "0", "-0", "-0.0", "-1", ".5", "3.5", "1/8", "1/0", "0/0", "1e3", "1e308", "1e309", "1e-400", "9" * 60,
    "nan", "inf", "1,5", "\u0661\u0660", "\uff11", "+2", "1e", "1..2", "2**2", "1_000", "0x10", "1/8/2", "1 / 8",
]
numbers = st.one_of(
    st.integers(), st.integers(min_value=-(10**400), max_value=10**400), st.floats(),
    st.decimals(allow_nan=True, allow_infinity=True), st.fractions(), st.complex_numbers(max_magnitude=10),
    st.sampled_from([5000, -5000]).map(lambda e: 10 ** abs(e) * (1 if e > 0 else -1)),  # beyond int-to-str
    st.just(Decimal("sNaN")),
)
amount_text = st.one_of(
    st.builds(lambda n, sep, u: f"{n}{sep}{u}", st.sampled_from(NUMBER_WORDS), st.sampled_from(["", " ", "  ", "\t"]),
              st.sampled_from(UNIT_WORDS)),
    st.builds(lambda x, u: f"{x!r} {u}", st.floats(), st.sampled_from(UNIT_WORDS)),
    st.builds(lambda n, u: f"{n} {u}", st.integers(min_value=0, max_value=10**70), st.sampled_from(UNIT_WORDS)),
    st.sampled_from([15_000, 100_000]).map(lambda n: "1 " + "a" * n),  # pint: time quadratic in n
    st.sampled_from([1000, 5000]).map(lambda n: "1 " + "g*" * n + "g"),  # pint: RecursionError
    st.sampled_from(["9**9**9 ea", "10 g**\u0662", "1 g" + " " * 70,
                     "(1 g)", "1 g + 1 g", "10 g / 0", "\x00 g", "1\x00 g", "1 g\udc80"]),
)
texts = st.one_of(st.text(max_size=20), amount_text)


@st.composite
def quantities(draw: st.DrawFn) -> Any:
    unit = draw(st.sampled_from(["g", "mg", "kg", "oz", "lb", "percent", "ml", "fluid_ounce", "carat", "grain",
                                 "dimensionless", "g * mg", "g / ml", "tonne", "u"]))
    magnitude = draw(numbers)
    registry = draw(st.sampled_from([Q_, OTHER_REGISTRY.Quantity]))
    try:
        return registry(magnitude, unit)
    except Exception:  # pint refuses some magnitudes itself; then the plain number goes in instead
        return magnitude


leaves = st.one_of(st.none(), st.booleans(), numbers, texts, quantities(), st.just(object()), st.just(b"10 g"))
anything = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    | st.tuples(children, children),
    max_leaves=5,
)
good_amounts = st.one_of(
    st.builds(lambda x, u: f"{x} {u}", st.floats(min_value=0, max_value=1e6), st.sampled_from(["g", "mg", "oz"])),
    st.floats(min_value=0, max_value=1e6).map(lambda x: Q_(x, "g")),
    st.sampled_from(["10 g", "800 mg", "1 oz", "21 %", "0 g", "1e305 g", "1e-300 g"]),
)
amounts = st.one_of(good_amounts, good_amounts, st.none(), anything)
categories = st.one_of(st.sampled_from(["Solid Edible", "Cartridges", "Combined Inhalable", "Flower",
                                        "Topical Infused", "solid  edible"]), anything)
customer_types = st.one_of(st.sampled_from(["all", "medical", "recreational", "rec", "Adult-Use"]), anything)
based_ons = st.one_of(st.sampled_from(["grams_concentration", "net_weight", "potency", "Grams/concentration"]),
                      anything)
product_categories = st.one_of(st.sampled_from(["Gummies", "Vape Carts", "Bulk Flower", "Infused Tops",
                                                "Accessories", "Unmapped"]), st.none(), anything)
ids = st.one_of(st.sampled_from(["P1", "P2", "K1"]), st.integers(), anything)
users = st.one_of(st.just(User.with_all_permissions("admin")), st.just(User("cashier")), anything)

CATEGORY_MAP = ProductCategoryMap({"Gummies": "Solid Edible", "Vape Carts": "Cartridges", "Bulk Flower": "Flower",
                                   "Infused Tops": "Topical Infused", "Accessories": None})


def _attempt(build: Callable[[], Any]) -> Any:
    """Call ``build``; a library error is a fine answer (``None``), anything else fails the test."""
    try:
        with watchdog():
            result = build()
    except FEComplianceError as exc:
        str(exc)  # the message itself must be printable
        return None
    assert_finite(result)
    return result


@st.composite
def definitions(draw: st.DrawFn, *, wellformed: bool = False) -> Any:
    fields = {
        "purchase_limit_category": draw(st.sampled_from(["Solid Edible", "Cartridges", "Flower", "Topical Infused"])
                                        if wellformed else categories),
        "customer_type": draw(st.sampled_from(["all", "medical", "recreational"]) if wellformed else customer_types),
        "based_on": draw(st.sampled_from(["grams_concentration", "net_weight", "potency"]) if wellformed
                         else based_ons),
        "category_amount": draw(good_amounts if wellformed else amounts),
        "equivalent_flower_amount": draw(good_amounts if wellformed else amounts),
    }
    return _attempt(lambda: FlowerEquivalencyDefinition(**fields))


@st.composite
def engines(draw: st.DrawFn) -> FlowerEquivalencyEngine:
    chosen = [d for d in draw(st.lists(definitions(wellformed=True), max_size=4)) if d is not None]
    unique: dict[object, FlowerEquivalencyDefinition] = {}
    for definition in chosen:
        unique.setdefault(DefinitionSet([definition]).definitions[0].key, definition)
    settings_ = draw(st.builds(LocationSettings, use_flower_equivalency_definition=st.booleans(),
                               use_both_med_and_rec=st.booleans(),
                               customer_type=st.sampled_from(["all", "medical", "recreational"]),
                               require_net_weight=st.booleans(), require_thc_content=st.booleans(),
                               require_flower_equivalent=st.booleans()))
    return FlowerEquivalencyEngine(DefinitionSet(list(unique.values())), CATEGORY_MAP, settings_)


fe_values = st.one_of(st.none(), good_amounts, anything)


@st.composite
def products(draw: st.DrawFn) -> Any:
    fields = {"id": draw(st.sampled_from(["P1"]) | ids), "product_category": draw(product_categories),
              "grams_concentration": draw(amounts), "net_weight": draw(amounts), "thc_content": draw(amounts),
              "flower_equivalent": draw(fe_values), "med_flower_equivalent": draw(fe_values),
              "rec_flower_equivalent": draw(fe_values), "is_cannabis": draw(st.booleans() | anything)}
    return _attempt(lambda: CatalogProduct(**fields))


@st.composite
def packages(draw: st.DrawFn) -> Any:
    lab = draw(st.none() | amounts)
    fields = {"id": draw(st.sampled_from(["K1"]) | ids), "product_id": draw(st.sampled_from(["P1"]) | ids),
              "grams_concentration": draw(amounts), "net_weight": draw(amounts),
              "lab_results": None if lab is None else _attempt(lambda: LabResults(lab)),
              "flower_equivalent": draw(fe_values), "med_flower_equivalent": draw(fe_values),
              "rec_flower_equivalent": draw(fe_values)}
    return _attempt(lambda: InventoryPackage(**fields))


EDIT_FIELDS = ["name", "product_category", "is_cannabis", "grams_concentration", "net_weight", "thc_content",
               "flower_equivalent", "med_flower_equivalent", "rec_flower_equivalent", "lab_results", "potency", "id"]
edits = st.one_of(st.dictionaries(st.sampled_from(EDIT_FIELDS), amounts | product_categories, max_size=3), anything)


# ------------------------------------------------------------------------------------------ result checks


def assert_finite(value: Any, seen: int = 0) -> None:
    """Every number in ``value`` (a result of the library) is finite, and every result prints."""
    assert seen < 50, "result nested too deeply"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float)):
        assert math.isfinite(value), value
    elif units_module.is_quantity(value):
        assert math.isfinite(float(value.magnitude)), value
        f"{value:~P}"
    elif isinstance(value, FlowerEquivalent):
        assert math.isfinite(value.grams) and value.grams >= 0, value
        str(value)
    elif isinstance(value, (CatalogProduct, InventoryPackage, LabResults, FlowerEquivalencyDefinition)):
        for field in attrs.fields(type(value)):
            if not field.name.startswith("_"):
                assert_finite(getattr(value, field.name), seen + 1)
        if isinstance(value, FlowerEquivalencyDefinition):
            assert math.isfinite(value.ratio) and value.ratio > 0
            value.describe()
    elif isinstance(value, FlowerEquivalencyCalculation):
        assert math.isfinite(value.flower_equivalent_grams), value
        json.dumps(value.to_dict(), allow_nan=False)
        value.explanation()
    elif isinstance(value, Recalculation):
        for record in (*value.products, *value.packages):
            assert_finite(record, seen + 1)
        for change in value.changes:
            assert_finite(change, seen + 1)
        value.explain()
    elif isinstance(value, Change):
        assert_finite(value.old, seen + 1)
        assert_finite(value.new, seen + 1)
        json.dumps(value.to_dict(), allow_nan=False)
    elif isinstance(value, BulkApplication):
        for _, grams in value.pairs:
            assert math.isfinite(grams)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            assert_finite(item, seen + 1)
    elif isinstance(value, dict):
        for item in value.values():
            assert_finite(item, seen + 1)


# ------------------------------------------------------------------------------------------------- units


@fuzz
@given(value=anything, field=st.sampled_from(["net_weight", "x"]), allow_zero=st.booleans())
def test_unit_parsers(value: Any, field: str, allow_zero: bool) -> None:
    _attempt(lambda: units_module.parse_quantity(value, field=field))
    grams = _attempt(lambda: units_module.mass_to_grams(value, field=field, allow_zero=allow_zero))
    assert grams is None or grams >= 0
    _attempt(lambda: units_module.checked_mass(value, field=field, allow_zero=allow_zero))
    _attempt(lambda: units_module.grams_factor(value))
    _attempt(lambda: units_module.normalize_unit(value, field=field))


@fuzz
@given(magnitude=anything, unit=st.sampled_from(UNIT_WORDS) | anything)
def test_quantity_from(magnitude: Any, unit: Any) -> None:
    _attempt(lambda: units_module.quantity_from(magnitude, unit, field="w"))


# ----------------------------------------------------------------------------------------------- definitions


@fuzz
@given(definition=definitions(), value=amounts, source=st.none() | anything)
def test_definitions_and_their_calculations(definition: Any, value: Any, source: Any) -> None:
    if definition is None:
        return
    _attempt(lambda: definition.flower_equivalent(value))
    _attempt(lambda: definition.calculate(value))
    _attempt(lambda: attrs.evolve(definition, source=source))


@fuzz
@given(items=st.lists(definitions() | anything, max_size=3) | anything, aliases=anything | st.just(None),
       category=categories, customer=customer_types, user=users)
def test_definition_sets_and_aliases(items: Any, aliases: Any, category: Any, customer: Any, user: Any) -> None:
    table = _attempt(lambda: CategoryAliases(aliases)) if aliases is not None else None
    definition_set = _attempt(lambda: DefinitionSet(items) if table is None else DefinitionSet(items, table))
    _attempt(lambda: DefinitionSet([], aliases=aliases))
    _attempt(lambda: ProductCategoryMap(items))
    _attempt(lambda: ProductCategoryMap({"Gummies": category}, aliases))
    if definition_set is None:
        return
    _attempt(lambda: definition_set.find(category, customer))
    _attempt(lambda: definition_set.lookup(category, customer))
    _attempt(lambda: definition_set.exact(category, customer))
    _attempt(lambda: definition_set.view(user))
    _attempt(lambda: definition_set.removed(category, customer, by=user))
    for item in items if isinstance(items, list) else ():
        _attempt(lambda item=item: definition_set.added(item, by=user))
        _attempt(lambda item=item: definition_set.replaced(item, by=user))


# ---------------------------------------------------------------------------------------------------- records


@fuzz
@given(product=products(), package=packages(), fe=anything, source=anything, flags=anything)
def test_record_construction(product: Any, package: Any, fe: Any, source: Any, flags: Any) -> None:
    _attempt(lambda: FlowerEquivalent(fe, source))
    _attempt(lambda: FlowerEquivalent(fe))
    _attempt(lambda: LabResults(fe, lab=source, tested_on=flags))
    _attempt(lambda: LocationSettings(use_flower_equivalency_definition=flags, customer_type=source))
    _attempt(lambda: CatalogProduct(id=fe, product_category=source, name=flags))
    _attempt(lambda: InventoryPackage(id=source, product_id=fe))


# ----------------------------------------------------------------------------------------- engine operations


@fuzz
@given(fe_engine=engines(), product=products(), package=packages(), changes=edits, more=st.lists(packages(),
                                                                                                max_size=2))
def test_engine_record_operations(fe_engine: FlowerEquivalencyEngine, product: Any, package: Any, changes: Any,
                                  more: list[Any]) -> None:
    _attempt(lambda: fe_engine.product_created(product))
    _attempt(lambda: fe_engine.package_received(package, product))
    _attempt(lambda: fe_engine.product_edited(product, changes, packages=[p for p in more if p is not None]))
    _attempt(lambda: fe_engine.package_edited(package, product, changes))
    _attempt(lambda: fe_engine.product_edited(product, changes, packages=changes))
    _attempt(lambda: fe_engine.enable())
    _attempt(lambda: fe_engine.validate_product(product))
    _attempt(lambda: fe_engine.validate_package(package, product))


@fuzz
@given(fe_engine=engines(), definition=definitions() | definitions(wellformed=True) | anything, user=users,
       category=categories, customer=customer_types, products_=st.lists(products(), max_size=3) | anything,
       packages_=st.lists(packages(), max_size=3) | anything)
def test_engine_definition_operations_and_apply(
    fe_engine: FlowerEquivalencyEngine, definition: Any, user: Any, category: Any, customer: Any, products_: Any,
    packages_: Any,
) -> None:
    product_list = [p for p in products_ if p is not None] if isinstance(products_, list) else products_
    package_list = [p for p in packages_ if p is not None] if isinstance(packages_, list) else packages_
    _attempt(lambda: fe_engine.create_definition(definition, by=user, products=product_list, packages=package_list))
    _attempt(lambda: fe_engine.edit_definition(definition, by=user))
    _attempt(lambda: fe_engine.delete_definition(category, customer, by=user))
    _attempt(lambda: fe_engine.apply_to_catalog(category, customer, by=user, products=product_list))
    _attempt(lambda: fe_engine.apply_to_inventory(category, customer, by=user, packages=package_list,
                                                  products=product_list))
    _attempt(lambda: fe_engine.for_location(definition))


@fuzz
@given(fe_engine=engines(), definition=definitions(wellformed=True) | anything, product=products() | anything,
       package=packages() | anything, customer=customer_types)
def test_engine_queries(fe_engine: FlowerEquivalencyEngine, definition: Any, product: Any, package: Any,
                        customer: Any) -> None:
    _attempt(lambda: fe_engine.limit_category(product))
    _attempt(lambda: fe_engine.definition_for(product, customer))
    _attempt(lambda: fe_engine.fields_using(definition))
    _attempt(lambda: fe_engine.based_on_fields(definition, product, package))
    _attempt(lambda: fe_engine.based_on_fields(definition, product, None))
    _attempt(lambda: fe_engine.based_on_grams(definition, product, package))
    _attempt(lambda: fe_engine.based_on_grams(definition, product, None))
    _attempt(lambda: fe_engine.limit_flower_equivalent(package, customer))


# ------------------------------------------------------------------------------------------------------- bulk


rows = st.lists(st.tuples(ids, st.floats() | st.integers() | anything) | anything, max_size=5)


@fuzz
@given(fe_engine=engines(), definition=definitions(wellformed=True), rows_=rows | anything,
       previous=st.none() | st.dictionaries(st.sampled_from(["K1", "K2"]) | st.integers(), st.floats() | anything,
                                             max_size=3) | anything, user=users,
       category=categories, customer=customer_types, field=st.none() | st.sampled_from(
           ["flower_equivalent", "med_flower_equivalent", "rec_flower_equivalent"]) | anything)
def test_bulk(fe_engine: FlowerEquivalencyEngine, definition: Any, rows_: Any, previous: Any, user: Any,
              category: Any, customer: Any, field: Any) -> None:
    if definition is not None:
        result = _attempt(lambda: apply_definition_bulk(definition, rows_, previous=previous))
        if result is not None:
            _attempt(lambda: list(result.changes()))
    result = _attempt(lambda: fe_engine.apply_to_inventory_bulk(category, customer, rows_, by=user, field=field,
                                                                previous=previous))
    if result is not None:
        _attempt(lambda: list(result.changes()))


# -------------------------------------------------------------------------------------------------------- CLI


cli_args = st.one_of(amount_text, st.text(max_size=12), st.sampled_from(
    ["Solid Edible", "all", "medical", "grams_concentration", "potency", "16 oz", "1 oz", "10 g", "--json", "-x",
     "--value", "--flower-amount", "--category", ""]))


@fuzz
@given(category=cli_args, customer=cli_args, based_on=cli_args, amount=cli_args, flower=cli_args,
       values=st.lists(cli_args, max_size=3), as_json=st.booleans(), extra=st.lists(cli_args, max_size=2))
def test_cli_fe(category: str, customer: str, based_on: str, amount: str, flower: str, values: list[str],
                as_json: bool, extra: list[str]) -> None:
    argv = ["fe", "--category", category, "--customer-type", customer, "--based-on", based_on,
            "--category-amount", amount, "--flower-amount", flower, *values, *extra]
    if as_json:
        argv.append("--json")
    out, err = StringIO(), StringIO()
    with watchdog():
        code = cli_main(argv, out=out, err=err)
    assert code in (0, 2), (code, err.getvalue())
    assert "internal error" not in err.getvalue(), err.getvalue()
    if code == 0 and as_json and out.getvalue():
        json.loads(out.getvalue(), parse_constant=_no_constant)  # NaN/Infinity are not JSON
    if code == 0:
        assert "inf g" not in out.getvalue() and "nan g" not in out.getvalue()


def _no_constant(name: str) -> Any:
    raise AssertionError(f"{name} in the CLI's JSON")
