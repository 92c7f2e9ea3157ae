"""Heatmap of an optimisation: a metric over two strategy parameters."""
from __future__ import annotations

import html
import math
from typing import Any, Callable

__all__ = ('grid_of', 'write_opt_heatmap')


def _flatten(results: Any) -> list:
    out = []
    for item in results:
        if isinstance(item, (list, tuple)):
            out.extend(item)
        else:
            out.append(item)
    return out


def grid_of(results: Any, xparam: str, yparam: str,
            metric: Callable[[Any], float]) -> tuple[list, list, dict]:
    """Sorted x values, sorted y values and ``{(x, y): metric}``.

    A parameter missing from a result, or two results on the same cell, is
    an error naming the parameter values (other parameters must be fixed).
    """
    runs = _flatten(results)
    if not runs:
        raise ValueError('opt_heatmap: no results')
    cells: dict = {}
    for r in runs:
        params = getattr(r, 'params', None) or getattr(r, 'p', None)
        vals = []
        for name in (xparam, yparam):
            if not hasattr(params, name):
                have = ', '.join(getattr(params, '_getkeys', lambda: [])())
                raise KeyError(f'opt_heatmap: results have no parameter {name!r} '
                               f'(parameters: {have})')
            vals.append(getattr(params, name))
        key = tuple(vals)
        if key in cells:
            raise ValueError(f'opt_heatmap: two results with {xparam}={key[0]!r}, '
                             f'{yparam}={key[1]!r}: fix the other parameters or '
                             f'aggregate the results first')
        cells[key] = float(metric(r))
    xs = sorted({k[0] for k in cells})
    ys = sorted({k[1] for k in cells})
    return xs, ys, cells


def _short(v: float) -> str:
    if not math.isfinite(v):
        return str(v)
    return f'{v:,.0f}' if abs(v) >= 1000 else f'{v:.3g}'


def write_opt_heatmap(results: Any, xparam: str, yparam: str,
                      metric: Callable[[Any], float], filename: str,
                      title: str | None = None, metric_name: str = 'metric') -> str:
    from bokeh.embed import file_html
    from bokeh.models import ColorBar, ColumnDataSource, LinearColorMapper
    from bokeh.plotting import figure
    from bokeh.resources import INLINE
    xs, ys, cells = grid_of(results, xparam, yparam, metric)
    finite = [v for v in cells.values() if math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    src = ColumnDataSource(dict(
        x=[str(k[0]) for k in cells], y=[str(k[1]) for k in cells],
        value=list(cells.values()), label=[_short(v) for v in cells.values()]))
    mapper = LinearColorMapper(palette='Viridis256', low=lo, high=hi if hi > lo else lo + 1)
    name = title or f'{metric_name} by {xparam} and {yparam}'
    fig = figure(name='optheatmap', title=name, x_range=[str(x) for x in xs],
                 y_range=[str(y) for y in ys], width=min(1200, 200 + 80 * len(xs)),
                 height=min(900, 120 + 50 * len(ys)), tools='save,hover',
                 tooltips=[(xparam, '@x'), (yparam, '@y'), (metric_name, '@value')])
    fig.rect('x', 'y', 1, 1, source=src, line_color='white',
             fill_color={'field': 'value', 'transform': mapper})
    if len(cells) <= 400:
        fig.text('x', 'y', text='label', source=src, text_align='center',
                 text_baseline='middle', text_font_size='8pt', text_color='white')
    fig.add_layout(ColorBar(color_mapper=mapper, title=metric_name), 'right')
    fig.xaxis.axis_label = xparam
    fig.yaxis.axis_label = yparam
    with open(filename, 'w', encoding='utf-8') as fh:
        fh.write(file_html(fig, resources=INLINE, title=html.escape(name)))
    return filename
