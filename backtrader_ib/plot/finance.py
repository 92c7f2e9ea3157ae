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
