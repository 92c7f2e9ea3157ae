"""Where each data, indicator and observer of a strategy goes on the chart.

backtrader's rules: observers with their own pane go on top of everything,
the others (buy/sell markers) over their data. An indicator goes over the
object it is computed on (its clock) unless ``subplot``, in which case it
gets a pane above (``plotabove``) or below that object; ``plotmaster``
overrides the object it belongs to; an indicator of an indicator that is
not plotted is dropped unless ``plotforce`` sends it to the data below.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..lineseries import LineSeriesStub

__all__ = ('Layout', 'layout_strategy', 'visible')


def visible(obj: Any) -> bool:
    """Whether plotinfo asks for ``obj`` to be drawn."""
    info = obj.plotinfo
    return bool(getattr(info, 'plot', True)) and not getattr(info, 'plotskip', False)


@dataclass
class Layout:
    """The strategy's objects sorted by where they are drawn (keys are objects)."""

    top: list = field(default_factory=list)                       # own panes on top
    above: dict = field(default_factory=lambda: defaultdict(list))  # panes above key
    over: dict = field(default_factory=lambda: defaultdict(list))   # drawn on key's axis
    below: dict = field(default_factory=lambda: defaultdict(list))  # panes below key
    datas: list = field(default_factory=list)                     # plotted datas


def _owner_of(clock: Any) -> Any:
    # an indicator built on a single line (SMA(data.close)) is clocked by a
    # stub around that line: it belongs to the line's owner
    if isinstance(clock, LineSeriesStub):
        return clock.owner if clock.owner is not None else clock
    return clock


def layout_strategy(strategy: Any) -> Layout:
    """Sort ``strategy``'s datas, indicators and observers onto the chart."""
    lay = Layout()
    lay.datas = [d for d in strategy.datas if visible(d)]
    for obs in strategy.getobservers():
        if not visible(obs):
            continue
        if obs.plotinfo.subplot and obs.plotinfo.plotmaster is None:
            lay.top.append(obs)
        else:
            master = obs.plotinfo.plotmaster
            key = master if master is not None else _owner_of(obs._clock)
            if key is strategy:
                key = strategy.datas[0]
            lay.over[key].append(obs)

    datas = set(map(id, strategy.datas))
    for ind in strategy.getindicators_lines():
        if not visible(ind):
            continue
        key = _owner_of(ind._clock)
        if key is strategy or key is None:
            key = strategy.datas[0]
        if getattr(ind.plotinfo, 'plotforce', False):
            while id(key) not in datas and getattr(key, '_clock', None) is not None:
                key = _owner_of(key._clock)
        master = ind.plotinfo.plotmaster
        if master is ind:
            master = None
        if master is not None:
            key = master
        if ind.plotinfo.subplot and master is None:
            (lay.above if ind.plotinfo.plotabove else lay.below)[key].append(ind)
        else:
            lay.over[key].append(ind)
    return lay
