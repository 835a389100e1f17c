"""The worked example of docs/masscip.md, "The integration", runs against the fake Metrc and prints what it says."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "masscip.md"


def _block(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    block = text.split(f"<!-- {name}:begin -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]
    return block.split("```python\n", 1)[1].rsplit("```", 1)[0]


def test_worked_example_runs_and_stores_once() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_block("integration-example"), str(DOC), "exec"), {})  # our own docs
    assert out.getvalue().split() == ["found", "1"]
