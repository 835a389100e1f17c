"""The ``fe-compliance`` command: output, --json, exit codes, and no tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fe_compliance.cli import main

SEED_EXAMPLE = [
    "fe", "--category", "Solid Edible", "--customer-type", "all", "--based-on", "grams_concentration",
    "--category-amount", "16 oz", "--flower-amount", "1 oz", "10 g",
]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_fe_prints_the_result_and_its_explanation() -> None:
    code, out, err = run(SEED_EXAMPLE)
    assert code == 0 and err == ""
    assert "10 g -> 0.625 g flower equivalent" in out
    assert "ratio = 1 oz / 16 oz = 0.0625" in out
    assert "001_0f6da1db91b12d45.txt" in out


def test_fe_json_is_one_object() -> None:
    code, out, _ = run([*SEED_EXAMPLE, "--json"])
    assert code == 0
    payload = json.loads(out)
    assert payload["definition"]["ratio"] == pytest.approx(0.0625)
    (result,) = payload["results"]
    assert result["flower_equivalent_grams"] == pytest.approx(0.625)
    assert result["input"] == "10 g" and result["rule"]["code"] == "ratio"


def test_several_values_and_the_value_option() -> None:
    code, out, _ = run([*SEED_EXAMPLE, "--value", "20 g", "--json"])
    assert code == 0
    assert [r["flower_equivalent_grams"] for r in json.loads(out)["results"]] == pytest.approx([0.625, 1.25])


@pytest.mark.parametrize(
    "argv",
    [
        ["fe", "--category", "X", "--based-on", "potency", "--category-amount", "5 %", "--flower-amount", "1 oz"],
        ["fe", "--category", "X", "--based-on", "nope", "--category-amount", "1 g", "--flower-amount", "1 oz"],
        ["fe", "--category", "X", "--based-on", "potency", "--category-amount", "1 g", "--flower-amount", "1 oz",
         "-3 g"],
        ["fe", "--category", "X", "--customer-type", "alien", "--based-on", "potency", "--category-amount", "1 g",
         "--flower-amount", "1 oz"],
        ["fe", "--category", "X"],
        ["fe", "--category", "X", "--based-on", "potency", "--category-amount", "9**9**9 g", "--flower-amount", "1 oz"],
        ["fe", "--category", "X", "--based-on", "potency", "--category-amount", "1 g", "--flower-amount", "1 oz",
         "10 g / 0"],
        ["nope"],
        [],
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(argv: list[str]) -> None:
    code, _, err = run(argv)
    assert code == 2
    assert err.strip() and "Traceback" not in err


def test_help_exits_0() -> None:
    code, _, _ = run(["--help"])
    assert code == 0


def test_version_prints_the_package_version() -> None:
    import fe_compliance

    code, out, _ = run(["--version"])
    assert code == 0 and out.strip() == f"fe-compliance {fe_compliance.__version__}"


def test_console_script_runs_as_a_real_process() -> None:
    script = Path(sys.executable).with_name("fe-compliance")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "fe_compliance"]
    completed = subprocess.run([*command, *SEED_EXAMPLE, "--json"], capture_output=True, text=True, check=False,
                               env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["results"][0]["flower_equivalent_grams"] == pytest.approx(0.625)
    bad = subprocess.run([*command, "fe", "--category", "X", "--based-on", "potency", "--category-amount", "0 g",
                          "--flower-amount", "1 oz"], capture_output=True, text=True, check=False, timeout=60)
    assert bad.returncode == 2 and "category_amount" in bad.stderr and "Traceback" not in bad.stderr


def test_a_bug_in_a_handler_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from fe_compliance.cli import fe

    def broken(*_: object) -> int:
        raise KeyError("oops")

    monkeypatch.setattr(fe, "handle", broken)
    code, out, err = run(SEED_EXAMPLE)
    assert code == 2 and out == ""
    assert err.startswith("fe-compliance fe: internal error, please report it: KeyError") and "Traceback" not in err
