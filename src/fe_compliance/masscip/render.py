"""The MassCIP category table as Markdown, so the docs page is generated from the code and cannot drift from it."""

from __future__ import annotations

from .defaults import DEFAULT_TABLE
from .table import CategoryTable

__all__ = ["table_markdown"]

_HEADER = (
    "| Metrc category | Spelled as | MassCIP category | Multiplier | Status | Note | Source |",
    "|---|---|---|---|---|---|---|",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(table: CategoryTable = DEFAULT_TABLE) -> str:
    """One Markdown table row per entry, in table order (the block between the markers of ``docs/masscip.md``)."""
    rows = list(_HEADER)
    for entry in table:
        multiplier = "-" if entry.multiplier is None else f"x{entry.multiplier:g}"
        rows.append(
            "| "
            + " | ".join(
                _cell(part)
                for part in (
                    entry.name,
                    entry.fields.describe(),
                    str(entry.masscip_category),
                    multiplier,
                    str(entry.status).upper() if entry.flagged else str(entry.status),
                    entry.note,
                    entry.source,
                )
            )
            + " |"
        )
    return "\n".join(rows) + "\n"
