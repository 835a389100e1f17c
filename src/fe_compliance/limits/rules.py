"""The rule kinds a state rule pack is made of.

Every rule is dated and cited: ``effective`` (the first day it applies), ``until`` (the first day it no longer
applies, ``None`` while current), ``citation`` (statute, regulation or agency page), ``confirmed`` (``False`` when
no primary source was found; the flag shows in every explanation and docs page) and a ``note`` saying how a
source was read. A new version of a rule keeps its ``code`` and starts the day the old one stops.

Rule kinds:

* :class:`Limit`: a cap on an amount in a window. With no ``categories`` and the ``COUNTED`` measure it is a
  combined budget; with ``categories`` it is a sub-cap inside the budget (Michigan's 15 g of concentrate inside
  2.5 oz). An allotment override may replace a budget's cap, never a sub-cap's.
* :class:`Equivalency`: a mass-for-mass flower equivalency, as a :class:`~fe_compliance.FlowerEquivalencyDefinition`.
* :class:`VolumeEquivalency`: a volume that counts as a mass of flower (Michigan: 36 fl oz of liquid infused
  product = 1 oz). Its own kind, because FE definitions compare masses.
* :class:`ExemptProducts`: products that do not count at all: by category (topicals), or by a property the POS
  flags on the line (Colorado's non-psychoactive topicals).
* :class:`CountingRule`: what a line counts as for one customer type: its package-level FE (the default, seed
  ``001``) or what MassCIP counts (Massachusetts medical, seed ``000``).
* :class:`ReportingRule`: whether the state requires real-time reporting to its tracking system.
* :class:`NotResearched`: a customer type the pack deliberately does not cover; checking such a customer is an
  error, never an unlimited sale.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

import attrs

from ..categories import CustomerType, fold_name
from ..equivalency import FlowerEquivalencyDefinition
from ..explain import Rule
from ..units import mass_to_grams, parse_quantity
from .errors import InvalidRuleError
from .volume import volume_to_ml

__all__ = [
    "CountingBasis",
    "CountingRule",
    "CustomerCondition",
    "DatedRule",
    "Enforcement",
    "Equivalency",
    "ExemptProducts",
    "Limit",
    "LimitKind",
    "Measure",
    "NotResearched",
    "PeriodAnchor",
    "ReportingRule",
    "RollingConvention",
    "VolumeEquivalency",
    "Window",
    "WindowKind",
    "applies_to",
]


# ---------------------------------------------------------------------------------------------------------- enums


class Measure(enum.Enum):
    """What a limit adds up over the lines it covers."""

    COUNTED = "counted"
    """The pack's counting basis: package-level FE grams, or MassCIP grams for Massachusetts medical."""
    GRAMS_CONCENTRATION = "grams_concentration"
    """Grams of the product itself (grams/concentration): "15 g of concentrate" counts concentrate weight."""
    THC = "thc"
    """Grams of THC in the product: "500 mg of THC in infused products"."""
    VOLUME = "volume"
    """Millilitres of the product: a cap on liquid volume."""

    def __str__(self) -> str:
        return self.value

    @property
    def unit(self) -> str:
        """The float unit amounts of this measure are kept in: ``"g"`` or ``"ml"``."""
        return "ml" if self is Measure.VOLUME else "g"


class Enforcement(enum.Enum):
    """``ENFORCED`` limits refuse carts; ``ADVISORY`` limits are computed and reported as warnings only.

    Advisory is for rules whose current status could not be confirmed (Michigan's monthly medical cap): the POS
    sees the figure, and a caller who decides to enforce them passes ``enforce_advisory=True`` to the engine.
    """

    ENFORCED = "enforced"
    ADVISORY = "advisory"

    def __str__(self) -> str:
        return self.value


