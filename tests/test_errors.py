"""The exception tree: one root, every error names its field and value."""

from __future__ import annotations

import inspect

import fe_compliance
from fe_compliance import errors
from fe_compliance.errors import FEComplianceError, InvalidValueError, describe_value


def test_every_exported_error_derives_from_the_root() -> None:
    classes = [obj for _, obj in inspect.getmembers(fe_compliance, inspect.isclass) if issubclass(obj, Exception)]
    assert classes
    for cls in classes:
        assert issubclass(cls, FEComplianceError), cls


def test_the_tree_is_drawn_in_the_docstring() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        if name[0].isupper() and name != "FEComplianceError":
            assert name in doc, name


def test_invalid_value_names_field_and_value() -> None:
    error = InvalidValueError("net_weight", "-3 g", "must not be negative")
    assert error.field == "net_weight" and error.value == "-3 g"
    assert "net_weight" in str(error) and "'-3 g'" in str(error)


def test_long_values_are_cut() -> None:
    assert len(describe_value("x" * 10_000)) <= 80

    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert "unprintable" in describe_value(Hostile())
