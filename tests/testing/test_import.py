"""The test kit imports cleanly in a fresh interpreter (issue #7: the entry point made a circular import).

Under pytest the bug hid, because pytest's hypothesis plugin imports hypothesis before any test module; only a
fresh interpreter shows what a user's script sees, so each check runs in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_hypothesis_first_then_the_kit() -> None:
    result = _run("import hypothesis; from fe_compliance.testing import strategies, properties")
    assert result.returncode == 0, result.stderr


def test_the_kit_imports_in_a_fresh_interpreter_and_from_type_works() -> None:
    """The import of issue #7: the strategies start the hypothesis import, whose entry point then runs."""
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


_HIDE_HYPOTHESIS = """
import sys

class HideHypothesis:
    def find_spec(self, name, path=None, target=None):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, HideHypothesis())
"""


def test_without_hypothesis_the_error_names_the_extra() -> None:
    code = _HIDE_HYPOTHESIS + (
        "import importlib\n"
        "from fe_compliance import FEComplianceError\n"
        "for module in ('fe_compliance.testing.strategies', 'fe_compliance.testing.properties'):\n"
        "    try:\n"
        "        importlib.import_module(module)\n"
        "    except ImportError as exc:\n"
        "        assert isinstance(exc, FEComplianceError), type(exc).__mro__\n"
        "        assert \"pip install 'fe-compliance[testing]'\" in str(exc), str(exc)\n"
        "        assert exc.field == 'extra' and exc.value == 'testing'\n"
        "        print('refused:', module)\n"
        "    else:\n"
        "        raise SystemExit(module + ' imported without hypothesis')\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.count("refused:") == 2


def test_without_hypothesis_the_rest_of_the_kit_still_imports() -> None:
    code = _HIDE_HYPOTHESIS + (
        "import fe_compliance.testing, fe_compliance.testing.pytest_plugin, fe_compliance.testing.reference\n"
        "import fe_compliance.testing.cases\n"
        "from fe_compliance.testing import MissingExtraError\n"
        "try:\n"
        "    from fe_compliance.testing import definitions\n"
        "except MissingExtraError:\n"
        "    print('refused lazily')\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert "refused lazily" in result.stdout


def test_the_package_and_the_pytest_plugin_import_neither_hypothesis_nor_a_rule_pack() -> None:
    code = (
        "import sys\n"
        "import fe_compliance.testing, fe_compliance.testing.pytest_plugin\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'hypothesis' or m.startswith('fe_compliance.states')]\n"
        "assert not loaded, loaded\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
