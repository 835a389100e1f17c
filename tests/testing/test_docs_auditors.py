"""The worked examples of docs/auditors.md run and print exactly what the page shows (searches derandomized)."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "auditors.md"
TEXT = DOC.read_text(encoding="utf-8")


def _block(kind: str, name: str) -> str:
    match = re.search(rf"<!-- {kind}: {name} -->\n```\w+\n(.*?)\n```", TEXT, re.S)
    assert match, f"docs/auditors.md has no {kind} block {name!r}"
    return match.group(1)


@pytest.mark.parametrize("name", ["limit-1", "limit-2", "fe"])
def test_worked_example_output_matches_the_page(name: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_block("example", name), f"docs/auditors.md:{name}", "exec"), {})
    shown = _block("output", name).strip()
    assert shown, "the page shows no output"
    assert out.getvalue().strip() == shown
