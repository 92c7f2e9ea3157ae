"""Price and volume drawing: close line, OHLC bars, candlesticks, volume bars.

Each function draws all bars as one matplotlib collection (fast for long
runs) and returns an artist that can stand for the series in a legend.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

__all__ = ('draw_close', 'draw_ohlc_bars', 'draw_candles', 'draw_volume')


def _updown(opens, closes, up, down, alpha=1.0):
    colors = np.empty((len(opens), 4))
    colors[:] = to_rgba(up, alpha)
    colors[closes < opens] = to_rgba(down, alpha)
    return colors


def draw_close(ax, x, closes, color='black', label='', lw=1.0):
    """The close as a line."""
    return ax.plot(x, closes, color=color, lw=lw, label=label)[0]


def draw_ohlc_bars(ax, x, opens, highs, lows, closes, colorup='k', colordown='r',
                   width=0.8, alpha=1.0, label=''):
    """OHLC bars: a high-low stroke, the open tick left and the close tick right."""
    ok = np.isfinite(opens) & np.isfinite(closes) & np.isfinite(highs) & np.isfinite(lows)
    x, o, h, lo, c = (np.asarray(a, float)[ok] for a in (x, opens, highs, lows, closes))
    half = width / 2
    segs = np.concatenate([
        np.stack([np.stack([x, lo], 1), np.stack([x, h], 1)], 1),
        np.stack([np.stack([x - half, o], 1), np.stack([x, o], 1)], 1),
        np.stack([np.stack([x, c], 1), np.stack([x + half, c], 1)], 1)])
    colors = np.tile(_updown(o, c, colorup, colordown, alpha), (3, 1))
    ax.add_collection(LineCollection(segs, colors=colors, linewidths=0.8), autolim=True)
    ax.autoscale_view()
    return Line2D([], [], color=colorup, label=label)


def draw_candles(ax, x, opens, highs, lows, closes, colorup='k', colordown='r',
                 width=0.8, alpha=1.0, fillup=True, filldown=True, label=''):
    """Candlesticks: a body from open to close, wicks to high and low."""
    ok = np.isfinite(opens) & np.isfinite(closes) & np.isfinite(highs) & np.isfinite(lows)
    x, o, h, lo, c = (np.asarray(a, float)[ok] for a in (x, opens, highs, lows, closes))
    edge = _updown(o, c, colorup, colordown, alpha)
    face = edge.copy()
    up = c >= o
    if not fillup:
        face[up, 3] = 0.0
    if not filldown:
        face[~up, 3] = 0.0
    bottom, top = np.minimum(o, c), np.maximum(o, c)
    wicks = np.concatenate([
        np.stack([np.stack([x, lo], 1), np.stack([x, bottom], 1)], 1),
        np.stack([np.stack([x, top], 1), np.stack([x, h], 1)], 1)])
    ax.add_collection(LineCollection(wicks, colors=np.tile(edge, (2, 1)),
                                     linewidths=0.6), autolim=True)
    half = width / 2
    bodies = np.stack([np.stack([x - half, bottom], 1), np.stack([x - half, top], 1),
                       np.stack([x + half, top], 1), np.stack([x + half, bottom], 1)], 1)
    ax.add_collection(PolyCollection(bodies, facecolors=face, edgecolors=edge,
                                     linewidths=0.5), autolim=True)
    ax.autoscale_view()
    return Patch(facecolor=to_rgba(colorup, alpha), edgecolor=colorup, label=label)


def draw_volume(ax, x, opens, closes, volumes, colorup='#aaaaaa', colordown='#cc6073',
                width=0.8, alpha=1.0, label='Volume'):
    """Volume bars, coloured by the bar's direction."""
    v = np.nan_to_num(np.asarray(volumes, float))
    colors = _updown(np.asarray(opens, float), np.asarray(closes, float),
                     colorup, colordown, alpha)
    half = width / 2
    x = np.asarray(x, float)
    zero = np.zeros_like(v)
    rects = np.stack([np.stack([x - half, zero], 1), np.stack([x - half, v], 1),
                      np.stack([x + half, v], 1), np.stack([x + half, zero], 1)], 1)
    ax.add_collection(PolyCollection(rects, facecolors=colors, edgecolors='none'),
                      autolim=True)
    ax.autoscale_view()
    return Patch(facecolor=to_rgba(colorup, alpha), label=label)


