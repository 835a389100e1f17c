"""The worked examples of docs/auditors.md run and print what the page shows (searches derandomized).

The test kit's own part of each report (the title, the counterexample, the POS's answer) must match the page
exactly; of the reference explanation, which the limit engine and the FE engine write, the verdict line and the
last line (the limit that refused, or the rule applied) must match, so that a change of wording there does not
silently leave a wrong example on the page, nor break this page for every change of the engines' wording.
To refresh the page after such a change, run the examples and paste their output."""

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
    assert _essentials(out.getvalue().strip()) == _essentials(shown), out.getvalue()


def _essentials(report: str) -> tuple[str, str, str]:
    kit, _, explanation = report.partition("reference (fe_compliance) explanation:")
    lines = explanation.strip().splitlines()
    return kit.strip(), lines[0], lines[-1]
