"""The report page: Bokeh layout of a run, written as one self-contained file."""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...dataseries import TimeFrame
from ..layout import layout_strategy
from ..lineplot import label_of, line_style
from . import metrics
from .downsample import bucket_starts, minmax_indices, ohlc_buckets

__all__ = ('RunData', 'gather', 'build_layout', 'write_report', 'to_ms')

_EPOCH = 719163.0
_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov',
           'Dec')
_PALETTE = ('#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
            '#7f7f7f', '#bcbd22', '#17becf')


def to_ms(daynums) -> np.ndarray:
    """Day numbers to milliseconds since 1970 (Bokeh's datetime axis unit)."""
    return (np.asarray(daynums, dtype=float) - _EPOCH) * 86400000.0


def _datestr(daynums) -> list[str]:
    us = np.round((np.asarray(daynums, dtype=float) - _EPOCH) * 86400e6)
    dt64 = np.datetime64('1970-01-01', 'us') + us.astype('timedelta64[us]')
    return np.datetime_as_string(dt64, unit='s').tolist()


@dataclass
class RunData:
    """What the report shows, taken from a finished strategy."""

    strategy: Any
    name: str
    clock: np.ndarray        # day numbers of the strategy's bars
    value: np.ndarray        # broker value at each bar
    fills: list
    trips: list
    summary: metrics.Summary
    monthly: list


def _strategy_of(run: Any) -> Any:
    if hasattr(run, 'runstrats'):  # a Cerebro
        strats = [s for group in run.runstrats for s in group]
        if not strats:
            raise ValueError('report: the cerebro has not run (call cerebro.run() first)')
        if any(not hasattr(s, 'datas') for s in strats):
            raise ValueError('report: this cerebro ran an optimisation; use '
                             'backtrader_ib.plot.opt_heatmap(results, ...) for it')
        if len(strats) > 1:
            raise ValueError(f'report: the cerebro ran {len(strats)} strategies; pass the '
                             f'one to report on: report(strategy, filename)')
        return strats[0]
    if hasattr(run, 'getobservers') and hasattr(run, 'datas'):
        return run
    raise TypeError(f'report: expected a Cerebro after run() or a Strategy, got {run!r}')


def gather(run: Any) -> RunData:
    """Equity, fills, trades and key figures of ``run``."""
    strat = _strategy_of(run)
    n = len(strat)
    if not n:
        raise ValueError('report: the strategy has no bars (did the run start?)')
    if getattr(strat, '_exactbars', 0) or len(strat.lines.datetime.array) < n:
        raise ValueError('report: the run dropped old bars (exactbars); run with '
                         'exactbars=0 to report on it')
    clock = np.asarray(strat.lines.datetime.array[:n], dtype=float)
    value = None
    for obs in strat.getobservers():
        if 'value' in obs.getlinealiases() and getattr(obs._tl, 'leader', None) is strat._tl:
            value = np.asarray(obs.lines.value.array[:n], dtype=float)
            break
    if value is None:
        raise ValueError('report: the strategy has no broker value to report; run with '
                         'stdstats=True or add bt.observers.Value (or Broker)')
    broker = getattr(strat, 'broker', None)
    fills = metrics.fills_of(getattr(broker, 'orders', None) or [])
    trips = metrics.round_trips(fills)
    start_value = getattr(broker, 'startingcash', None)
    if start_value is None:  # a broker that does not say: the first bar's value
        start_value = value[0]
    summary = metrics.summarize(clock, value, trips, metrics.exposure(clock, fills),
                                start_value=float(start_value))
    monthly = metrics.monthly_returns(clock, value, float(start_value))
    return RunData(strategy=strat, name=type(strat).__name__, clock=clock, value=value,
                   fills=fills, trips=trips, summary=summary, monthly=monthly)


# -- figures ---------------------------------------------------------------
def _figure(name: str, height: int, x_range=None, **kw):
    from bokeh.plotting import figure
    fig = figure(name=name, height=height, x_axis_type='datetime', sizing_mode='stretch_width',
                 tools='xpan,xwheel_zoom,box_zoom,reset,save,crosshair',
                 active_drag='xpan', active_scroll='xwheel_zoom',
                 x_range=x_range, **kw)
    fig.toolbar.logo = None
    fig.min_border_left = 60
    return fig


