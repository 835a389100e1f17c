"""``fe-compliance grams``: extract the grams of sale lines for one POS vendor, with the trace of why.

Input (``FILE``, or ``-`` for standard input): either one JSON object, possibly spread over many lines, or JSON
lines (one object per line; blank lines are ignored). Each object is ``{"product": {...}, "sale_line": {...}}``
(either may be omitted or null), with an optional ``"id"`` that is echoed back.

Text output: per line, ``line N: <grams> g (<basis>, from <source>)`` followed by the numbered trace and any
plausibility warnings. A line that fails is reported on standard error as ``line N: error: <message>`` and the
other lines still run.

``--json`` output: one JSON object on standard output (as for every subcommand), with one entry per input line::

    {"vendor": "dutchie", "tier_convention": "trade", "total": 2, "failed": 1,
     "lines": [
       {"line": 1, "id": <as given or null>, "ok": true, "result": <GramsResult.to_dict()>},
       {"line": 2, "id": null, "ok": false,
        "error": {"type": "NoGramsError", "message": "...", "vendor": "dutchie", "field": "...", "value": "<repr>"}}
     ]}

``GramsResult.to_dict()`` is ``{"vendor", "grams", "unit": "g", "per_unit_grams", "quantity", "basis", "source",
"step", "tier_convention", "warnings": [{"code", "message"}], "trace": [{"step", "source", "outcome", "reason"}],
"rule": {"code", "summary", "citation"}}``.

Exit codes: 0 when every line gave grams, 2 when any line failed (or the vendor, the file or the options are
wrong).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from ..errors import FEComplianceError, InvalidValueError, describe_value
from ..greencheck import ExtractOptions, GramsResult, get_vendor, known_vendors
from ..greencheck.tiers import TierConvention

EXIT_OK = 0
EXIT_FAILED_LINES = 2

_LINE_KEYS = frozenset({"product", "sale_line", "id"})


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "grams",
        help="extract the grams of sale lines from a POS vendor's records, with the trace of why",
        description=(
            "Read {\"product\": ..., \"sale_line\": ...} objects (one JSON object, or JSON lines) and print, for each, "
            "the grams the vendor's chain gives and every step it tried. Exit 2 if any line failed."
        ),
        epilog=f"Vendors: {', '.join(known_vendors())}.",
    )
    parser.add_argument("--vendor", required=True, help="vendor slug, e.g. dutchie, flowhub, blaze, metrc")
    parser.add_argument("file", metavar="FILE", help="JSON object or JSON lines file; '-' reads standard input")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object with an entry per input line (shape in docs/cli.md)")
    parser.add_argument(
        "--tier-convention",
        default="trade",
        choices=[convention.value for convention in TierConvention],
        help="what a weight tier weighs: trade (eighth = 3.5 g, default) or avoirdupois (eighth = 3.5437 g)",
    )
    parser.set_defaults(handler=handle)


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidValueError("FILE", path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _records(text: str) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, parsed value, problem or None) for each record of the input; with a problem, the value is
    the line's text."""
    stripped = text.strip()
    if not stripped:
        return
    try:
        whole = json.loads(stripped)
    except (ValueError, RecursionError):
        whole = None
    else:
        first_line = text[: text.index(stripped[0])].count("\n") + 1
        yield first_line, whole, None
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except (ValueError, RecursionError) as exc:
            yield number, line, f"not valid JSON ({exc or 'nested too deeply'})"


def _split(value: Any) -> tuple[Any, Any, Any]:
    if not isinstance(value, dict):
        raise InvalidValueError("line", value, "expected a JSON object {\"product\": ..., \"sale_line\": ...}")
    extra = sorted(set(value) - _LINE_KEYS)
    if extra:
        raise InvalidValueError("line", extra, "unknown keys; a line holds 'product', 'sale_line' and 'id'")
    return value.get("product"), value.get("sale_line"), value.get("id")


def _error_dict(error: FEComplianceError) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "message": str(error),
        "vendor": getattr(error, "vendor", None),
        "field": error.field,
        "value": None if error.value is None else describe_value(error.value),
    }


def _print_result(number: int, record_id: Any, result: GramsResult, out: TextIO) -> None:
    label = f"line {number}" + (f" ({record_id})" if record_id is not None else "")
    print(f"{label}: {result.grams_value:.6g} g ({result.basis.value}, from {result.source})", file=out)
    for line in result.explanation():
        print(f"  {line}", file=out)


def handle(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    spec = get_vendor(args.vendor)  # an unknown or unwritten vendor is a usage error (exit 2) before any reading
    options = ExtractOptions(tier_convention=args.tier_convention)
    text = _read_text(args.file)
    failed = 0
    seen = 0
    rows: list[dict[str, Any]] = []
    for number, value, problem in _records(text):
        seen += 1
        record_id: Any = None
        try:
            if problem is not None:
                raise InvalidValueError("line", value, problem)
            product, sale_line, record_id = _split(value)
            result = spec.extract(product, sale_line, options)
        except FEComplianceError as error:
            failed += 1
            print(f"fe-compliance grams: line {number}: error: {error}", file=err)
            rows.append({"line": number, "id": _json_id(record_id), "ok": False, "error": _error_dict(error)})
            continue
        if args.json:
            rows.append({"line": number, "id": _json_id(record_id), "ok": True, "result": result.to_dict()})
        else:
            _print_result(number, record_id, result, out)
    if args.json:
        payload = {"vendor": spec.slug, "tier_convention": options.tier_convention.value, "total": seen,
                   "failed": failed, "lines": rows}
        print(json.dumps(payload, indent=2), file=out)
    if seen == 0:
        print("fe-compliance grams: error: the input holds no JSON object", file=err)
        return EXIT_FAILED_LINES
    if failed:
        print(f"fe-compliance grams: {failed} of {seen} line(s) failed", file=err)
        return EXIT_FAILED_LINES
    return EXIT_OK


def _json_id(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool)) else describe_value(value)
