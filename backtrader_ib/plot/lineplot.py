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
import weakref
from typing import Any

import numpy as np
from matplotlib.ticker import Formatter, MaxNLocator

from ..metabase import info_values

__all__ = ('line_style', 'draw_lines', 'finish_pane', 'label_of', 'value_tag',
           'place_value_tags', 'blank_ticks_under_tags', 'legend_frame', 'legend')


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
        if entry is not None:
            values = info_values(entry)
            if values:
                return values
    return {}


#: the value tags of each axes, placed by :func:`place_value_tags` once the
#: limits are final (tags are stacked so they do not cover each other)
_TAGS: 'weakref.WeakKeyDictionary[Any, list]' = weakref.WeakKeyDictionary()


def value_tag(ax, x: float, y: float, edgecolor, scheme) -> None:
    """A small box with the last value at the right edge of the pane (drawn later)."""
    _TAGS.setdefault(ax, []).append((x, y, edgecolor, scheme))


def _spread(wants: list[float], height: float, top: float) -> list[float]:
    """Centres near ``wants`` (sorted, points) at least ``height`` apart, within
    [height/2, top - height/2]: pushed up from the bottom, then down from the top."""
    lo, hi = height / 2, top - height / 2
    out = []
    for w in wants:
        out.append(max(w, lo, out[-1] + height if out else lo))
    for i in range(len(out) - 1, -1, -1):
        out[i] = min(out[i], hi, out[i + 1] - height if i + 1 < len(out) else hi)
    return out


def _tag_height(scheme) -> float:
    # a line of text, the box's padding, the arrow's overhang (measured: 2.1 x size)
    return scheme.subtxtsize * 2.1 + 1.0


def place_value_tags(ax) -> list[float]:
    """Draw ``ax``'s pending value tags: at their values, stacked apart where
    they would overlap, inside the pane's height. Returns their centres as
    fractions of the figure's height (for :func:`blank_ticks_under_tags`)."""
    tags = _TAGS.pop(ax, [])
    if not tags:
        return []
    scheme = tags[0][3]
    fig = ax.figure
    to_pt = 72.0 / fig.dpi
    y0, y1 = (v * to_pt for v in ax.transAxes.transform([(0, 0), (0, 1)])[:, 1])
    height = _tag_height(scheme)
    where = []
    for x, y, color, _ in tags:
        pt = ax.transData.transform((x, y))[1] * to_pt
        where.append((pt if math.isfinite(pt) else y0, x, y, color))
    where.sort(key=lambda t: t[0])
    placed = _spread([w[0] - y0 for w in where], height, y1 - y0)
    for (pt, x, y, color), at in zip(where, placed):
        ax.annotate(f'{y:.2f}', xy=(x, y), xytext=(0, at + y0 - pt), textcoords='offset points',
                    va='center', ha='left', fontsize=scheme.subtxtsize, annotation_clip=False,
                    bbox=dict(boxstyle='larrow,pad=0.2', facecolor=scheme.locbgother,
                              edgecolor=color), zorder=10)
    figh = fig.get_figheight() * 72.0
    return [(at + y0) / figh for at in placed]


class _BlankNear(Formatter):
    """``base``, but '' for the ticks a value tag covers (tags and labels are
    both on the right edge; positions as fractions of the figure's height,
    so saving at another dpi does not move them)."""

    def __init__(self, base: Formatter, ax, centres: list[float], gap_pt: float) -> None:
        self.base, self.ax, self.centres, self.gap_pt = base, ax, centres, gap_pt

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.base.set_axis(axis)

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self.base.set_locs(locs)

    def __call__(self, v, pos=None) -> str:
        fig = self.ax.figure
        y = fig.transFigure.inverted().transform(self.ax.transData.transform((0, v)))[1]
        gap = self.gap_pt / (fig.get_figheight() * 72.0)
        if any(abs(y - c) < gap for c in self.centres):
            return ''
        return self.base(v, pos)


def blank_ticks_under_tags(fig, centres: list[float], scheme) -> None:
    """Blank the y tick labels (of any pane: a tag at a pane's edge reaches the
    next one) that the value tags at ``centres`` would cover."""
    if not centres:
        return
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties
    label = FontProperties(size=rcParams['ytick.labelsize']).get_size_in_points()
    gap = _tag_height(scheme) / 2 + label * 0.6 + 1.0   # half a tag + half a label
    for ax in fig.axes:
        base = ax.yaxis.get_major_formatter()
        if isinstance(base, _BlankNear):
            base = base.base
        ax.yaxis.set_major_formatter(_BlankNear(base, ax, centres, gap))


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
    """A legend box, opaque unless ``legendtrans`` (0..1) says how see-through:
    a see-through box over the lines only washes them out."""
    return dict(frameon=True, framealpha=1.0 - scheme.legendtrans, edgecolor='0.8',
                facecolor='white')


#: above this many points in a pane, 'best' legends go 'upper left' instead
_BEST_MAX = 50_000


def legend(ax, handles: list, labels: list, loc: str, scheme) -> Any:
    """``ax.legend`` with enough columns for it to fit the pane's height (a
    legend taller than a short pane would spill over the pane below)."""
    fs = scheme.subtxtsize
    room = ax.get_position().height * ax.figure.get_figheight() * 72.0 - fs  # points

    def tall(ncol: int) -> float:  # rows of text lines, spacing and padding
        cols = [labels[i::ncol] for i in range(ncol)]
        return max(sum(1.25 * fs * (lb.count('\n') + 1) + 0.5 * fs for lb in col)
                   for col in cols) + 1.5 * fs

    ncol = 1
    while ncol < len(labels) and tall(ncol) > room:
        ncol += 1
    if loc == 'best' and sum(len(ln.get_xdata()) for ln in ax.get_lines()) > _BEST_MAX:
        loc = 'upper left'  # matplotlib's search is slow (and warns) on long runs
    return ax.legend(handles, labels, loc=loc, ncol=ncol, numpoints=1, fontsize=fs,
                     **legend_frame(scheme))


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
            legend(ax, handles, labels, loc, scheme)
