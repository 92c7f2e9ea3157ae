"""What counts as a number in a user's argument (sizes, prices, cash)."""
from __future__ import annotations

import numbers
from typing import Any

_PLAIN = (int, float)


def is_real(value: Any) -> bool:
    """A real number (numpy's included), not a bool or a string."""
    # int and float first: the ABC check costs about a microsecond per call
    return value.__class__ in _PLAIN or (isinstance(value, numbers.Real)
                                         and not isinstance(value, bool))