# -- backtrader's handler classes and plot_* functions ------------------------------------
# Each handler draws its series as collections on ``ax`` (kept as attributes,
# returned by the plot_* function) and draws a small sample of itself in a
# legend (matplotlib calls ``legend_artist`` for its collection).

from matplotlib.legend import Legend  # noqa: E402

from .utils import shade_color  # noqa: E402


def _edges(color, edge, shading):
    return to_rgba(edge) if edge is not None else to_rgba(shade_color(color, shading))


class _Dispatch:
    """Legend handler of the handled artist types: asks the artist's own handler."""

    def legend_artist(self, legend, orig_handle, fontsize, handlebox):
        return orig_handle._bthandler.legend_artist(legend, orig_handle, fontsize, handlebox)


_HANDLED: dict = {}


def _register(handler, artist) -> None:
    # matplotlib maps legend handlers by artist or by type: a by-artist entry
    # in its global map would keep every chart alive, so the artist gets a
    # subclass (registered once) whose handler reads ``_bthandler``
    base = type(artist)
    if base not in _HANDLED:
        _HANDLED[base] = type('Handled' + base.__name__, (base,), {})
        Legend.update_default_handler_map({_HANDLED[base]: _Dispatch()})
    artist.__class__ = _HANDLED[base]
    artist._bthandler = handler


class CandlestickPlotHandler:
    """Candlesticks: ``barcol`` (bodies) and ``tickcol`` (wicks)."""

    def __init__(self, ax, x, opens, highs, lows, closes, colorup='k', colordown='r',
                 edgeup=None, edgedown=None, tickup=None, tickdown=None, width=1,
                 tickwidth=1, edgeadjust=0.05, edgeshading=-10, alpha=1.0,
                 label='_nolegend', fillup=True, filldown=True, **kwargs):
        self.colorup, self.colordown = to_rgba(colorup, alpha), to_rgba(colordown, alpha)
        self.edgeup = _edges(colorup, edgeup, edgeshading)
        self.edgedown = _edges(colordown, edgedown, edgeshading)
        self.tickup = to_rgba(tickup) if tickup is not None else self.edgeup
        self.tickdown = to_rgba(tickdown) if tickdown is not None else self.edgedown
        self.fillup, self.filldown = fillup, filldown
        self.barcol, self.tickcol = self.barcollection(
            x, opens, highs, lows, closes, width, tickwidth, edgeadjust, label=label,
            **kwargs)
        ax.add_collection(self.tickcol, autolim=True)
        ax.add_collection(self.barcol, autolim=True)
        ax.autoscale_view()
        _register(self, self.barcol)

    def legend_artist(self, legend, orig_handle, fontsize, handlebox):
        w, h = handlebox.width / 4, handlebox.height
        o, hi, lo, c = [h * .2, h * .6], [h, h * .8], [0, 0], [h * .8, h * .3]
        barcol, tickcol = self.barcollection([w, 3 * w], o, hi, lo, c, w * .8, 1, 0,
                                             transform=handlebox.get_transform())
        handlebox.add_artist(tickcol)
        handlebox.add_artist(barcol)
        return barcol

    def barcollection(self, x, opens, highs, lows, closes, width, tickwidth=1,
                      edgeadjust=0, label='_nolegend', **kwargs):
        x, o, h, lo, c = (np.asarray(a, float) for a in (x, opens, highs, lows, closes))
        ok = np.isfinite(o) & np.isfinite(c) & np.isfinite(h) & np.isfinite(lo)
        x, o, h, lo, c = x[ok], o[ok], h[ok], lo[ok], c[ok]
        up = c >= o
        half = width / 2 - edgeadjust
        bottom, top = np.minimum(o, c), np.maximum(o, c)
        bodies = np.stack([np.stack([x - half, bottom], 1), np.stack([x - half, top], 1),
                           np.stack([x + half, top], 1), np.stack([x + half, bottom], 1)], 1)
        face = np.where(up[:, None], self.colorup, self.colordown)
        face[up & (not self.fillup)] = 0.0
        face[~up & (not self.filldown)] = 0.0
        edge = np.where(up[:, None], self.edgeup, self.edgedown)
        barcol = PolyCollection(bodies, facecolors=face, edgecolors=edge, linewidths=0.5,
                                label=label, **kwargs)
        wicks = np.concatenate([
            np.stack([np.stack([x, lo], 1), np.stack([x, bottom], 1)], 1),
            np.stack([np.stack([x, top], 1), np.stack([x, h], 1)], 1)])
        ticks = np.tile(np.where(up[:, None], self.tickup, self.tickdown), (2, 1))
        tickcol = LineCollection(wicks, colors=ticks, linewidths=tickwidth, **kwargs)
        return barcol, tickcol