class CountingBasis(enum.Enum):
    """What a line counts as toward the budgets of one customer type."""

    PACKAGE_FE = "package_fe"
    """The package-level flower equivalent (``001_0f6da1db91b12d45.txt``: only the inventory-level FE is used for
    purchase-limit enforcement); when a line has none, the pack's equivalencies compute one from its data."""
    MASSCIP = "masscip"
    """MassCIP's count (``000_ccfae62b51cd6f41.txt``): grams/concentration, times 5.3 for non-flower Metrc
    categories, via :mod:`fe_compliance.masscip`."""

    def __str__(self) -> str:
        return self.value


class WindowKind(enum.Enum):
    TRANSACTION = "transaction"
    CALENDAR_DAY = "calendar_day"
    CALENDAR_MONTH = "calendar_month"
    ROLLING_DAYS = "rolling_days"

    def __str__(self) -> str:
        return self.value


class RollingConvention(enum.Enum):
    """How a rolling N-day window restores a purchase."""

    CALENDAR_DAYS = "calendar_days"
    """Store-local calendar days: a purchase on day 1 counts through day N and is restored at the start of day
    N+1 (Maryland's "restored on day 31" for a 30-day window)."""
    ELAPSED = "elapsed"
    """Exact time: a purchase is restored N x 24 hours after the moment it was made."""

    def __str__(self) -> str:
        return self.value


class PeriodAnchor(enum.Enum):
    """Where the periods of a rolling window start."""

    ROLLING = "rolling"
    """A window ending on the sale day (the default)."""
    CERTIFICATION_DATE = "certification_date"
    """Consecutive fixed periods of N days starting on the customer's certification date (an option where the
    source leaves it open: Massachusetts medical's 60-day period)."""

    def __str__(self) -> str:
        return self.value


class LimitKind(enum.Enum):
    """What part a limit plays for a customer.

    A ``BUDGET`` adds up the pack's counting basis (``Measure.COUNTED``), over every counted line or over some
    categories only ("2 oz of flower" beside a separate concentrate limit); a customer's allotment override may
    replace its cap, and every customer type a pack covers has at least one. A ``SUB_CAP`` is any other cap (on
    some categories, or on another measure); an override never touches it.
    """

    BUDGET = "budget"
    SUB_CAP = "sub_cap"

    def __str__(self) -> str:
        return self.value


# -------------------------------------------------------------------------------------------------------- helpers


def _date_only(field: str) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if value is None and field == "until":
            return
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise InvalidRuleError(field, value, "expected a date (not a datetime)")

    return check


def _is(field: str, kind: type | tuple[type, ...]) -> Any:
    """Like ``attrs.validators.instance_of``, but a wrong value is an :class:`InvalidRuleError` naming the field."""

    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, kind):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            raise InvalidRuleError(field, value, f"expected {names}")

    return check


def _text(field: str, *, allow_empty: bool = False) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise InvalidRuleError(field, value, "expected non-empty text")

    return check


def _customer_type(value: object) -> CustomerType:
    return CustomerType.parse(value)


def _names(values: Iterable[str], field: str) -> frozenset[str]:
    if isinstance(values, str):
        values = (values,)
    names = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise InvalidRuleError(field, value, "expected non-empty category names")
        names.append(" ".join(value.split()))
    return frozenset(names)


def _name_set(values: Iterable[str] | None) -> frozenset[str] | None:
    """A limit's categories: ``None`` (every counted line) or at least one name."""
    if values is None:
        return None
    names = _names(values, "categories")
    if not names:
        raise InvalidRuleError("categories", values, "a sub-cap needs at least one category")
    return names


def _exempt_set(values: Iterable[str] | None) -> frozenset[str]:
    """An exemption's categories: possibly none, when the products are exempt by a property the POS flags."""
    return frozenset() if values is None else _names(values, "categories")


def _flag_set(values: Iterable[str] | None) -> frozenset[str] | None:
    """Where a line's exempt flag is honoured: ``None`` (any category) or at least one name."""
    if values is None:
        return None
    names = _names(values, "flag_categories")
    if not names:
        raise InvalidRuleError("flag_categories", values, "name at least one category, or None for any category")
    return names


