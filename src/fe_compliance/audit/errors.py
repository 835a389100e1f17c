"""The audit's input errors: a row of an export, or the customers file, that cannot be read or replayed.

::

    FEComplianceError
    └── InvalidValueError
        └── AuditInputError        a bad row: names the file, the line, the column and the value
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidValueError

__all__ = ["AuditInputError"]


class AuditInputError(InvalidValueError):
    """A row that cannot be read: ``source`` (file name) and ``line`` (1-based) say where, ``field`` what."""

    def __init__(self, source: str, line: int, field: str, value: object, reason: str) -> None:
        self.source = source
        self.line = line
        self.column = field
        super().__init__(f"{source}:{line}: {field}", value, reason)

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled by its own arguments: the Dask path ships bad rows from the workers (Exception's default pickling
        # would call __init__ with the message alone)
        return (type(self), (self.source, self.line, self.column, self.value, self.reason))
