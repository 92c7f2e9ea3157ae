"""Drawing the lines of an indicator or observer, following its plotlines.

Per line (``plotlines.<alias>`` or ``plotlines._<index>``): matplotlib
keywords (color, ls, lw, marker, markersize, fillstyle ...) are passed on;
``_name`` renames it in the legend, ``_plotskip`` hides it, ``_samecolor``
reuses the previous colour, ``_method`` draws with another Axes method
(``bar``, ``scatter`` ...), ``_fill_gt``/``_fill_lt``/``_fill`` shade
against a number or another line, ``_skipnan`` drops NaN points,
``_plotvalue``/``_plotvaluetag`` turn off the value in the label/tag.
"""
from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

__all__ = ('line_style', 'draw_lines', 'finish_pane', 'label_of', 'value_tag', 'legend_frame')


def label_of(obj: Any) -> str:
    """``obj``'s legend name, e.g. ``SMA (30)``."""
    try:
        return obj.plotlabel()
    except Exception:  # a label is never worth failing a chart
        return type(obj).__name__


def line_style(obj: Any, i: int) -> dict:
    """The plotlines entry of line ``i`` (by index first, then by alias)."""
    plotlines = obj.plotlines
    for key in (f'_{i}', obj.lines._getlinealias(i)):
        entry = getattr(plotlines, key, None)
        if entry:
            return dict(entry._getpairs()) if hasattr(entry, '_getpairs') else dict(entry)
    return {}


def value_tag(ax, x: float, y: float, edgecolor, scheme) -> None:
    """A small box with the last value at the right edge of the pane."""
    ax.text(x, y, f'{y:.2f}', va='center', ha='left', fontsize=scheme.subtxtsize,
            bbox=dict(boxstyle='larrow,pad=0.2', facecolor=scheme.locbgother,
                      edgecolor=edgecolor, alpha=0.9), clip_on=False)


class ColorCycle:
    """backtrader's per-axis colour counter."""

    def __init__(self, scheme) -> None:
        self.scheme = scheme
        self.idx: dict = {}

    def next(self, ax) -> str:
        self.idx[ax] = self.idx.get(ax, -1) + 1
        return self.scheme.color(self.idx[ax])

    def current(self, ax) -> str:
        return self.scheme.color(max(self.idx.get(ax, 0), 0))


def draw_lines(ax, obj: Any, x: np.ndarray, sl: slice, scheme, colors: ColorCycle,
               on_master: bool) -> None:
    """Draw every line of ``obj`` at positions ``x`` (values ``array[sl]``)."""
    info = obj.plotinfo
    objlabel = label_of(obj)
    styles = [line_style(obj, i) for i in range(obj.size())]
    # lines drawn with another method (bars ...) do not carry the object's name
    toskip = sum(1 for s in styles if s.get('_method', 'plot') != 'plot'
                 and not s.get('_plotskip', False))
    if toskip >= obj.size():
        toskip = 0
    xend = x[-1] + 1 if len(x) else 0
    for i, style in enumerate(styles):
        if style.get('_plotskip', False):
            continue
        alias = obj.lines._getlinealias(i)
        y = np.asarray(obj.lines[i].array[sl], dtype=float)
        n = min(len(x), len(y))
        xs, y = x[:n], y[:n]
        if on_master and not getattr(info, 'plotlinelabels', False):
            label = objlabel if not toskip else '_nolegend_'
        else:
            label = (objlabel + '\n' if not toskip else '') + (style.get('_name') or alias)
        toskip -= 1
        last = y[-1] if n else math.nan
        if (scheme.linevalues and getattr(info, 'plotlinevalues', True)
                and style.get('_plotvalue', True) and not math.isnan(last)
                and label != '_nolegend_'):
            label += f' {last:.2f}'
        kwargs = {k: v for k, v in style.items() if not k.startswith('_')}
        if kwargs.get('color') is None:
            kwargs['color'] = (colors.current(ax) if style.get('_samecolor', False)
                               else colors.next(ax))
        if style.get('_skipnan', False):
            keep = np.isfinite(y)
            xs, y = xs[keep], y[keep]
        method = getattr(ax, style.get('_method', 'plot'))
        method(xs, y, label=label, **kwargs)
        if (scheme.valuetags and getattr(info, 'plotvaluetags', True)
                and style.get('_plotvaluetag', True) and not math.isnan(last)):
            value_tag(ax, xend, last, kwargs['color'], scheme)
        for suffix, op in (('_gt', operator.gt), ('_lt', operator.lt), ('', None)):
            fill = style.get('_fill' + suffix)
            if not fill:
                continue
            ref, color = fill
            if ref is None:
                continue
            alpha = scheme.fillalpha
            if isinstance(color, (list, tuple)):
                color, alpha = color
            if isinstance(ref, (int, float)):
                y2 = np.full_like(y, float(ref))
            else:  # the name of another line of the same object
                y2 = np.asarray(getattr(obj.lines, ref).array[sl], dtype=float)[:len(y)]
            where = op(y, y2) if op is not None else None
            ax.fill_between(xs, y, y2, where=where, facecolor=color, alpha=alpha,
                            interpolate=True)


def legend_frame(scheme) -> dict:
    """A borderless, see-through legend box (``legendtrans`` sets how much)."""
    return dict(frameon=True, framealpha=1.0 - scheme.legendtrans, edgecolor='none',
                facecolor='white')


def finish_pane(ax, obj: Any, scheme) -> None:
    """Margins, y ticks, horizontal lines and legend of ``obj``'s own pane."""
    info = obj.plotinfo
    margin = max(getattr(info, 'plotymargin', 0.0) or 0.0, scheme.yadjust)
    if margin:
        ax.margins(y=margin)
    yticks = getattr(info, 'plotyticks', None) or getattr(info, 'plotyhlines', None)
    if yticks:
        ax.set_yticks(list(yticks))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, prune='both'))
    hlines = getattr(info, 'plothlines', None) or getattr(info, 'plotyhlines', None) or []
    for h in hlines:
        ax.axhline(h, color=scheme.hlinescolor, ls=scheme.hlinesstyle,
                   lw=scheme.hlineswidth)
    if scheme.legendind and getattr(info, 'plotlegend', True):
        handles, labels = ax.get_legend_handles_labels()
        if labels:
            loc = getattr(info, 'legendloc', None) or scheme.legendindloc
            ax.legend(loc=loc, numpoints=1, fontsize=scheme.subtxtsize,
                      **legend_frame(scheme))
