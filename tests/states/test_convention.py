"""The one convention of docs/states/index.md: where sources conflict and nothing settles it, the never-looser
reading, said in the pack. Each state the index names must state its choice in its own docstring."""

from __future__ import annotations

import importlib
import pathlib
import re

from fe_compliance.states.registry import STATES

INDEX = pathlib.Path(__file__).resolve().parents[2] / "docs" / "states" / "index.md"


def _convention_rows() -> list[tuple[str, ...]]:
    text = INDEX.read_text(encoding="utf-8")
    section = text.split("## One convention for every pack", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| state")]
    return [tuple(cell.strip() for cell in row.strip("|").split("|")) for row in rows]


def test_the_index_states_the_convention() -> None:
    text = INDEX.read_text(encoding="utf-8")
    assert "never looser than any of them" in text and "latest day the change" in text
    assert len(_convention_rows()) >= 10


def test_every_state_named_by_the_convention_says_its_choice_in_its_pack() -> None:
    named = {code for row in _convention_rows() for code in re.findall(r"\b[A-Z]{2}\b", row[0])}
    assert named and named <= set(STATES)
    for code in named:
        doc = " ".join((importlib.import_module(f"fe_compliance.states.{STATES[code]}").__doc__ or "").split())
        assert re.search(r"never[ -]looser|stricter", doc), code
