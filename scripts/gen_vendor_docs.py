"""Write docs/vendors/<slug>.md (and index.md) from the vendor modules of fe_compliance.greencheck.

    python scripts/gen_vendor_docs.py            # every implemented vendor, and the index
    python scripts/gen_vendor_docs.py dutchie    # one vendor (and the index)
    python scripts/gen_vendor_docs.py --check    # exit 1 if any page differs from the code (writes nothing)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fe_compliance.greencheck import get_vendor, vendors
from fe_compliance.greencheck.docs import render_index, render_vendor_page

DOCS = Path(__file__).resolve().parent.parent / "docs" / "vendors"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("slugs", nargs="*", help="vendors to write (default: every implemented vendor)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on a difference")
    args = parser.parse_args(argv)
    pages = {DOCS / "index.md": render_index()}
    for slug in args.slugs or vendors():
        spec = get_vendor(slug)
        pages[DOCS / f"{spec.slug}.md"] = render_vendor_page(spec)
    stale = 0
    for path, text in pages.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale += 1
        if args.check:
            print(f"stale: {path}", file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
