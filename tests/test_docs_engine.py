"""docs/engine.md cannot drift: its example runs, and it explains every rule the engine has."""

from __future__ import annotations

import doctest
from pathlib import Path

from fe_compliance import fe_rules

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_engine_page_example_runs() -> None:
    failures, tried = doctest.testfile(str(DOCS / "engine.md"), module_relative=False,
                                       optionflags=doctest.ELLIPSIS)
    assert tried > 5
    assert failures == 0


def test_engine_page_explains_every_rule_and_cites_the_seed() -> None:
    text = (DOCS / "engine.md").read_text(encoding="utf-8")
    missing = [rule.code for rule in fe_rules.ALL_RULES if f"**`{rule.code}`**" not in text]
    assert missing == []
    assert fe_rules.SEED_FE in text


def test_cli_page_documents_the_json_of_every_subcommand() -> None:
    from fe_compliance.cli import SUBCOMMANDS

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in SUBCOMMANDS:
        assert f"## `fe-compliance {name}`" in text, name
