"""The Python examples of docs/tracktrace.md run as written (the fake-server one over a real socket)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from .helpers import json_response, make_client, make_sale

DOC = (Path(__file__).resolve().parents[2] / "docs" / "tracktrace.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", DOC, re.S)


def test_the_doc_has_its_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_example_runs(index: int) -> None:
    code = BLOCKS[index]
    if 'vendor_key="..."' in code:  # the configuration sketch: build it, never call the real Metrc
        code = code.replace('"..."', '"x"')
    # The short snippets use a ``system`` and a ``sale``: a Metrc client on a mock transport that knows the sale.
    system, _, _ = make_client(lambda request: json_response([{"Id": 3, "ExternalReceiptNumber": "ABC-1234"}]))
    namespace = {"system": system, "sale": make_sale()}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"docs/tracktrace.md[{index}]", "exec"), namespace)
    if "receipt = system.find_receipt" in code:
        assert namespace["receipt"].id == "3"
    if "ConnectionFailedError True" in code:
        assert out.getvalue().strip() == "ConnectionFailedError True"
