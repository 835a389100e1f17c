"""The worked examples in docs/limits.md run and print exactly what the page shows."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "limits.md"
TEXT = DOC.read_text(encoding="utf-8")


def _block(kind: str, name: str) -> str:
    match = re.search(rf"<!-- {kind}: {name} -->\n```\w+\n(.*?)\n```", TEXT, re.S)
    assert match, f"docs/limits.md has no {kind} block {name!r}"
    return match.group(1)


@pytest.mark.parametrize("name", ["mi", "ma"])
def test_worked_example_output_matches_the_page(name: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_block("example", name), f"docs/limits.md:{name}", "exec"), {})
    assert out.getvalue().strip() == _block("output", name).strip()
