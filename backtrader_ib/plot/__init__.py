"""Charts of a finished run: matplotlib figures and an interactive HTML report.

``cerebro.plot()`` draws each strategy with :class:`Plot` (backtrader's
layout and options, see :class:`PlotScheme`). Saving to a file uses plain
``matplotlib.figure.Figure`` objects and never needs a display; showing uses
pyplot only when the active backend can show anything, inline in Jupyter.
The user's matplotlib backend is never changed (except by ``use=``).

:func:`report` writes one self-contained HTML file (needs the ``[plot]``
extra, Bokeh).
"""
from __future__ import annotations

import io
import os
import sys
from typing import Any

from . import finance, formatters, locator, multicursor, plot, scheme, utils  # noqa: F401
from .plotter import Plot, Plot_OldSync, bar_range
from .report import opt_heatmap, report
from .scheme import PlotScheme
from .timeaxis import num2datetime64

__all__ = ('Plot', 'Plot_OldSync', 'PlotScheme', 'plot_cerebro', 'plot_strategy',
           'report', 'opt_heatmap', 'num2datetime64', 'bar_range')

_NON_INTERACTIVE = {'agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg', 'template'}
_SCREEN_DPI = 100  # figures are built at this dpi; ``dpi`` applies to saving


def _can_show() -> bool:
    """Whether the active backend (the user's, or matplotlib's pick) can show."""
    import matplotlib
    return matplotlib.get_backend().lower() not in _NON_INTERACTIVE


def _in_jupyter() -> bool:
    return 'ipykernel' in sys.modules


def _notebook_widgets() -> bool:
    import matplotlib
    backend = matplotlib.get_backend().lower()
    return 'ipympl' in backend or backend in ('nbagg', 'widget', 'ipympl')


def _display_inline(figs: list, dpi: int, tight: bool) -> None:

    from IPython.display import Image, display
    for fig in figs:
        buf = io.BytesIO()
        fig.savefig(buf, format='png', dpi=dpi, bbox_inches='tight' if tight else None)
        display(Image(data=buf.getvalue(), format='png'))


def _numbered(filename: str, k: int, total: int) -> str:
    if total == 1:
        return filename
    root, ext = os.path.splitext(filename)
    return f'{root}_{k + 1}{ext}'


def plot_cerebro(cerebro: Any, plotter: Plot | None = None, numfigs: int = 1,
                 iplot: bool = True, start=None, end=None, width: float = 16,
                 height: float = 9, dpi: int = 300, tight: bool = True, use: str | None = None,
                 savefig: str | None = None, **kwargs: Any) -> list:
    """``cerebro.plot()``: per strategy of the last run, its list of figures.

    ``savefig`` writes the figures to that file (format from the extension;
    ``name_2.png`` ... when there are several) instead of showing them.
    Keyword arguments are :class:`PlotScheme` options (``style='candle'`` ...).
    """
    if cerebro._exactbars > 0:
        return []  # as backtrader: with bars dropped there is nothing to draw
    if use:
        import matplotlib
        matplotlib.use(use)  # the caller asked for this backend
    if plotter is None:
        plotter = Plot(**kwargs)
    elif kwargs:
        plotter.scheme.update(**kwargs)
    # in Jupyter with the (default) inline backend: PNG images shown inline;
    # with an interactive notebook backend (ipympl, nbagg): pyplot as usual
    jupyter = iplot and _in_jupyter() and not _notebook_widgets()
    pyplot = savefig is None and not jupyter and _can_show()
    figs = []
    for i, stratlist in enumerate(cerebro.runstrats):
        for strat in stratlist:
            if not hasattr(strat, 'datas'):  # optimisation results carry no lines
                continue
            figs.append(plotter.plot(strat, figid=i * 100, numfigs=numfigs, iplot=iplot,
                                     start=start, end=end, width=width, height=height,
                                     dpi=_SCREEN_DPI, use_pyplot=pyplot))
    flat = [fig for group in figs for fig in group]
    if savefig:
        for k, fig in enumerate(flat):
            plotter.savefig(fig, _numbered(savefig, k, len(flat)), width=width,
                            height=height, dpi=dpi, tight=tight)
    elif jupyter:
        _display_inline(flat, dpi=min(dpi, 100), tight=tight)
    elif pyplot and flat:
        plotter.show()
    return figs


def plot_strategy(strat: Any, width: float = 16, height: float = 9, dpi: int = 100,
                  start=None, end=None, savefig: str | None = None,
                  show: bool = False, **kwargs: Any):
    """Draw one strategy on one figure, optionally save and show it; return it."""
    plotter = Plot(**kwargs)
    figs = plotter.plot(strat, start=start, end=end, width=width, height=height,
                        dpi=_SCREEN_DPI, use_pyplot=show)
    if not figs:
        return None
    if savefig:
        plotter.savefig(figs[0], savefig, width=width, height=height, dpi=dpi)
    if show:
        plotter.show()
    return figs[0]
