"""The error raised when a part of the test kit is imported without its extra installed."""

from __future__ import annotations

from ..errors import FEComplianceError

__all__ = ["INSTALL_HINT", "MissingExtraError"]

INSTALL_HINT = "pip install 'fe-compliance[testing]'"


class MissingExtraError(FEComplianceError, ImportError):
    """``module`` needs hypothesis, which comes with the ``testing`` extra.

    It is an :class:`ImportError` (code that tries an optional import keeps working) and an
    :class:`~fe_compliance.FEComplianceError` (code that catches the library's errors sees it too).
    """

    def __init__(self, module: str) -> None:
        super().__init__(
            f"{module} needs hypothesis, which is not installed; install the testing extra: {INSTALL_HINT}",
            field="extra",
            value="testing",
        )
        self.name = "hypothesis"