def _data_title(data, i: int) -> str:
    name = getattr(data, '_name', '') or f'data{i}'
    tf, comp = getattr(data, '_timeframe', None), getattr(data, '_compression', None)
    if tf is not None and comp is not None:
        return f'{name} ({comp} {TimeFrame.getname(tf, comp)})'
    return name


def _price_figure(data, i: int, max_points: int, x_range):
    from bokeh.models import ColumnDataSource, HoverTool
    n = len(data)
    dts = np.asarray(data.lines.datetime.array[:n], dtype=float)
    lines = data.lines
    starts = bucket_starts(n, max_points)
    o, h, lo, c, v = ohlc_buckets(starts, *(np.asarray(ln.array[:n], dtype=float) for ln in
                                           (lines.open, lines.high, lines.low, lines.close,
                                            lines.volume)))
    x = to_ms(dts[starts])
    ends = np.append(to_ms(dts[starts[1:]]), x[-1] + (x[-1] - x[-2] if len(x) > 1
                                                       else 86400000.0))
    width = (ends - x) * 0.7
    up = c >= o
    src = ColumnDataSource(dict(x=x + (ends - x) * 0.5, open=o, high=h, low=lo, close=c,
                                volume=v, width=width, when=_datestr(dts[starts]),
                                color=np.where(up, '#26a69a', '#ef5350').tolist()))
    fig = _figure(f'price-{i}', 380, x_range=x_range, title=_data_title(data, i))
    fig.segment('x', 'high', 'x', 'low', color='color', source=src)
    bars = fig.vbar('x', 'width', 'open', 'close', fill_color='color', line_color='color',
                    source=src, legend_label='OHLC')
    fig.add_tools(HoverTool(renderers=[bars], tooltips=[
        ('date', '@when'), ('open', '@open{0,0.00}'), ('high', '@high{0,0.00}'),
        ('low', '@low{0,0.00}'), ('close', '@close{0,0.00}'),
        ('volume', '@volume{0,0}')]))
    vol = None
    if np.nanmax(v, initial=0.0) > 0:
        vol = _figure(f'volume-{i}', 110, x_range=x_range)
        vol.vbar('x', 'width', 'volume', 0, fill_color='color', line_color=None,
                 fill_alpha=0.6, source=src)
        vol.yaxis.axis_label = 'volume'
    return fig, vol, dts


def _add_lines(fig, obj, dts: np.ndarray, max_points: int, color_start: int) -> int:
    """Draw ``obj``'s lines (downsampled) on ``fig``; return the next colour index."""
    n = min(len(dts), len(obj))
    starts = bucket_starts(n, max_points)
    k = color_start
    for j in range(obj.size()):
        style = line_style(obj, j)
        if style.get('_plotskip'):
            continue
        y = np.asarray(obj.lines[j].array[:n], dtype=float)
        keep = minmax_indices(y, starts)
        keep = keep[np.isfinite(y[keep])]
        if not len(keep):
            continue
        alias = obj.lines._getlinealias(j)
        label = f'{label_of(obj)} {style.get("_name") or alias}' if obj.size() > 1 \
            else label_of(obj)
        color = _PALETTE[k % len(_PALETTE)]
        k += 1
        x, yy = to_ms(dts[keep]), y[keep]
        if style.get('_method', 'plot') == 'bar':
            fig.vbar(x=x, top=yy, width=(x[1] - x[0]) * 0.8 if len(x) > 1 else 1,
                     color=color, alpha=0.5, legend_label=label)
        elif style.get('ls') == '' or style.get('linestyle') == '':
            fig.scatter(x=x, y=yy, color=color, size=6, legend_label=label)
        else:
            fig.line(x=x, y=yy, color=color, line_width=1.5, legend_label=label,
                     line_dash='dashed' if style.get('ls') == '--' else 'solid')
    return k


