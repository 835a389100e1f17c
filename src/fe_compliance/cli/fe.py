"""``fe-compliance fe``: compute one flower equivalent and explain it."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from ..categories import BasedOn, CustomerType
from ..equivalency import FlowerEquivalencyDefinition

EXIT_OK = 0


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "fe",
        help="compute a flower equivalent with its explanation",
        description=(
            "Compute the flower equivalent of one based-on value from one definition, and print how. "
            "Amounts are written with their unit, e.g. '16 oz' or '453.59 g'."
        ),
    )
    parser.add_argument("--category", required=True, help="purchase-limit category, e.g. 'Solid Edible'")
    parser.add_argument(
        "--customer-type", default="all", help="medical, recreational or all (default: all)"
    )
    parser.add_argument(
        "--based-on",
        required=True,
        help="grams_concentration, net_weight or potency",
    )
    parser.add_argument("--category-amount", required=True, help="e.g. '16 oz'")
    parser.add_argument(
        "--flower-amount",
        required=True,
        nargs="+",
        metavar="AMOUNT",
        help="the equivalent flower amount, then the based-on value(s) to convert: '1 oz' '10 g' ...",
    )
    parser.add_argument(
        "--value", action="append", default=[], metavar="AMOUNT",
        help="a based-on value to convert (repeatable); the same as listing it after --flower-amount",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (see docs/cli.md)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    flower_amount, *values = args.flower_amount
    values += args.value
    definition = FlowerEquivalencyDefinition(
        purchase_limit_category=args.category,
        customer_type=CustomerType.parse(args.customer_type, field="--customer-type"),
        based_on=BasedOn.parse(args.based_on, field="--based-on"),
        category_amount=args.category_amount,
        equivalent_flower_amount=flower_amount,
    )
    calculations = [definition.calculate(value) for value in values]
    if args.json:
        payload: dict[str, Any] = {
            "definition": {
                "purchase_limit_category": definition.purchase_limit_category,
                "customer_type": str(definition.customer_type),
                "based_on": str(definition.based_on),
                "category_amount": f"{definition.category_amount:~P}",
                "equivalent_flower_amount": f"{definition.equivalent_flower_amount:~P}",
                "ratio": definition.ratio,
            },
            "results": [calculation.to_dict() for calculation in calculations],
        }
        _write(out, json.dumps(payload, indent=2, allow_nan=False))
        return EXIT_OK
    lines = [definition.describe()]
    for calculation in calculations:
        lines += ["", f"{calculation.input:~P} -> {calculation.flower_equivalent_grams:.6g} g flower equivalent"]
        lines += [f"  {line}" for line in calculation.explanation()]
    if not calculations:
        lines.append("(no based-on value given: pass it after the flower amount, e.g. --flower-amount '1 oz' '10 g')")
    _write(out, "\n".join(lines))
    return EXIT_OK


def _write(out: TextIO, text: str) -> None:
    """Print ``text`` whole, whatever the stream can encode: a category name the terminal's encoding lacks (or an
    undecodable byte of the command line, which Python hands over as a lone surrogate) is written escaped, never
    lost to a UnicodeEncodeError half-way through the output."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = text.encode(encoding if _known(encoding) else "utf-8", "backslashreplace").decode(
            encoding if _known(encoding) else "utf-8")
    print(text, file=out)


def _known(encoding: str) -> bool:
    try:
        "".encode(encoding)
    except LookupError:
        return False
    return True