def plot_candlestick(ax, x, opens, highs, lows, closes, colorup='k', colordown='r',
                     edgeup=None, edgedown=None, tickup=None, tickdown=None, width=1,
                     tickwidth=1.25, edgeadjust=0.05, edgeshading=-10, alpha=1.0,
                     label='_nolegend', fillup=True, filldown=True, **kwargs):
    """Candlesticks on ``ax``; returns (bodies, wicks) collections."""
    h = CandlestickPlotHandler(ax, x, opens, highs, lows, closes, colorup, colordown, edgeup,
                               edgedown, tickup, tickdown, width, tickwidth, edgeadjust,
                               edgeshading, alpha, label, fillup, filldown, **kwargs)
    return h.barcol, h.tickcol


class VolumePlotHandler:
    """Volume bars coloured by the bar's direction: ``barcol``."""

    def __init__(self, ax, x, opens, closes, volumes, colorup='k', colordown='r',
                 edgeup=None, edgedown=None, edgeshading=-5, edgeadjust=0.05, width=1,
                 alpha=1.0, **kwargs):
        self.colorup, self.colordown = to_rgba(colorup, alpha), to_rgba(colordown, alpha)
        self.edgeup = _edges(colorup, edgeup, edgeshading)
        self.edgedown = _edges(colordown, edgedown, edgeshading)
        self.barcol = self.barcollection(x, opens, closes, volumes, width, edgeadjust,
                                         **kwargs)
        ax.add_collection(self.barcol, autolim=True)
        ax.autoscale_view()
        _register(self, self.barcol)

    def legend_artist(self, legend, orig_handle, fontsize, handlebox):
        w, h = handlebox.width / 4, handlebox.height
        barcol = self.barcollection([w, 3 * w], [0, 1], [1, 0], [h * .5, h], w * .8, 0,
                                    transform=handlebox.get_transform())
        handlebox.add_artist(barcol)
        return barcol

    def barcollection(self, x, opens, closes, vols, width, edgeadjust=0, vscaling=1.0,
                      vbot=0, **kwargs):
        x = np.asarray(x, float)
        v = np.nan_to_num(np.asarray(vols, float)) * vscaling + vbot
        up = np.asarray(closes, float) >= np.asarray(opens, float)
        half = width / 2 - edgeadjust
        bot = np.full_like(v, vbot, dtype=float)
        rects = np.stack([np.stack([x - half, bot], 1), np.stack([x - half, v], 1),
                          np.stack([x + half, v], 1), np.stack([x + half, bot], 1)], 1)
        return PolyCollection(rects, facecolors=np.where(up[:, None], self.colorup,
                                                         self.colordown),
                              edgecolors=np.where(up[:, None], self.edgeup, self.edgedown),
                              linewidths=0.5, **kwargs)


def plot_volume(ax, x, opens, closes, volumes, colorup='k', colordown='r', edgeup=None,
                edgedown=None, edgeshading=-5, edgeadjust=0.05, width=1, alpha=1.0,
                **kwargs):
    """Volume bars on ``ax``; returns (bars,)."""
    h = VolumePlotHandler(ax, x, opens, closes, volumes, colorup, colordown, edgeup,
                          edgedown, edgeshading, edgeadjust, width, alpha, **kwargs)
    return h.barcol,


