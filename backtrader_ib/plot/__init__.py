"""Charts of a finished run with matplotlib, headless-safe.

This is the compact plot behind ``cerebro.plot()``: prices with overlaid
indicators and buy/sell markers, one panel per sub-plotted indicator, and the
observers (cash/value, trades). Saving to a file never needs a display.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ('plot_cerebro', 'plot_strategy', 'num2datetime64')

_EPOCH = 719163.0  # day number of 1970-01-01


def num2datetime64(nums: np.ndarray) -> np.ndarray:
    """Day numbers to ``datetime64[us]`` (vectorised ``num2date``)."""
    us = np.round((np.asarray(nums, dtype=float) - _EPOCH) * 86400e6)
    return np.datetime64('1970-01-01', 'us') + us.astype('timedelta64[us]')


def _visible(obj) -> bool:
    info = obj.plotinfo
    return bool(info.plot) and not getattr(info, 'plotskip', False)


def _label(obj) -> str:
    try:
        return obj._plotlabel()
    except Exception:  # a label is never worth failing a chart
        return type(obj).__name__


def _draw_lines(ax, x, obj) -> None:
    n = len(x)
    for i, line in enumerate(obj.lines):
        name = obj.lines._getlinealias(i)
        style = dict(getattr(obj.plotlines, name, None) or {})
        if style.get('_plotskip'):
            continue
        label = style.pop('_name', None) or (_label(obj) if obj.size() == 1 else name)
        style = {k: v for k, v in style.items() if not k.startswith('_')}
        y = line.array[-n:] if len(line.array) >= n else line.array
        ax.plot(x[-len(y):], y, label=f'{label}', **style)


def plot_strategy(strat: Any, width: float = 16, height: float = 9, dpi: int = 100,
                  start=None, end=None, savefig: str | None = None,
                  show: bool = False, **kwargs):
    """Draw ``strat``'s data, indicators and observers; return the Figure."""
    from matplotlib.figure import Figure

    data = strat.datas[0]
    x = num2datetime64(data.lines.datetime.array)
    overlays, panels = [], []
    for ind in strat.getindicators_lines():
        if not _visible(ind):
            continue
        (panels if ind.plotinfo.subplot else overlays).append(ind)
    buysell = []
    for obs in strat.getobservers():
        if not _visible(obs):
            continue
        if obs.plotinfo.subplot:
            panels.append(obs)
        else:
            buysell.append(obs)

    nrows = 1 + len(panels)
    ratios = [3] + [1] * len(panels)
    if show:
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=(width, height), dpi=dpi)
    else:
        fig = Figure(figsize=(width, height), dpi=dpi)
    axes = fig.subplots(nrows, 1, sharex=True, gridspec_kw=dict(height_ratios=ratios),
                        squeeze=False)[:, 0]

    ax = axes[0]
    ax.plot(x, data.lines.close.array, color='black', lw=0.8,
            label=data._name or 'close')
    for ind in overlays:
        _draw_lines(ax, x, ind)
    for obs in buysell:
        buys = obs.lines.buy.array
        sells = obs.lines.sell.array
        n = min(len(x), len(buys))
        ax.plot(x[:n], buys[:n], ls='', marker='^', color='green', markersize=7, label='buy')
        ax.plot(x[:n], sells[:n], ls='', marker='v', color='red', markersize=7, label='sell')
    ax.set_title(type(strat).__name__)
    ax.legend(loc='upper left', fontsize='small')
    ax.grid(alpha=0.3)

    for axp, obj in zip(axes[1:], panels):
        xs = x
        if obj._tl is strat._tl:  # strategy-clocked observers
            xs = num2datetime64(strat.lines.datetime.array)
        _draw_lines(axp, xs, obj)
        for h in (obj.plotinfo.plothlines or obj.plotinfo.plotyhlines or []):
            axp.axhline(h, color='grey', lw=0.6, ls='--')
        axp.set_ylabel(_label(obj), fontsize='small')
        axp.legend(loc='upper left', fontsize='small')
        axp.grid(alpha=0.3)

    fig.tight_layout()
    if savefig:
        fig.savefig(savefig)
    if show:
        import matplotlib.pyplot as plt
        plt.show()
    return fig


def plot_cerebro(cerebro: Any, plotter=None, numfigs: int = 1, iplot: bool = True,
                 start=None, end=None, width: float = 16, height: float = 9,
                 dpi: int = 300, tight: bool = True, use=None,
                 savefig: str | None = None, **kwargs) -> list:
    """``cerebro.plot()``: a list of figures per strategy of the last run."""
    if cerebro._exactbars > 0:
        return []
    figs = []
    for stratlist in cerebro.runstrats:
        for strat in stratlist:
            figs.append([plot_strategy(strat, width=width, height=height,
                                       dpi=dpi, start=start, end=end,
                                       savefig=savefig, show=iplot and savefig is None,
                                       **kwargs)])
    return figs