def _trade_markers(fig, fills: list, dataname: str) -> None:
    from bokeh.models import ColumnDataSource, HoverTool
    mine = [f for f in fills if f.data == dataname]
    if not mine:
        return
    renderers = []
    for side, marker, color, keep in (('BUY', 'triangle', '#00a000', lambda f: f.size > 0),
                                      ('SELL', 'inverted_triangle', '#d00000',
                                       lambda f: f.size < 0)):
        sel = [f for f in mine if keep(f)]
        if not sel:
            continue
        src = ColumnDataSource(dict(
            x=to_ms([f.dt for f in sel]), price=[f.price for f in sel],
            when=_datestr([f.dt for f in sel]), ref=[f.ref for f in sel],
            size=[abs(f.size) for f in sel], comm=[f.comm for f in sel],
            pnl=[f.pnl for f in sel], kind=[f.kind for f in sel], side=[side] * len(sel)))
        renderers.append(fig.scatter('x', 'price', marker=marker, color=color,
                                     size=11 if len(mine) < 1000 else 6,
                                     line_color='black', source=src,
                                     legend_label=side.lower(), name=f'{side.lower()}s'))
    fig.add_tools(HoverTool(renderers=renderers, tooltips=[
        ('order', '#@ref @side @kind'), ('date', '@when'), ('size', '@size{0,0.####}'),
        ('price', '@price{0,0.00}'), ('commission', '@comm{0,0.00}'),
        ('pnl', '@pnl{0,0.00}')]))


def _equity_figures(run: RunData, i: int | str, max_points: int, x_range):
    n = len(run.clock)
    starts = bucket_starts(n, max_points)
    keep = minmax_indices(run.value, starts)
    eq = _figure(f'equity-{i}', 160, x_range=x_range)
    eq.line(to_ms(run.clock[keep]), run.value[keep], color='#1f77b4', line_width=1.5,
            legend_label='equity')
    eq.yaxis.axis_label = 'value'
    dd = metrics.drawdown(run.value) * -100.0
    keep = minmax_indices(dd, starts)
    ddf = _figure(f'drawdown-{i}', 120, x_range=x_range)
    ddf.varea(x=to_ms(run.clock[keep]), y1=dd[keep], y2=0.0, fill_color='#d62728',
              fill_alpha=0.4, legend_label='drawdown %')
    ddf.yaxis.axis_label = 'drawdown %'
    return eq, ddf


def _data_panel(run: RunData, data, i: int, max_points: int, lay):
    from bokeh.layouts import column
    from bokeh.models import DataRange1d, Span
    x_range = DataRange1d(range_padding=0.01)
    price, vol, dts = _price_figure(data, i, max_points, x_range)
    color = 0
    for obj in lay.over[data]:
        if getattr(obj, '_ltype', None) == obj.ObsType:
            continue  # buy/sell observers: the fills below carry the details
        color = _add_lines(price, obj, dts, max_points, color)
    _trade_markers(price, run.fills, getattr(data, '_name', '') or 'data')
    price.legend.location = 'top_left'
    price.legend.click_policy = 'hide'
    panes = []
    for obj in list(lay.above[data]) + list(lay.below[data]):
        fig = _figure(f'indicator-{i}-{len(panes)}', 130, x_range=x_range)
        _add_lines(fig, obj, dts, max_points, 0)
        for h in (getattr(obj.plotinfo, 'plothlines', None)
                  or getattr(obj.plotinfo, 'plotyhlines', None) or []):
            fig.add_layout(Span(location=h, dimension='width', line_dash='dashed',
                                line_color='gray'))
        fig.legend.location = 'top_left'
        panes.append(fig)
    eq, dd = _equity_figures(run, i, max_points, x_range)
    children = [price] + ([vol] if vol is not None else []) + panes + [eq, dd]
    return column(children, sizing_mode='stretch_width', name=f'panel-{i}')


