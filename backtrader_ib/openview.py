"""What cheat-on-open hooks see: the datas on their new bar, the rest not yet.

Before the broker runs, ``next_open`` (and timers with ``cheat=True``) see
each data on the bar that just arrived, while its indicators and line
operations have not been recalculated: they still show the bar the strategy
last ran on, as in backtrader. Those lines share the data's timeline, so
for the hook the data's lines read through a copy of the timeline at the new
bar while the shared one is moved back to where the strategy last computed.
"""
from __future__ import annotations

from typing import Any

from .linebuffer import Timeline

__all__ = ('OpenView',)


class OpenView:
    """A context manager, one per strategy: ``with view: strategy.next_open()``."""

    def __init__(self, datas: list) -> None:
        groups: dict = {}  # id(timeline) -> (timeline, data objects, their lines)
        for data in datas:
            tl = data._tl
            group = groups.setdefault(id(tl), (tl, [], []))
            group[1].append(data)
            group[2].extend(data.lines)
        self._groups = list(groups.values())
        self._computed: dict = {}  # id(timeline) -> its count when the strategy last ran
        self._moved: list = []

    def mark(self) -> None:
        """The strategy has just run: its indicators are computed up to here."""
        for tl, _, _ in self._groups:
            self._computed[id(tl)] = tl.count

    def __enter__(self) -> 'OpenView':
        moved = self._moved = []
        for tl, datas, lines in self._groups:
            lag = tl.count - self._computed.get(id(tl), 0)
            if lag <= 0:
                continue
            now = _copy(tl)
            for obj in datas:
                obj._tl = now
            for line in lines:
                line._tl = now
            tl.idx -= lag
            tl.count -= lag
            moved.append((tl, datas, lines, lag))
        return self

    def __exit__(self, *exc: Any) -> None:
        for tl, datas, lines, lag in self._moved:
            tl.idx += lag
            tl.count += lag
            for obj in datas:
                obj._tl = tl
            for line in lines:
                line._tl = tl
        self._moved = []


def _copy(tl: Timeline) -> Timeline:
    copy = Timeline()
    for slot in ('idx', 'count', 'end', 'ext', 'capacity', 'keep'):
        setattr(copy, slot, getattr(tl, slot))
    copy.buffers = tl.buffers
    return copy
