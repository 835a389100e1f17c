"""The test kit imports cleanly in a fresh interpreter (issue #7: the entry point made a circular import).

Under pytest the bug hid, because pytest's hypothesis plugin imports hypothesis before any test module; only a
fresh interpreter shows what a user's script sees, so each check runs in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    "statement",
    [
        "from fe_compliance.testing import definitions",
        "import fe_compliance.testing.strategies",
        "import hypothesis; from fe_compliance.testing import strategies",
    ],
)
def test_the_kit_imports_in_a_fresh_interpreter(statement: str) -> None:
    result = _run(statement)
    assert result.returncode == 0, result.stderr


def test_from_type_works_when_the_strategies_started_the_hypothesis_import() -> None:
    code = (
        "from fe_compliance.testing import definitions\n"
        "from hypothesis import strategies as st, given, settings\n"
        "from fe_compliance import FlowerEquivalencyDefinition, CatalogProduct\n"
        "seen = []\n"
        "@settings(max_examples=5, database=None)\n"
        "@given(st.from_type(FlowerEquivalencyDefinition), st.from_type(CatalogProduct))\n"
        "def check(d, p):\n"
        "    seen.append((type(d).__name__, type(p).__name__))\n"
        "check()\n"
        "assert seen and set(seen) == {('FlowerEquivalencyDefinition', 'CatalogProduct')}, seen\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr


def test_importing_the_package_does_not_import_hypothesis() -> None:
    result = _run("import sys, fe_compliance.testing; assert 'hypothesis' not in sys.modules, 'hypothesis imported'")
    assert result.returncode == 0, result.stderr
