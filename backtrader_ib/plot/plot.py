"""backtrader's ``plot.plot`` module: the plotter classes and the per-figure
plotting state."""
from __future__ import annotations

import collections
from typing import Any

from .plotter import Plot, Plot_OldSync
from .scheme import PlotScheme

__all__ = ('Plot', 'Plot_OldSync', 'PInfo', 'PlotScheme')


class PInfo:
    """Plotting state of a strategy's figures: the figures, the axes of each
    data (``daxis``) and volume (``vaxis``), and per-axes colour, z-order and
    legend bookkeeping, driven by a :class:`PlotScheme` ``sch``."""

    def __init__(self, sch: Any) -> None:
        self.sch = sch
        self.nrows = 0
        self.row = 0
        self.clock = None
        self.x = None
        self.xlen = 0
        self.sharex = None
        self.figs: list = []
        self.cursors: list = []
        self.daxis: collections.OrderedDict = collections.OrderedDict()
        self.vaxis: list = []
        self.zorder: dict = {}
        self.coloridx: collections.defaultdict = collections.defaultdict(lambda: -1)
        self.handles: collections.defaultdict = collections.defaultdict(list)
        self.labels: collections.defaultdict = collections.defaultdict(list)
        self.legpos: collections.defaultdict = collections.defaultdict(int)
        from matplotlib.font_manager import FontProperties
        self.prop = FontProperties(size=sch.subtxtsize)

    def newfig(self, figid: int, numfig: int, mpyplot: Any):
        """A new figure (numbered ``figid + numfig``) with fresh axes state."""
        fig = mpyplot.figure(figid + numfig)
        self.figs.append(fig)
        self.daxis = collections.OrderedDict()
        self.vaxis = []
        self.row = 0
        self.sharex = None
        return fig

    def nextcolor(self, ax) -> int:
        self.coloridx[ax] += 1
        return self.coloridx[ax]

    def color(self, ax):
        return self.sch.color(self.coloridx[ax])

    def zordernext(self, ax) -> float:
        z = self.zorder[ax]
        return z * 0.9999 if self.sch.zdown else z * 1.0001

    def zordercur(self, ax) -> float:
        return self.zorder[ax]