class OHLCPlotHandler:
    """OHLC bars: ``barcol`` (high-low), ``opencol`` and ``closecol`` (ticks)."""

    def __init__(self, ax, x, opens, highs, lows, closes, colorup='k', colordown='r',
                 width=1, tickwidth=0.5, alpha=1.0, label='_nolegend', **kwargs):
        self.colorup, self.colordown = to_rgba(colorup, alpha), to_rgba(colordown, alpha)
        self.barcol, self.opencol, self.closecol = self.barcollection(
            x, opens, highs, lows, closes, width, tickwidth, label=label, **kwargs)
        for col in (self.barcol, self.opencol, self.closecol):
            ax.add_collection(col, autolim=True)
        ax.autoscale_view()
        _register(self, self.barcol)

    def legend_artist(self, legend, orig_handle, fontsize, handlebox):
        w, h = handlebox.width / 4, handlebox.height
        cols = self.barcollection([w, 3 * w], [h * .2, h * .6], [h, h * .8], [0, 0],
                                  [h * .8, h * .3], 1, w / 2,
                                  transform=handlebox.get_transform())
        for col in cols:
            handlebox.add_artist(col)
        return cols[0]

    def barcollection(self, x, opens, highs, lows, closes, width, tickwidth,
                      label='_nolegend', scaling=1.0, bot=0, **kwargs):
        x, o, h, lo, c = (np.asarray(a, float) for a in (x, opens, highs, lows, closes))
        ok = np.isfinite(o) & np.isfinite(c) & np.isfinite(h) & np.isfinite(lo)
        x, o, h, lo, c = x[ok], o[ok] * scaling + bot, h[ok] * scaling + bot, \
            lo[ok] * scaling + bot, c[ok] * scaling + bot
        colors = np.where((c >= o)[:, None], self.colorup, self.colordown)
        ranges = np.stack([np.stack([x, lo], 1), np.stack([x, h], 1)], 1)
        opens_ = np.stack([np.stack([x - tickwidth, o], 1), np.stack([x, o], 1)], 1)
        closes_ = np.stack([np.stack([x, c], 1), np.stack([x + tickwidth, c], 1)], 1)
        return tuple(LineCollection(segs, colors=colors, linewidths=width,
                                    label=label if k == 0 else '_nolegend', **kwargs)
                     for k, segs in enumerate((ranges, opens_, closes_)))


def plot_ohlc(ax, x, opens, highs, lows, closes, colorup='k', colordown='r', width=1.5,
              tickwidth=0.5, alpha=1.0, label='_nolegend', **kwargs):
    """OHLC bars on ``ax``; returns (ranges, open ticks, close ticks)."""
    h = OHLCPlotHandler(ax, x, opens, highs, lows, closes, colorup, colordown, width,
                        tickwidth, alpha, label, **kwargs)
    return h.barcol, h.opencol, h.closecol


class LineOnClosePlotHandler:
    """The close as a line: ``loc``."""

    def __init__(self, ax, x, closes, color='k', width=1, alpha=1.0, label='_nolegend',
                 **kwargs):
        self.color = to_rgba(color, alpha)
        self.loc, = self.barcollection(x, closes, width, label=label, **kwargs)
        ax.add_line(self.loc)
        ax.autoscale_view()
        _register(self, self.loc)

    def legend_artist(self, legend, orig_handle, fontsize, handlebox):
        w, h = handlebox.width, handlebox.height
        line, = self.barcollection([0, w / 3, w * 2 / 3, w], [0, h * .7, h * .3, h], 1,
                                   transform=handlebox.get_transform())
        handlebox.add_artist(line)
        return line

    def barcollection(self, x, closes, width, label='_nolegend', **kwargs):
        return Line2D(np.asarray(x, float), np.asarray(closes, float), color=self.color,
                      lw=width, label=label, **kwargs),


def plot_lineonclose(ax, x, closes, color='k', width=1.5, alpha=1.0, label='_nolegend',
                     **kwargs):
    """The close as a line on ``ax``; returns (line,)."""
    h = LineOnClosePlotHandler(ax, x, closes, color, width, alpha, label, **kwargs)
    return h.loc,
