"""Finding an object in a list by identity.

``list.index``, ``in`` and ``list.remove`` compare with ``==``, which on line
objects (data feeds, indicators, lines) is not a test: it builds a line
operation (or compares current values) and may pick another object.
"""
from __future__ import annotations

from typing import Any, Sequence

__all__ = ('index_of', 'contains', 'remove_item')


def index_of(seq: Sequence, obj: Any) -> int:
    """The position of ``obj`` itself in ``seq`` (ValueError if absent)."""
    for i, item in enumerate(seq):
        if item is obj:
            return i
    raise ValueError(f'{obj!r} is not in the sequence')


def contains(seq: Sequence, obj: Any) -> bool:
    """Whether ``obj`` itself is in ``seq``."""
    return any(item is obj for item in seq)


def remove_item(items: list, obj: Any) -> None:
    """Remove ``obj`` itself from ``items`` (ValueError if absent)."""
    del items[index_of(items, obj)]
