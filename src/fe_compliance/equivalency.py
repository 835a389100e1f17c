"""Flower-equivalency definitions and the definition set an LSP shares across its locations.

A definition says: ``category_amount`` of a purchase-limit category counts as ``equivalent_flower_amount`` of
flower, for one customer type, measured on one product field (``based_on``). Its :attr:`ratio` is the flower
amount divided by the category amount, and a product's flower equivalent is its based-on value times that ratio
(``001_0f6da1db91b12d45.txt``, "Category amount, equivalent flower amount, and ratio").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any

import attrs

from . import fe_rules
from .categories import DEFAULT_ALIASES, BasedOn, CategoryAliases, CustomerType, fold_name
from .errors import (
    DefinitionNotFoundError,
    FEComplianceError,
    InvalidQuantityError,
    InvalidValueError,
)
from .explain import Rule
from .permissions import Permission, User, require
from .units import checked_mass, grams_quantity, mass_to_grams

__all__ = [
    "DefinitionKey",
    "DefinitionSet",
    "DuplicateDefinitionError",
    "FlowerEquivalencyCalculation",
    "FlowerEquivalencyDefinition",
]


class DuplicateDefinitionError(FEComplianceError):
    """A definition for this purchase-limit category and customer type already exists: edit it instead."""

    def __init__(self, key: DefinitionKey) -> None:
        super().__init__(
            f"purchase_limit_category: a definition for {key.category!r} and customer type "
            f"{key.customer_type} already exists; edit it instead of adding another",
            field="purchase_limit_category",
            value=key.category,
        )


def _category_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("purchase_limit_category", value, "expected a non-empty category name")
    return " ".join(value.split())


def _source_text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidValueError("source", value, "expected text saying where the numbers come from, or None")
    return value


def _customer_type(value: object) -> CustomerType:
    return CustomerType.parse(value)


def _based_on(value: object) -> BasedOn:
    return BasedOn.parse(value)


def _checked_amount(value: object, field: str) -> Any:
    return checked_mass(value, field=field, allow_zero=False)[0]  # finite, positive, a mass


def _category_amount(value: object) -> Any:
    return _checked_amount(value, "category_amount")


def _equivalent_flower_amount(value: object) -> Any:
    return _checked_amount(value, "equivalent_flower_amount")


@attrs.frozen(slots=True)
class DefinitionKey:
    """What a definition is looked up by: the canonical purchase-limit category and the customer type."""

    category: str
    customer_type: CustomerType

    @property
    def folded(self) -> tuple[str, CustomerType]:
        return fold_name(self.category), self.customer_type

    def __str__(self) -> str:
        return f"{self.category} / {self.customer_type}"


@attrs.frozen(slots=True)
class FlowerEquivalencyDefinition:
    """``category_amount`` of ``purchase_limit_category`` counts as ``equivalent_flower_amount`` of flower.

    Both amounts must be masses greater than zero; a volume, a count or a percentage is refused at construction,
    because a ratio between unlike quantities has no meaning. ``source`` is free text saying where the numbers
    come from (a statute, a board chart), carried into every explanation.
    """

    purchase_limit_category: str = attrs.field(converter=_category_name)
    customer_type: CustomerType = attrs.field(converter=_customer_type)
    based_on: BasedOn = attrs.field(converter=_based_on)
    category_amount: Any = attrs.field(converter=_category_amount)
    equivalent_flower_amount: Any = attrs.field(converter=_equivalent_flower_amount)
    source: str | None = attrs.field(default=None, kw_only=True, converter=_source_text)
    _ratio: float = attrs.field(init=False, repr=False, eq=False)
    _exact_ratio: Fraction = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        category_grams = mass_to_grams(self.category_amount, field="category_amount")
        flower_grams = mass_to_grams(self.equivalent_flower_amount, field="equivalent_flower_amount")
        ratio = flower_grams / category_grams
        if not math.isfinite(ratio) or ratio <= 0:
            raise InvalidQuantityError("ratio", ratio, "the amounts give no usable ratio")
        object.__setattr__(self, "_ratio", ratio)
        object.__setattr__(self, "_exact_ratio", Fraction(flower_grams) / Fraction(category_grams))

    @property
    def ratio(self) -> float:
        """Equivalent flower amount divided by category amount, both in grams."""
        return self._ratio

    @property
    def key(self) -> DefinitionKey:
        return DefinitionKey(self.purchase_limit_category, self.customer_type)

    def flower_equivalent(self, value: object) -> Any:
        """The flower equivalent of ``value`` (a mass, as a Quantity or a string) as a Quantity in grams."""
        quantity, grams = checked_mass(value, field=self._value_field)
        return grams_quantity(self._finite_fe(quantity, grams))

    def flower_equivalent_grams(self, grams: float) -> float:
        """``grams`` of the based-on field in, grams of flower out: the exact product of ``grams`` and the amounts'
        ratio, rounded once to a float. Multiplying by the rounded :attr:`ratio` would add float noise (3 g of a
        "3 g = 1 oz" definition would give 28.349523125000005 g, not the ounce's 28.349523125 g). An FE beyond any
        float is ``inf``; the callers refuse it."""
        if not math.isfinite(grams):
            return grams * self._ratio
        try:
            return float(Fraction(grams) * self._exact_ratio)
        except OverflowError:
            return math.inf

    def calculate(self, value: object) -> FlowerEquivalencyCalculation:
        """Like :meth:`flower_equivalent`, returning the whole calculation with its explanation."""
        quantity, grams = checked_mass(value, field=self._value_field)
        self._finite_fe(quantity, grams)
        return FlowerEquivalencyCalculation(definition=self, input=quantity, input_grams=grams)

    def _finite_fe(self, quantity: Any, grams: float) -> float:
        """The FE of ``grams``, refused when it overflows: an infinite FE would print as ``inf`` and make every
        limit it is counted against meaningless."""
        fe_grams = self.flower_equivalent_grams(grams)
        if not math.isfinite(fe_grams):
            raise InvalidQuantityError(
                self._value_field, quantity,
                f"{quantity:~P} x ratio {self._ratio:.6g} ({self.key}) overflows; no finite flower equivalent",
            )
        return fe_grams

    @property
    def _value_field(self) -> str:
        return str(self.based_on)

    def describe(self) -> str:
        return (
            f"{self.category_amount:~P} of {self.purchase_limit_category} = "
            f"{self.equivalent_flower_amount:~P} of flower for {self.customer_type} customers, "
            f"based on {self.based_on} (ratio {self.ratio:.6g})"
        )


@attrs.frozen(slots=True)
class FlowerEquivalencyCalculation:
    """One FE computed from one value, with everything needed to explain it."""

    definition: FlowerEquivalencyDefinition
    input: Any
    input_grams: float
    rule: Rule = fe_rules.RATIO

    @property
    def flower_equivalent_grams(self) -> float:
        return self.definition.flower_equivalent_grams(self.input_grams)

    @property
    def flower_equivalent(self) -> Any:
        return grams_quantity(self.flower_equivalent_grams)

    def explanation(self) -> list[str]:
        d = self.definition
        lines = [
            f"definition: {d.describe()}",
            f"ratio = {d.equivalent_flower_amount:~P} / {d.category_amount:~P} = {d.ratio:.10g}",
            f"{d.based_on} = {self.input:~P} = {self.input_grams:.10g} g",
            f"flower equivalent = {self.input_grams:.10g} g x {d.ratio:.10g} = "
            f"{self.flower_equivalent_grams:.10g} g",
            f"rule: {self.rule}",
        ]
        if d.source:
            lines.insert(1, f"definition source: {d.source}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        d = self.definition
        return {
            "purchase_limit_category": d.purchase_limit_category,
            "customer_type": str(d.customer_type),
            "based_on": str(d.based_on),
            "category_amount": f"{d.category_amount:~P}",
            "equivalent_flower_amount": f"{d.equivalent_flower_amount:~P}",
            "ratio": d.ratio,
            "input": f"{self.input:~P}",
            "input_grams": self.input_grams,
            "flower_equivalent_grams": self.flower_equivalent_grams,
            "rule": {"code": self.rule.code, "summary": self.rule.summary, "citation": self.rule.citation},
            "source": d.source,
            "explanation": self.explanation(),
        }


def _aliases_table(_: object, attribute: attrs.Attribute[CategoryAliases], value: object) -> None:
    if not isinstance(value, CategoryAliases):
        raise InvalidValueError(attribute.name, value, "expected CategoryAliases")


def _definitions(values: Iterable[FlowerEquivalencyDefinition]) -> tuple[FlowerEquivalencyDefinition, ...]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidValueError("definitions", values, "expected an iterable of FlowerEquivalencyDefinition")
    try:
        result = tuple(values)
    except TypeError as exc:  # claims to be iterable but is not (a pint Quantity of a scalar)
        raise InvalidValueError("definitions", values, "expected an iterable of FlowerEquivalencyDefinition") from exc
    for value in result:
        if not isinstance(value, FlowerEquivalencyDefinition):
            raise InvalidValueError("definitions", value, "expected FlowerEquivalencyDefinition items")
    return result


@attrs.frozen(slots=True)
class DefinitionSet:
    """The definitions of one LSP, shared by all its locations (``001_0f6da1db91b12d45.txt``, "Things to know").

    Immutable: every change returns a new set. Lookups resolve state names through ``aliases``. Changes made by a
    person take the acting :class:`User` and check the edit permission; :meth:`view` checks the view permission.
    :meth:`lookup` is the system's own read, used by automatic calculation.
    """

    definitions: tuple[FlowerEquivalencyDefinition, ...] = attrs.field(default=(), converter=_definitions)
    aliases: CategoryAliases = attrs.field(default=DEFAULT_ALIASES, validator=_aliases_table)
    _index: dict[tuple[str, CustomerType], FlowerEquivalencyDefinition] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        # Every definition is stored under its canonical category name, however it was written ("Cartridges",
        # "solid  edible"), so that its key, its explanations and the engine's category matching agree.
        canonical = tuple(self._canonical(definition) for definition in self.definitions)
        object.__setattr__(self, "definitions", canonical)
        index: dict[tuple[str, CustomerType], FlowerEquivalencyDefinition] = {}
        for definition in self.definitions:
            key = self._folded_key(definition.purchase_limit_category, definition.customer_type)
            if key in index:
                raise DuplicateDefinitionError(definition.key)
            index[key] = definition
        object.__setattr__(self, "_index", index)

    def _folded_key(self, category: object, customer_type: CustomerType) -> tuple[str, CustomerType]:
        return self.category_key(category), customer_type

    def category_key(self, category: object) -> str:
        """The comparison key of a purchase-limit category name: its canonical name, folded. Two names mean the
        same category exactly when their keys are equal."""
        return fold_name(self.aliases.canonical(category))

    def __len__(self) -> int:
        return len(self.definitions)

    def __iter__(self) -> Iterator[FlowerEquivalencyDefinition]:
        return iter(self.definitions)

    def find(self, category: object, customer_type: object) -> FlowerEquivalencyDefinition | None:
        """The definition for ``category`` and ``customer_type``, or ``None``.

        A definition for the customer's own type wins over one for ``ALL``; asking for ``ALL`` finds only ``ALL``.
        """
        kind = CustomerType.parse(customer_type)
        found = self._index.get(self._folded_key(category, kind))
        if found is None and kind is not CustomerType.ALL:
            found = self._index.get(self._folded_key(category, CustomerType.ALL))
        return found

    def lookup(self, category: object, customer_type: object) -> FlowerEquivalencyDefinition:
        """Like :meth:`find`, but a missing definition raises :class:`DefinitionNotFoundError`: never a zero."""
        found = self.find(category, customer_type)
        if found is None:
            raise DefinitionNotFoundError(
                self.aliases.canonical(category), CustomerType.parse(customer_type)
            )
        return found

    def exact(self, category: object, customer_type: object) -> FlowerEquivalencyDefinition | None:
        """The definition stored under exactly this key (no fallback to ``ALL``)."""
        return self._index.get(self._folded_key(category, CustomerType.parse(customer_type)))

    def view(self, user: User) -> tuple[FlowerEquivalencyDefinition, ...]:
        """The definitions, for a person holding the view permission."""
        require(user, Permission.VIEW_FLOWER_EQUIVALENCY_DEFINITION, "view flower equivalency definitions")
        return self.definitions

    def added(self, definition: FlowerEquivalencyDefinition, *, by: User) -> DefinitionSet:
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "create a flower equivalency definition")
        if self.exact(definition.purchase_limit_category, definition.customer_type) is not None:
            raise DuplicateDefinitionError(definition.key)
        return DefinitionSet((*self.definitions, definition), self.aliases)

    def replaced(self, definition: FlowerEquivalencyDefinition, *, by: User) -> DefinitionSet:
        """The set with the definition of the same key replaced by ``definition`` (an edit)."""
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "edit a flower equivalency definition")
        old = self.exact(definition.purchase_limit_category, definition.customer_type)
        if old is None:
            raise DefinitionNotFoundError(definition.purchase_limit_category, definition.customer_type)
        kept = tuple(d for d in self.definitions if d is not old)
        return DefinitionSet((*kept, definition), self.aliases)

    def removed(self, category: object, customer_type: object, *, by: User) -> DefinitionSet:
        require(by, Permission.EDIT_FLOWER_EQUIVALENCY_DEFINITION, "delete a flower equivalency definition")
        old = self.exact(category, customer_type)
        if old is None:
            raise DefinitionNotFoundError(self.aliases.canonical(category), CustomerType.parse(customer_type))
        return DefinitionSet(tuple(d for d in self.definitions if d is not old), self.aliases)

    def _canonical(self, definition: FlowerEquivalencyDefinition) -> FlowerEquivalencyDefinition:
        canonical = self.aliases.canonical(definition.purchase_limit_category)
        if canonical == definition.purchase_limit_category:
            return definition
        return attrs.evolve(definition, purchase_limit_category=canonical)
