"""Warnings pointed at the user's line, not at the framework's."""
from __future__ import annotations

import os
import sys
import warnings
from types import FrameType

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` attributed to the first caller outside backtrader_ib."""
    level = 2  # 1 is this function, 2 its caller
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PKG):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
