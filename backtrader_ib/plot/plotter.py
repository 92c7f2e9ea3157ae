"""The matplotlib chart of a finished strategy (``bt.plot.Plot``).

Panes from top to bottom: observers with their own pane (cash/value,
trades ...), then per data the indicator panes above it, the data itself
(with volume overlaid or in its own pane, buy/sell markers and overlaid
indicators), and the indicator panes below it. The x axis is the
strategy's clock: datas of other timeframes are placed at the bars where
their own bars fall. Figures are plain ``matplotlib.figure.Figure``
objects unless pyplot is asked for (to show them), so saving never touches
the user's backend.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..dataseries import TimeFrame
from ..utils import date2num
from . import finance
from .layout import Layout, layout_strategy
from .lineplot import (ColorCycle, blank_ticks_under_tags, draw_lines, finish_pane, legend,
                       place_value_tags, value_tag)
from .scheme import PlotScheme
from .timeaxis import BarDateFormatter, BarDateLocator, data_format, num2datetime64

__all__ = ('Plot', 'Plot_OldSync', 'bar_range')


def bar_range(dts: np.ndarray, start=None, end=None) -> tuple[int, int]:
    """``start``/``end`` (bar index or date) as a ``[a, b)`` range of the clock."""
    n = len(dts)

    def pos(value, default, right):
        if value is None:
            return default
        if isinstance(value, _dt.datetime):
            num = date2num(value)
            return (bisect.bisect_right if right else bisect.bisect_left)(dts, num)
        if isinstance(value, _dt.date):  # a whole day: from its start to its end
            day = _dt.datetime.combine(value, _dt.time())
            if right:
                day += _dt.timedelta(days=1)
            return bisect.bisect_left(dts, date2num(day))
        if isinstance(value, (int, np.integer)):
            value = int(value)
            if right and value < 0:
                return n + 1 + value
            return value if value >= 0 else n + value
        raise TypeError(f'plot start/end must be a bar index or a date, got {value!r}')

    a, b = pos(start, 0, False), pos(end, n, True)
    a, b = max(a, 0), min(b, n)
    if a >= b:
        raise ValueError(f'plot range start={start!r} end={end!r} selects no bar '
                         f'(the run has {n} bars)')
    return a, b


def _values(line, sl: slice) -> np.ndarray:
    return np.asarray(line.array[sl], dtype=float)


@dataclass
class _Pane:
    kind: str          # 'obj' (indicator/observer), 'data', 'volume'
    obj: Any
    rows: int


class Plot:
    """Draws strategies; keyword arguments are :class:`PlotScheme` options."""

    def __init__(self, scheme: PlotScheme | None = None, **options: Any) -> None:
        self.scheme = scheme if scheme is not None else PlotScheme()
        self.scheme.update(**options)
        self.figs: list = []

    @property
    def p(self):  # backtrader's ``plotter.p.scheme``
        return self

    # -- public ------------------------------------------------------------
    def plot(self, strategy: Any, figid: int = 0, numfigs: int = 1, iplot: bool = True,
             start=None, end=None, width: float = 16, height: float = 9, dpi: int = 100,
             use_pyplot: bool = False, **kwargs: Any) -> list:
        """The figures of ``strategy`` (``numfigs`` of them over the range)."""
        if kwargs:
            self.scheme.update(**kwargs)
        if not strategy.datas or not len(strategy):
            return []
        if numfigs < 1:
            raise ValueError(f'numfigs must be at least 1, got {numfigs!r}')
        clock = np.asarray(strategy.lines.datetime.array[:len(strategy)], dtype=float)
        a, b = bar_range(clock, start, end)
        size, rest = divmod(b - a, numfigs)
        if size == 0:
            raise ValueError(f'numfigs={numfigs} is more than the {b - a} bars to plot')
        layout = layout_strategy(strategy)
        xmaps = self._xmaps(strategy, clock)
        figs = []
        for k in range(numfigs):
            lo = a + k * size
            hi = lo + size + (rest if k == numfigs - 1 else 0)
            fig = self._figure(width, height, dpi, use_pyplot)
            self._draw(fig, strategy, layout, xmaps, clock, lo, hi)
            figs.append(fig)
        self.figs.extend(figs)
        return figs

    def show(self) -> None:
        import matplotlib.pyplot as plt
        plt.show()

    def savefig(self, fig, filename: str, width: float = 16, height: float = 9,
                dpi: int = 300, tight: bool = True) -> None:
        """Save ``fig``; the format follows the file's extension (png, svg, pdf ...)."""
        fig.set_size_inches(width, height)
        fig.savefig(filename, dpi=dpi, bbox_inches='tight' if tight else None)

    # -- building ----------------------------------------------------------
    @staticmethod
    def _figure(width, height, dpi, use_pyplot):
        if use_pyplot:
            import matplotlib.pyplot as plt
            return plt.figure(figsize=(width, height), dpi=dpi)
        from matplotlib.figure import Figure
        return Figure(figsize=(width, height), dpi=dpi)

    @staticmethod
    def _xmaps(strategy, clock: np.ndarray) -> dict:
        """Per timeline: the clock position of each of its bars."""
        xmaps = {id(strategy._tl): np.arange(len(clock))}
        for data in strategy.datas:
            if id(data._tl) in xmaps:
                continue
            dts = np.asarray(data.lines.datetime.array[:len(data)], dtype=float)
            xmaps[id(data._tl)] = np.searchsorted(clock, dts, side='left')
        return xmaps

    def _panes(self, strategy, lay: Layout) -> list[_Pane]:
        sch = self.scheme
        panes: list[_Pane] = []

        def indicator(ind):
            for sub in lay.over[ind]:
                for up in lay.above[sub]:
                    indicator(up)
            for up in lay.above[ind]:
                indicator(up)
            panes.append(_Pane('obj', ind, sch.rowsminor))
            for down in lay.below[ind]:
                indicator(down)
            for sub in lay.over[ind]:
                for down in lay.below[sub]:
                    indicator(down)

        for obs in lay.top:
            indicator(obs)
        for data in lay.datas:
            master = data.plotinfo.plotmaster
            for over in lay.over[data]:
                for up in lay.above[over]:
                    indicator(up)
            for up in lay.above[data]:
                indicator(up)
            if master is None or master is data:
                panes.append(_Pane('data', data, sch.rowsmajor))
                if sch.volume and not sch.voloverlay:
                    panes.append(_Pane('volume', data, sch.rowsminor))
            for down in lay.below[data]:
                indicator(down)
            for over in lay.over[data]:
                for down in lay.below[over]:
                    indicator(down)
        return panes

    def _draw(self, fig, strategy, lay: Layout, xmaps: dict, clock, lo: int, hi: int):
        sch = self.scheme
        panes = self._panes(strategy, lay)
        gs = fig.add_gridspec(len(panes), 1, height_ratios=[p.rows for p in panes],
                              hspace=sch.plotdist)
        # the final margins first: legends and tags are fitted to the panes' sizes
        fig.subplots_adjust(hspace=sch.plotdist, top=0.98, left=0.05, bottom=0.07,
                            right=0.93)
        axes: dict = {}
        first = None
        for i, pane in enumerate(panes):
            ax = fig.add_subplot(gs[i, 0], sharex=first)
            first = first or ax
            ax.yaxis.tick_right()
            if sch.grid:
                ax.grid(True, which='both', alpha=0.5)
            axes[(pane.kind, id(pane.obj))] = ax
        self._colors = ColorCycle(sch)
        self._span = (lo, hi)
        self._xmaps_now = xmaps
        self._lay = lay
        dataaxes = {}
        for pane in panes:
            ax = axes[(pane.kind, id(pane.obj))]
            if pane.kind == 'obj':
                self._draw_object(ax, pane.obj, own=True)
            elif pane.kind == 'data':
                volax = axes.get(('volume', id(pane.obj)))
                dataaxes[id(pane.obj)] = self._draw_data(ax, pane.obj, volax)
        # datas drawn on another data's axis (plotmaster)
        for data in lay.datas:
            master = data.plotinfo.plotmaster
            if master is not None and master is not data and id(master) in dataaxes:
                max_ = dataaxes[id(master)]
                ax = max_ if getattr(data.plotinfo, 'sameaxis', False) else max_.twinx()
                self._draw_data(ax, data, None, color=self._colors.next(max_))

        dts = num2datetime64(clock[lo:hi])
        locator = BarDateLocator(dts)
        bottom = list(axes.values())[-1]
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(BarDateFormatter(dts, sch.fmt_x_ticks, locator))
        tf = min(((d._timeframe, d._compression) for d in strategy.datas),
                 default=(TimeFrame.Days, 1))[0]
        readout = BarDateFormatter(dts, sch.fmt_x_data or data_format(tf))
        for ax in axes.values():
            ax.fmt_xdata = readout
            if ax is not bottom:
                ax.tick_params(labelbottom=False)
        for label in bottom.get_xticklabels():
            label.set_rotation(sch.tickrotation)
            label.set_horizontalalignment('right')
        bottom.set_xlim(-0.5, (hi - lo) - 0.5)
        centres = []  # the limits are final: stack the value tags apart
        for ax in fig.axes:
            centres += place_value_tags(ax)
        blank_ticks_under_tags(fig, centres, sch)

    def _slice(self, obj) -> tuple[np.ndarray, slice]:
        """Clock positions (relative to the figure) and array slice of ``obj``."""
        lo, hi = self._span
        tl = getattr(obj._tl, 'leader', obj._tl)  # observers follow a clock's timeline
        xm = self._xmaps_now.get(id(tl))
        if xm is None:  # an object on an unknown timeline: assume the first data's
            xm = next(iter(self._xmaps_now.values()))
        i0, i1 = np.searchsorted(xm, lo), np.searchsorted(xm, hi)
        return xm[i0:i1] - lo, slice(i0, i1)

    def _draw_object(self, ax, obj, own: bool) -> None:
        x, sl = self._slice(obj)
        draw_lines(ax, obj, x, sl, self.scheme, self._colors, on_master=not own)
        for sub in self._lay.over[obj]:
            self._draw_object(ax, sub, own=False)
        if own:
            finish_pane(ax, obj, self.scheme)

    def _draw_data(self, ax, data, volax, color=None):
        sch = self.scheme
        x, sl = self._slice(data)
        lines = data.lines
        o, h, lo, c, v = (_values(ln, sl) for ln in
                         (lines.open, lines.high, lines.low, lines.close, lines.volume))
        label = getattr(data, '_name', '') or ''
        tf, comp = getattr(data, '_timeframe', None), getattr(data, '_compression', None)
        if tf is not None and comp is not None:
            label += f' ({comp} {TimeFrame.getname(tf, comp)})'
        last = len(c) - 1
        # bars of a longer timeframe are spread over several clock positions
        width = 0.8 * (float(np.median(np.diff(x))) if len(x) > 1 else 1.0)
        overlay = volax is None and sch.volume and sch.voloverlay and color is None
        volhandle = None
        vmax = float(np.nanmax(v)) if len(v) and np.isfinite(v).any() else 0.0
        if overlay and vmax > 0:
            axv = ax.twinx()
            volhandle = finance.draw_volume(axv, x, o, c, v, sch.volup, sch.voldown,
                                            width=width, alpha=sch.voltrans, label='Volume')
            axv.set_ylim(0, vmax / sch.volscaling)
            axv.set_yticks([])
            ax.set_zorder(axv.get_zorder() + 1)  # prices over the volume
            ax.patch.set_visible(False)
        style = sch.style
        linevalues = sch.linevalues and getattr(data.plotinfo, 'plotlinevalues', True)
        if style == 'line':
            if linevalues and last >= 0:
                label += f' C:{c[last]:.2f}'
            handle = finance.draw_close(ax, x, c, color=color or sch.loc, label=label)
        else:
            if linevalues and last >= 0:
                label += (f' O:{o[last]:.2f} H:{h[last]:.2f} L:{lo[last]:.2f} '
                          f'C:{c[last]:.2f}')
            if style.startswith('candle'):
                handle = finance.draw_candles(ax, x, o, h, lo, c, sch.barup, sch.bardown,
                                              width=width, alpha=sch.baralpha, fillup=sch.barupfill,
                                              filldown=sch.bardownfill, label=label)
            else:
                handle = finance.draw_ohlc_bars(ax, x, o, h, lo, c, sch.barup, sch.bardown,
                                                width=width, alpha=sch.baralpha, label=label)
        if sch.valuetags and getattr(data.plotinfo, 'plotvaluetags', True) and last >= 0 \
                and not math.isnan(c[last]):
            value_tag(ax, x[-1] + 1, c[last], sch.loc, sch)
        ax.yaxis.set_major_locator(MaxNLocator(prune='both'))
        if getattr(data.plotinfo, 'plotylimited', True):
            ax.set_ylim(ax.get_ylim())  # overlaid indicators do not widen the prices' range
        if overlay and sch.volpushup:
            bot, top = ax.get_ylim()
            ax.set_ylim(bot * (1.0 - sch.volpushup), top)
        if volax is not None and vmax > 0:
            name = getattr(data, '_name', '')
            volhandle = finance.draw_volume(volax, x, o, c, v, sch.volup, sch.voldown,
                                            width=width, label=f'Volume ({name})')
            volax.set_ylim(0, vmax * 1.05)
            volax.yaxis.set_major_locator(MaxNLocator(nbins=4, prune='both'))
            volax.yaxis.set_major_formatter(FuncFormatter(_volume_label))
            legend(volax, [volhandle], [volhandle.get_label()], sch.legendindloc, sch)
        for obj in self._lay.over[data]:
            self._draw_object(ax, obj, own=False)
        if getattr(data.plotinfo, 'plotlog', False):
            ax.set_yscale('log')
        handles, labels = ax.get_legend_handles_labels()
        pairs = [(hd, lb) for hd, lb in zip(handles, labels) if hd is not handle]
        handles = [handle] + [hd for hd, _ in pairs]
        labels = [handle.get_label()] + [lb for _, lb in pairs]
        if volhandle is not None and volax is None:
            handles.insert(1, volhandle)
            labels.insert(1, 'Volume')
        loc = getattr(data.plotinfo, 'legendloc', None) or sch.legenddataloc
        legend(ax, handles, labels, loc, sch)
        return ax


def _volume_label(v, pos=None) -> str:
    for div, suffix in ((1e9, 'G'), (1e6, 'M'), (1e3, 'K')):
        if abs(v) >= div:
            return f'{v / div:.0f}{suffix}'
    return f'{v:.0f}'


#: backtrader's name of the same class
Plot_OldSync = Plot
