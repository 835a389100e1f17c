"""Rules with their citations, so that every number the library computes can say which rule produced it."""

from __future__ import annotations

import attrs

__all__ = ["Rule"]


@attrs.frozen(slots=True)
class Rule:
    """One rule of a source document: a stable code, what it says in a sentence, and where it is written.

    ``source`` names the document (a seed file name, a statute section); ``section`` the part of it.
    """

    code: str
    summary: str
    source: str
    section: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source}, {self.section}" if self.section else self.source

    def __str__(self) -> str:
        return f"{self.code}: {self.summary} [{self.citation}]"
