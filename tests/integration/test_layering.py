"""integration sits above tracktrace and outbox: nothing below imports it, it imports neither testing nor cli, and
``import fe_compliance`` does not load it."""

from __future__ import annotations

import subprocess
import sys

from tests.tracktrace.test_layering import GROUND_FLOORS, SRC, imports_of

BELOW = (*GROUND_FLOORS, "tracktrace", "outbox")


def test_nothing_below_imports_the_integration() -> None:
    for floor in BELOW:
        paths = [SRC / f"{floor}.py"] if (SRC / f"{floor}.py").exists() else sorted((SRC / floor).rglob("*.py"))
        assert paths, floor
        for path in paths:
            assert not any(name.startswith("fe_compliance.integration") for name in imports_of(path)), path


def test_the_integration_imports_neither_testing_nor_cli() -> None:
    for path in sorted((SRC / "integration").glob("*.py")):
        for name in imports_of(path):
            assert not name.startswith(("fe_compliance.testing", "fe_compliance.cli")), (path, name)


def test_import_fe_compliance_does_not_load_the_integration() -> None:
    code = "import sys, fe_compliance; print(any(m.startswith('fe_compliance.integration') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
