"""Small drawing helpers of backtrader's plot package: colour shading and the
value-tag box shape."""
from __future__ import annotations

import colorsys

from matplotlib.colors import to_rgb
from matplotlib.path import Path

__all__ = ('shade_color', 'tag_box_style')


def shade_color(color, percent: float) -> tuple:
    """``color`` (any matplotlib colour) with its lightness changed by
    ``percent`` (negative darkens), as an (r, g, b) tuple."""
    h, lum, s = colorsys.rgb_to_hls(*to_rgb(color))
    lum = min(1.0, max(0.0, lum * (1 + float(percent) / 100)))
    return colorsys.hls_to_rgb(h, lum, s)


def tag_box_style(x0, y0, width, height, mutation_size, mutation_aspect=1) -> Path:
    """A box around (x0, y0, width, height), padded by a fifth of
    ``mutation_size``, with a point on its left side (a price tag); usable as
    a matplotlib ``BoxStyle`` callable."""
    pad = mutation_size * 0.2
    left, bottom = x0 - pad, y0 - pad
    right, top = x0 + width + pad, y0 + height + pad
    verts = [(left, bottom), (right, bottom), (right, top), (left, top),
             (left - pad, (bottom + top) / 2), (left, bottom), (left, bottom)]
    codes = [Path.MOVETO] + [Path.LINETO] * 5 + [Path.CLOSEPOLY]
    return Path(verts, codes)