def _summary_panel(run: RunData, max_points: int = 4000):
    from bokeh.layouts import column, row
    from bokeh.models import (ColumnDataSource, DataTable, Div, HoverTool, LinearColorMapper,
                              TableColumn)
    from bokeh.plotting import figure
    rows = ''.join(f'<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>'
                   for k, v in run.summary.rows())
    period = f'{_datestr([run.clock[0]])[0][:10]} to {_datestr([run.clock[-1]])[0][:10]}'
    stats = Div(name='summary', text=(
        f'<h3>{html.escape(run.name)}: {period}</h3>'
        f'<table class="btib-summary" style="border-collapse:collapse;font-size:14px">'
        f'{rows}</table>'), width=380)

    years = sorted({y for y, _, _ in run.monthly})
    src = ColumnDataSource(dict(
        year=[str(y) for y, _, _ in run.monthly], month=[_MONTHS[m - 1] for _, m, _ in run.monthly],
        ret=[r * 100 for _, _, r in run.monthly],
        label=[f'{r * 100:.2f}' for _, _, r in run.monthly]))
    lim = max([abs(r) * 100 for _, _, r in run.monthly if math.isfinite(r)] or [1.0]) or 1.0
    mapper = LinearColorMapper(palette=('#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0',
                                        '#67a9cf', '#2166ac'), low=-lim, high=lim)
    heat = figure(name='monthly', title='Monthly returns (%)', x_range=list(_MONTHS),
                  y_range=[str(y) for y in reversed(years)], tools='save',
                  height=max(160, 22 * len(years) + 60), width=620, toolbar_location=None)
    heat.rect('month', 'year', 1, 1, source=src, line_color='white',
              fill_color={'field': 'ret', 'transform': mapper})
    if len(years) <= 40:
        heat.text('month', 'year', text='label', source=src, text_align='center',
                  text_baseline='middle', text_font_size='8pt')
    heat.add_tools(HoverTool(tooltips=[('month', '@month @year'), ('return', '@ret{0.00}%')]))
    heat.grid.grid_line_color = None

    trips = run.trips
    tsrc = ColumnDataSource(dict(
        data=[t.data for t in trips], side=['long' if t.long else 'short' for t in trips],
        open=[d[:10] for d in _datestr([t.dtopen for t in trips])],
        close=[d[:10] if t.isclosed else 'open' for d, t in
               zip(_datestr([t.dtclose if t.isclosed else t.dtopen for t in trips]), trips)],
        size=[t.size for t in trips], entry=[t.entry for t in trips],
        exit=[t.exit for t in trips], pnl=[t.pnl for t in trips],
        pnlcomm=[t.pnlcomm for t in trips]))
    from bokeh.models import NumberFormatter
    money = NumberFormatter(format='0,0.00')
    cols = [TableColumn(field='data', title='data'), TableColumn(field='side', title='side'),
            TableColumn(field='open', title='opened'), TableColumn(field='close', title='closed'),
            TableColumn(field='size', title='size'),
            TableColumn(field='entry', title='entry', formatter=money),
            TableColumn(field='exit', title='exit', formatter=money),
            TableColumn(field='pnl', title='pnl', formatter=money),
            TableColumn(field='pnlcomm', title='net pnl', formatter=money)]
    table = DataTable(name='trades', source=tsrc, columns=cols, height=300,
                      sizing_mode='stretch_width', index_position=None)
    from bokeh.models import DataRange1d
    # the whole run at a glance, first: equity and drawdown
    eq, dd = _equity_figures(run, 'summary', max_points, DataRange1d(range_padding=0.01))
    heading = Div(text=f'<h3>Trades ({run.summary.trades_label})</h3>')
    return column([eq, dd, row([stats, heat]), heading, table],
                  sizing_mode='stretch_width', name='panel-summary')


def build_layout(run: RunData, max_points: int = 4000, title: str | None = None):
    """The report's Bokeh root: a title above one tab per data and a summary tab."""
    from bokeh.layouts import column
    from bokeh.models import Div, TabPanel, Tabs
    lay = layout_strategy(run.strategy)
    panels = [TabPanel(child=_summary_panel(run, max_points), title='Summary')]
    for i, data in enumerate(run.strategy.datas):
        child = (_data_panel(run, data, i, max_points, lay) if len(data)
                 else Div(text='<p>This data delivered no bar.</p>', name=f'panel-{i}'))
        panels.append(TabPanel(child=child, title=_data_title(data, i)))
    s = run.summary
    head = Div(text=(f'<h2 style="margin:4px 0">{html.escape(title or run.name)}</h2>'
                     f'<div>return {s.total_return * 100:.2f}%, max drawdown '
                     f'{s.max_drawdown * 100:.2f}%, trades: {s.trades_label}</div>'))
    return column([head, Tabs(tabs=panels, name='tabs', sizing_mode='stretch_width')],
                  sizing_mode='stretch_width')


def write_report(run: Any, filename: str, title: str | None = None,
                 max_points: int = 4000) -> str:
    """Gather ``run``, build its page and write it with Bokeh's JS inlined."""
    try:
        from bokeh.embed import file_html
        from bokeh.resources import INLINE
    except ImportError as exc:  # the optional extra is missing
        raise ImportError('the HTML report needs Bokeh: pip install backtrader_ib[plot]') \
            from exc
    if max_points < 10:
        raise ValueError(f'max_points={max_points!r}: at least 10 points per series')
    data = gather(run)
    root = build_layout(data, max_points=max_points, title=title)
    page = file_html(root, resources=INLINE, title=title or f'{data.name} report')
    with open(filename, 'w', encoding='utf-8') as fh:
        fh.write(page)
    return filename
