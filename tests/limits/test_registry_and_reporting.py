"""The state registry and the Batch-mode warning."""

from __future__ import annotations

import datetime as dt

import pytest

from fe_compliance.errors import FEComplianceError, InvalidValueError
from fe_compliance.limits import UnknownStateError, batch_mode_warning, warn_if_batch
from fe_compliance.states import available, pack_for, rules_for
from fe_compliance.states.registry import STATES

from .packs import make_pack


@pytest.mark.parametrize("state", ["ZZ", "Michigan", "", None, 26])
def test_unknown_states_are_library_errors(state: object) -> None:
    with pytest.raises(UnknownStateError) as info:
        rules_for(state, on=dt.date(2024, 1, 1))  # type: ignore[arg-type]
    assert isinstance(info.value, LookupError) and isinstance(info.value, FEComplianceError)
    assert info.value.field == "state" and "MI" in str(info.value)


def test_available_lists_every_registered_pack() -> None:
    assert available() == tuple(sorted(STATES))
    assert {"MA", "MI", "NV"} <= set(available())
    for code in available():
        assert pack_for(code).state == code


def test_batch_warning_modes() -> None:
    zz = make_pack()
    assert batch_mode_warning(zz, "batch", on=dt.date(2021, 6, 1)) is None  # real time not required then
    assert batch_mode_warning(zz, "Batch", on=dt.date(2022, 6, 1)) is not None
    assert batch_mode_warning(zz, "allotment_only", on=dt.date(2022, 6, 1)) is None
    with pytest.raises(InvalidValueError):
        batch_mode_warning(zz, "sometimes", on=dt.date(2022, 6, 1))
    with pytest.raises(InvalidValueError):
        batch_mode_warning(zz, "batch")
    assert warn_if_batch(zz, "real-time", on=dt.date(2022, 6, 1)) is None
