"""Write ``docs/states/<xx>.md`` for every registered state pack and refresh the table in ``docs/states/index.md``.

Run from the project root: ``.venv/bin/python scripts/gen_state_docs.py`` (``--check`` exits 1 when a page is out
of date, without writing). The state tests make the same comparison.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from fe_compliance.states import available
from fe_compliance.states.docs import INDEX_BEGIN, INDEX_END, render_index_table, render_state

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "states"


def _index_text(current: str) -> str:
    table = render_index_table()
    if INDEX_BEGIN in current and INDEX_END in current:
        head, rest = current.split(INDEX_BEGIN, 1)
        _, tail = rest.split(INDEX_END, 1)
        return head + table + tail
    return current.rstrip("\n") + "\n\n" + table + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale pages instead of writing them")
    args = parser.parse_args(argv)
    wanted: dict[pathlib.Path, str] = {DOCS / f"{code.lower()}.md": render_state(code) for code in available()}
    index = DOCS / "index.md"
    wanted[index] = _index_text(index.read_text(encoding="utf-8") if index.exists() else "# State rule packs\n")
    stale = [path for path, text in wanted.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
