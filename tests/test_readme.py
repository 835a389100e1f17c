"""The README's promises: its two commands, the test command CI runs, and a Python example that works."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands() -> None:
    assert README.index("```sh") < 40
    main, tests = _commands()
    assert "fe-compliance audit examples/" in main and ".venv" in main
    assert "--state MA --html report.html --exit-zero" in main
    assert "pytest" in tests and ".venv" in tests


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = _commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_python_example_runs_and_prints_what_it_says() -> None:
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    code = block.group(1)
    assert len([line for line in code.splitlines() if line.strip()]) <= 12
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    text = out.getvalue()
    assert text.startswith("0.625 g (calculated via Solid Edible / all)")
    assert "[calc_on_receive]" in text and "[catalog_defaults]" in text
    assert "source: 001_0f6da1db91b12d45.txt" in text
