"""The ``fe-compliance`` command: a thin face over the library.

Each subcommand lives in a module of this package with a ``register(subparsers)`` function that adds its parser and
sets ``handler`` to a function ``(args, out, err) -> int``. Exit codes, for every subcommand: 0 ok, 1 findings
(violations, failed items), 2 usage or input error (a message on standard error). No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence
from typing import TextIO

from .. import __version__
from ..errors import FEComplianceError

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

# One entry per subcommand module, in the order `--help` lists them.
SUBCOMMANDS: tuple[str, ...] = ("fe", "grams", "audit", "outbox")


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on a usage error already; this keeps its message on standard error, tidily."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fe-compliance",
        description="Flower equivalency, purchase limits and compliance checks for cannabis retail.",
        epilog="Exit codes: 0 ok, 1 findings (violations, failed items), 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it)."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = build_parser()
    try:
        # argparse writes help and usage errors to sys.stdout / sys.stderr: point those at our streams.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        code: int = args.handler(args, out, err)
    except FEComplianceError as exc:
        print(f"fe-compliance {args.command}: error: {exc}", file=err)
        return EXIT_USAGE
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"fe-compliance {args.command}: error: {exc.strerror or exc}{where}", file=err)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("fe-compliance: interrupted", file=err)
        return 130
    except Exception as exc:  # a bug: say so in one line rather than show a traceback
        print(f"fe-compliance {args.command}: internal error, please report it: {type(exc).__name__}: {exc}",
              file=err)
        return EXIT_USAGE
    return code


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
