"""The audit's input errors: a row of an export, or the customers file, that cannot be read or replayed.

::

    FEComplianceError
    └── InvalidValueError
        └── AuditInputError        a bad row: names the file, the line, the column and the value
"""

from __future__ import annotations

from ..errors import InvalidValueError

__all__ = ["AuditInputError"]


class AuditInputError(InvalidValueError):
    """A row that cannot be read: ``source`` (file name) and ``line`` (1-based) say where, ``field`` what."""

    def __init__(self, source: str, line: int, field: str, value: object, reason: str) -> None:
        self.source = source
        self.line = line
        super().__init__(f"{source}:{line}: {field}", value, reason)