def _tag_set(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        values = (values,)
    tags = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise InvalidRuleError("waived_by", value, "expected non-empty exemption names")
        tags.append(value.strip().lower())
    return frozenset(tags)


def applies_to(rule_type: CustomerType, customer_type: CustomerType) -> bool:
    """A rule for ``ALL`` applies to every customer; a rule for a type to customers of that type."""
    return rule_type is CustomerType.ALL or rule_type is customer_type


# ------------------------------------------------------------------------------------------------------- windows


@attrs.frozen(slots=True, kw_only=True)
class Window:
    """The period a limit counts purchases over. Build one with the class methods.

    ``anchor_selectable`` marks the windows whose periods a caller may anchor to the certification date instead
    of rolling (Massachusetts medical); elsewhere the engine ignores that option.
    """

    kind: WindowKind
    days: int | None = None
    convention: RollingConvention = RollingConvention.CALENDAR_DAYS
    anchor_selectable: bool = False

    def __attrs_post_init__(self) -> None:
        if self.kind is WindowKind.ROLLING_DAYS:
            if isinstance(self.days, bool) or not isinstance(self.days, int) or self.days < 1:
                raise InvalidRuleError("days", self.days, "a rolling window needs a whole number of days >= 1")
        elif self.days is not None:
            raise InvalidRuleError("days", self.days, f"a {self.kind} window has no length in days")
        if self.anchor_selectable and self.kind is not WindowKind.ROLLING_DAYS:
            raise InvalidRuleError("anchor_selectable", True, "only a rolling window can be anchored")

    @classmethod
    def transaction(cls) -> Window:
        return cls(kind=WindowKind.TRANSACTION)

    @classmethod
    def calendar_day(cls) -> Window:
        """Purchases since local midnight in the store's zone; restored at the next local midnight."""
        return cls(kind=WindowKind.CALENDAR_DAY)

    @classmethod
    def calendar_month(cls) -> Window:
        """Purchases since local midnight on the 1st of the store-local month; all restored at local midnight on
        the 1st of the next month (a purchase on 31 January is restored on 1 February).

        A reading of "per month" that sources leave open: it lets a customer buy a full cap at the end of one month
        and again at the start of the next, which a rolling window of 30 or 31 days does not. A pack says which
        reading it takes.
        """
        return cls(kind=WindowKind.CALENDAR_MONTH)

    @classmethod
    def rolling(
        cls,
        days: int,
        *,
        convention: RollingConvention = RollingConvention.CALENDAR_DAYS,
        anchor_selectable: bool = False,
    ) -> Window:
        return cls(kind=WindowKind.ROLLING_DAYS, days=days, convention=convention, anchor_selectable=anchor_selectable)

    def describe(self) -> str:
        """One sentence a cashier or an auditor can read, including the restore convention."""
        if self.kind is WindowKind.TRANSACTION:
            return "per sales transaction (earlier purchases do not count)"
        if self.kind is WindowKind.CALENDAR_DAY:
            return "per calendar day in the store's time zone (purchases are restored at local midnight)"
        if self.kind is WindowKind.CALENDAR_MONTH:
            return (
                "per calendar month in the store's time zone (purchases count from local midnight on the 1st and are "
                "restored at local midnight on the 1st of the next month)"
            )
        n = self.days or 0
        if self.convention is RollingConvention.ELAPSED:
            text = f"rolling {n} x 24 hours (a purchase is restored exactly {n} x 24 hours after it was made)"
        else:
            text = (
                f"rolling {n} days (store-local calendar days: a purchase on day 1 counts through day {n} "
                f"and is restored on day {n + 1})"
            )
        if self.anchor_selectable:
            text += "; may instead be anchored to the certification date in fixed periods of that length"
        return text

    def __str__(self) -> str:
        if self.kind is WindowKind.ROLLING_DAYS:
            return f"rolling {self.days} days"
        return str(self.kind).replace("_", " ")


# -------------------------------------------------------------------------------------------------------- rules


@attrs.frozen(slots=True, kw_only=True)
class CustomerCondition:
    """Which customers a limit applies to, beyond the customer type: residency, an age band, caregiver status.

    ``None`` means "any". When a condition needs an attribute the customer record lacks, the engine raises
    rather than guess which limit applies.
    """

    resident: bool | None = None
    min_age: int | None = None
    max_age: int | None = None
    caregiver: bool | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise InvalidRuleError(name, value, "expected a whole number of years")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise InvalidRuleError("max_age", self.max_age, "must not be below min_age")

    @property
    def is_any(self) -> bool:
        return self.resident is None and self.min_age is None and self.max_age is None and self.caregiver is None

    @property
    def needs_age(self) -> bool:
        return self.min_age is not None or self.max_age is not None

    def describe(self) -> str:
        parts = []
        if self.resident is not None:
            parts.append("residents" if self.resident else "non-residents")
        if self.caregiver is not None:
            parts.append("caregivers" if self.caregiver else "non-caregivers")
        if self.min_age is not None and self.max_age is not None:
            parts.append(f"aged {self.min_age}-{self.max_age}")
        elif self.min_age is not None:
            parts.append(f"aged {self.min_age} or more")
        elif self.max_age is not None:
            parts.append(f"aged {self.max_age} or less")
        return ", ".join(parts) if parts else "any customer"


@attrs.frozen(slots=True, kw_only=True)
class DatedRule:
    """Fields every rule of a pack carries: its code, a one-line summary, and where and when it applies."""

    code: str = attrs.field(validator=_text("code"))
    summary: str = attrs.field(validator=_text("summary"))
    citation: str = attrs.field(validator=_text("citation"))
    effective: dt.date = attrs.field(validator=_date_only("effective"))
    until: dt.date | None = attrs.field(default=None, validator=_date_only("until"))
    confirmed: bool = attrs.field(validator=_is("confirmed", bool))
    note: str = attrs.field(default="", validator=_text("note", allow_empty=True))

    def _check_dates(self) -> None:
        if self.until is not None and self.until <= self.effective:
            raise InvalidRuleError("until", self.until, f"rule {self.code!r} must end after it starts")

    def in_force(self, on: dt.date) -> bool:
        """True when the rule applies on ``on`` (``effective <= on < until``)."""
        return self.effective <= on and (self.until is None or on < self.until)

    @property
    def rule(self) -> Rule:
        """The rule as an :class:`~fe_compliance.explain.Rule` for explanations (unconfirmed ones say so)."""
        summary = self.summary if self.confirmed else f"{self.summary} [UNCONFIRMED]"
        return Rule(code=self.code, summary=summary, source=self.citation)

    @property
    def dates(self) -> str:
        return f"from {self.effective.isoformat()}" + (f" until {self.until.isoformat()}" if self.until else "")


@attrs.frozen(slots=True, kw_only=True)
class Limit(DatedRule):
    """A cap of ``cap`` on ``measure`` over ``window`` for customers of ``customer_type`` meeting ``condition``.

    Without ``categories`` it covers every counted (non-exempt) line; with them (canonical purchase-limit category
    names), only lines of those categories. Its ``kind`` follows by default: no categories and the ``COUNTED``
    measure is the combined budget, anything else a sub-cap (Michigan's 15 g of concentrate inside the 2.5 oz).
    ``kind=LimitKind.BUDGET`` with ``categories`` makes a budget of some categories only, for sources that give
    separate limits rather than one converted budget (Colorado medical: 2 oz of flower *and* 8 g of concentrate per
    day): an allotment override replaces it as it would the combined budget. A budget always counts the
    ``COUNTED`` measure. ``waived_by`` names the customer exemptions that lift the limit (New Jersey's terminally
    ill patients).
    """

    customer_type: CustomerType = attrs.field(converter=_customer_type)
    window: Window = attrs.field(validator=_is("window", Window))
    cap: Any = attrs.field()
    measure: Measure = attrs.field(default=Measure.COUNTED, validator=_is("measure", Measure))
    categories: frozenset[str] | None = attrs.field(default=None, converter=_name_set)
    _kind: LimitKind | None = attrs.field(default=None, alias="kind", validator=_is("kind", (LimitKind, type(None))))
    condition: CustomerCondition = attrs.field(factory=CustomerCondition, validator=_is("condition", CustomerCondition))
    enforcement: Enforcement = attrs.field(default=Enforcement.ENFORCED, validator=_is("enforcement", Enforcement))
    waived_by: frozenset[str] = attrs.field(factory=frozenset, converter=_tag_set)
    _cap_value: float = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        self._check_dates()
        if self._kind is LimitKind.BUDGET and self.measure is not Measure.COUNTED:
            raise InvalidRuleError(
                "kind",
                self._kind,
                f"limit {self.code!r}: a budget adds up the counting basis (Measure.COUNTED); a cap on {self.measure} "
                "is a sub-cap",
            )
        if self.measure is Measure.VOLUME:
            value = volume_to_ml(self.cap, field=f"{self.code} cap", allow_zero=False)
        else:
            value = mass_to_grams(self.cap, field=f"{self.code} cap", allow_zero=False)
        object.__setattr__(self, "cap", parse_quantity(self.cap, field=f"{self.code} cap"))
        object.__setattr__(self, "_cap_value", value)

    @property
    def cap_value(self) -> float:
        """The cap as a float in the measure's unit (grams, or millilitres for volume)."""
        return self._cap_value

    @property
    def kind(self) -> LimitKind:
        """``BUDGET`` or ``SUB_CAP``: as given, or by default a budget exactly when it has no categories and counts
        the ``COUNTED`` measure."""
        if self._kind is not None:
            return self._kind
        if self.categories is None and self.measure is Measure.COUNTED:
            return LimitKind.BUDGET
        return LimitKind.SUB_CAP

    @property
    def enforced(self) -> bool:
        return self.enforcement is Enforcement.ENFORCED

    def describe(self) -> str:
        what = "everything counted" if self.categories is None else ", ".join(sorted(self.categories))
        measure = {
            Measure.COUNTED: "counted amount",
            Measure.GRAMS_CONCENTRATION: "product weight",
            Measure.THC: "THC",
            Measure.VOLUME: "volume",
        }[self.measure]
        return f"{self.cap:~P} ({self.cap_value:.6g} {self.measure.unit}) {measure} of {what}, {self.window}"


@attrs.frozen(slots=True, kw_only=True)
class Equivalency(DatedRule):
    """A mass-for-mass equivalency of the state, as an FE definition (its category and customer type key it).

    ``weight_bounds_thc`` (potency definitions only): a line that gives no ``thc_grams`` but gives its product
    weight (``grams_concentration`` or ``net_weight_grams``) is counted as if all of that weight were THC, the larger
    of the two when both are given. THC can never exceed the product's weight, so this upper bound is never looser
    than the rule; the line's count says so and the decision carries a warning (Massachusetts' concentrate, counted
    by its active THC, 935 CMR 500.146(2)(a)). Without it such a line is refused as missing ``thc_grams``.
    """

    definition: FlowerEquivalencyDefinition = attrs.field(validator=_is("definition", FlowerEquivalencyDefinition))
    weight_bounds_thc: bool = attrs.field(default=False, validator=_is("weight_bounds_thc", bool))

    def __attrs_post_init__(self) -> None:
        self._check_dates()
        if self.weight_bounds_thc and str(self.definition.based_on) != "potency":
            raise InvalidRuleError(
                "weight_bounds_thc",
                True,
                f"equivalency {self.code!r} reads {self.definition.based_on}, not THC (potency): a weight bound on "
                "THC only applies to a potency definition",
            )

    @property
    def customer_type(self) -> CustomerType:
        return self.definition.customer_type

    @property
    def category(self) -> str:
        return self.definition.purchase_limit_category


@attrs.frozen(slots=True, kw_only=True)
class VolumeEquivalency(DatedRule):
    """``volume`` of ``category`` counts as ``equivalent_flower`` of flower (a volume-to-mass rule)."""

    category: str = attrs.field(validator=_text("category"))
    customer_type: CustomerType = attrs.field(converter=_customer_type)
    volume: Any = attrs.field()
    equivalent_flower: Any = attrs.field()
    _grams_per_ml: float = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        self._check_dates()
        ml = volume_to_ml(self.volume, field=f"{self.code} volume", allow_zero=False)
        grams = mass_to_grams(self.equivalent_flower, field=f"{self.code} equivalent_flower", allow_zero=False)
        object.__setattr__(self, "volume", parse_quantity(self.volume, field="volume"))
        object.__setattr__(self, "equivalent_flower", parse_quantity(self.equivalent_flower, field="equivalent_flower"))
        object.__setattr__(self, "category", " ".join(self.category.split()))
        object.__setattr__(self, "_grams_per_ml", grams / ml)

    @property
    def grams_per_ml(self) -> float:
        """Flower grams per millilitre of product."""
        return self._grams_per_ml

    def describe(self) -> str:
        return (
            f"{self.volume:~P} of {self.category} = {self.equivalent_flower:~P} of flower "
            f"({self.grams_per_ml:.6g} g per ml), {self.customer_type} customers"
        )


@attrs.frozen(slots=True, kw_only=True)
class ExemptProducts(DatedRule):
    """Products that count toward no limit: by category (Massachusetts' topicals), or by a property the POS flags.

    ``categories`` are exempt whatever the line says. ``honor_line_flag`` is for states that exempt products by a
    property rather than a category (Colorado: topicals *without psychoactive effect*): a line's own ``exempt`` flag
    is then honoured, on lines of ``flag_categories`` only (``None``: any category). Colorado's rule is therefore
    ``ExemptProducts(honor_line_flag=True, flag_categories=(TOPICAL,))`` with no exempt category: a flagged topical
    is exempt, a plain topical counts, and a flower line flagged by mistake still counts. An exemption must exempt
    something: no categories and no flag is an error.
    """

    customer_type: CustomerType = attrs.field(default=CustomerType.ALL, converter=_customer_type)
    categories: frozenset[str] = attrs.field(factory=frozenset, converter=_exempt_set)
    honor_line_flag: bool = attrs.field(default=False, validator=_is("honor_line_flag", bool))
    flag_categories: frozenset[str] | None = attrs.field(default=None, converter=_flag_set)

    def __attrs_post_init__(self) -> None:
        self._check_dates()
        if not self.categories and not self.honor_line_flag:
            raise InvalidRuleError(
                "categories",
                self.categories,
                f"exemption {self.code!r} exempts nothing: name categories, or set honor_line_flag=True",
            )
        if self.flag_categories is not None and not self.honor_line_flag:
            raise InvalidRuleError(
                "flag_categories", sorted(self.flag_categories), "only meaningful with honor_line_flag=True"
            )

    def flag_applies(self, category: str) -> bool:
        """True when a line of (canonical) ``category`` flagged exempt is exempt under this rule."""
        if not self.honor_line_flag:
            return False
        if self.flag_categories is None:
            return True
        key = fold_name(category)
        return any(fold_name(name) == key for name in self.flag_categories)


@attrs.frozen(slots=True, kw_only=True)
class CountingRule(DatedRule):
    """What lines of ``customer_type`` customers count as toward their budgets."""

    customer_type: CustomerType = attrs.field(converter=_customer_type)
    basis: CountingBasis = attrs.field(validator=_is("basis", CountingBasis))

    def __attrs_post_init__(self) -> None:
        self._check_dates()


@attrs.frozen(slots=True, kw_only=True)
class ReportingRule(DatedRule):
    """Whether sales must reach the state's tracking system in real time (Batch mode not permitted)."""

    real_time_required: bool = attrs.field(validator=_is("real_time_required", bool))

    def __attrs_post_init__(self) -> None:
        self._check_dates()


@attrs.frozen(slots=True, kw_only=True)
class NotResearched(DatedRule):
    """The pack does not cover ``customer_type``: the engine refuses to decide for such customers."""

    customer_type: CustomerType = attrs.field(converter=_customer_type)

    def __attrs_post_init__(self) -> None:
        self._check_dates()
