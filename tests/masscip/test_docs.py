"""docs/masscip.md cannot drift: its table is the generated one and its examples run."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import fe_compliance.masscip as masscip
from fe_compliance.masscip import DEFAULT_TABLE, table_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "masscip.md"
BEGIN = "<!-- masscip-table:begin -->\n"
END = "<!-- masscip-table:end -->"


def test_docs_table_is_the_generated_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert block == table_markdown(), (
        "docs/masscip.md is out of date: paste the output of "
        "`python -c 'from fe_compliance.masscip import table_markdown; print(table_markdown(), end=\"\")'` "
        "between the masscip-table markers"
    )


def test_generated_table_has_one_row_per_entry_and_shows_flags() -> None:
    rows = table_markdown().splitlines()[2:]
    assert len(rows) == len(DEFAULT_TABLE)
    for row, entry in zip(rows, DEFAULT_TABLE, strict=True):
        assert row.startswith(f"| {entry.name} |")
        if entry.flagged:
            assert f"| {str(entry.status).upper()} |" in row
        else:
            assert "| confirmed |" in row


def test_docs_examples_run() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 3
    # One doctest over all blocks in page order, so later examples see the names earlier ones defined.
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "docs/masscip.md", str(DOC), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.tries >= 10
    assert runner.failures == 0, f"{runner.failures} docs example(s) failed (see the output above)"


def test_package_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(masscip, verbose=False)
    assert tried >= 3
    assert failures == 0
