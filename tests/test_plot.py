"""matplotlib charts rendered headless (Agg): layout, plotinfo/plotlines rules, files."""
from __future__ import annotations

import datetime
import math
import sys
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure

import backtrader_ib as bt
from backtrader_ib import datas
from backtrader_ib.plot import Plot, PlotScheme

FROM, TO = datetime.datetime(2011, 1, 1), datetime.datetime(2012, 12, 31)


def orcl(**kw):
    return bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                        fromdate=FROM, todate=TO, **kw)


class Cross(bt.Strategy):
    """SMA crossover that counts its executed orders."""

    def __init__(self):
        self.fast, self.slow = bt.ind.SMA(period=10), bt.ind.SMA(period=30)
        self.cross = bt.ind.CrossOver(self.fast, self.slow)
        bt.ind.RSI(self.data)
        self.executed = 0

    def notify_order(self, order):
        if order.status == order.Completed:
            self.executed += 1

    def next(self):
        if not self.position and self.cross > 0:
            self.buy()
        elif self.position and self.cross < 0:
            self.close()


def run(strategy=Cross, feeds=None, **cerebro_kw):
    cerebro = bt.Cerebro(**cerebro_kw)
    for feed in feeds or [orcl()]:
        cerebro.adddata(feed)
    cerebro.addstrategy(strategy)
    strat = cerebro.run()[0]
    return cerebro, strat


def labels(ax) -> list[str]:
    leg = ax.get_legend()
    return [t.get_text() for t in leg.get_texts()] if leg else []


def ylabel_axes(fig):
    """Axes of the figure's panes (twin volume axes, which hold no lines, left out)."""
    return [ax for ax in fig.axes if ax.get_legend() is not None or ax.lines]


def pixel_std(path) -> float:
    import matplotlib.image as mpimg
    return float(mpimg.imread(str(path))[..., :3].std())


@pytest.fixture(scope='module')
def cross_run():
    return run()


def test_one_data_indicators_observers(cross_run, tmp_path):
    cerebro, strat = cross_run
    png = tmp_path / 'one.png'
    figs = cerebro.plot(savefig=str(png), width=12, height=8, dpi=60)
    assert len(figs) == 1 and len(figs[0]) == 1
    fig = figs[0][0]
    assert isinstance(fig, Figure)
    # panes: Broker, Trades (top), data (+ its volume twin), RSI, CrossOver below
    assert len(fig.axes) == 6
    broker, trades, data, rsi, cross, volume = fig.axes  # the twin axis comes last
    assert labels(broker)[0].startswith('Broker\ncash') and 'value' in labels(broker)[1]
    assert labels(trades)[0].startswith('Trades - Net Profit/Loss\nPositive')
    assert labels(rsi)[0].startswith('RSI (14)\nrsi')
    assert labels(cross)[0].startswith('CrossOver\ncrossover')
    dlabels = labels(data)
    assert dlabels[0].startswith('orcl-1995-2014 (1 Day) C:')
    assert dlabels[1] == 'Volume'
    assert any(lb.startswith('SMA (10) ') for lb in dlabels)
    assert any(lb.startswith('SMA (30) ') for lb in dlabels)
    buysell = [lb for lb in dlabels if lb.startswith('BuySell')]
    assert len(buysell) == 1 and buysell[0].endswith('\nbuy') and 'sell' in dlabels
    # close line, 2 SMAs, buy and sell marker lines on the data's axis
    assert len(data.lines) == 5
    close = data.lines[0]
    assert len(close.get_xdata()) == len(strat.data)
    # one marker per executed order (one order per bar in this strategy)
    markers = [ln for ln in data.lines if ln.get_marker() in ('^', 'v')]
    shown = sum(int(np.isfinite(ln.get_ydata()).sum()) for ln in markers)
    assert strat.executed > 10 and shown == strat.executed
    # the Trades pane shows one dot per closed trade
    dots = sum(int(np.isfinite(ln.get_ydata()).sum()) for ln in trades.lines
               if ln.get_marker() == 'o')
    assert dots == sum(1 for t in strat._trades[strat.data][0] if t.isclosed)
    # volume overlay: one bar per price bar, scaled to a third of the pane
    assert len(volume.collections[0].get_paths()) == len(strat.data)
    assert volume.get_ylim()[1] == pytest.approx(np.nanmax(strat.data.volume.array) / 0.33)
    # x tick labels only on the bottom pane, dated
    ticks = [t.get_text() for t in cross.get_xticklabels() if t.get_text()]
    assert ticks and all(t[:4] in ('2011', '2012', '2013') for t in ticks)
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n' and pixel_std(png) > 0.05


def test_candles_with_volume_pane(cross_run, tmp_path):
    cerebro, strat = cross_run
    png = tmp_path / 'candles.png'
    fig = cerebro.plot(savefig=str(png), style='candle', voloverlay=False, dpi=60,
                       barup='green', bardown='red')[0][0]
    n = len(strat.data)
    data = fig.axes[2]
    bodies = [c for c in data.collections if isinstance(c, PolyCollection)]
    wicks = [c for c in data.collections if isinstance(c, LineCollection)]
    assert len(bodies) == 1 and len(bodies[0].get_paths()) == n
    assert len(wicks[0].get_segments()) == 2 * n
    # up bodies green, down bodies red
    o, c = strat.data.open.array, strat.data.close.array
    faces = bodies[0].get_facecolors()
    assert np.allclose(faces[c >= o][:, :3], matplotlib.colors.to_rgb('green'))
    assert np.allclose(faces[c < o][:, :3], matplotlib.colors.to_rgb('red'))
    assert labels(data)[0].startswith('orcl-1995-2014 (1 Day) O:')
    volume = fig.axes[3]
    assert labels(volume) == ['Volume (orcl-1995-2014)']
    assert len(volume.collections[0].get_paths()) == n
    assert len(fig.axes) == 6  # no twin axis: volume has its own pane
    assert pixel_std(png) > 0.05


def test_ohlc_bars_and_line_style_legends(cross_run):
    cerebro, strat = cross_run
    fig = cerebro.plot(savefig=None, iplot=False, style='bar', volume=False)[0][0]
    data = fig.axes[2]
    segs = [c for c in data.collections if isinstance(c, LineCollection)][0].get_segments()
    assert len(segs) == 3 * len(strat.data)  # high-low, open tick, close tick
    assert len(fig.axes) == 5  # no volume at all


class Custom(bt.Indicator):
    """An indicator using every plotinfo/plotlines option."""

    lines = ('up', 'down', 'hidden', 'hist', 'same')
    params = (('period', 5),)
    plotinfo = dict(plotname='MyInd', subplot=True, plotabove=True, plotlinelabels=True,
                    plotyticks=[-1.0, 0.0, 1.0], plothlines=[0.5], plotymargin=0.2)
    plotlines = dict(
        up=dict(_name='Upper', color='purple', ls='--', lw=2.0, _fill_gt=(0.0, 'green'),
                _fill_lt=(0.0, ('red', 0.5))),
        down=dict(marker='o', markersize=3.0, fillstyle='none', ls=''),
        hidden=dict(_plotskip=True),
        hist=dict(_method='bar', width=1.0, alpha=0.4),
        same=dict(_samecolor=True, _plotvalue=False, _plotvaluetag=False))

    def __init__(self):
        mom = self.data - self.data(-self.p.period)
        self.lines.up = mom / 2.0
        self.lines.down = -mom / 2.0
        self.lines.hidden = mom
        self.lines.hist = mom / 4.0
        self.lines.same = mom / 3.0


class WithCustom(bt.Strategy):
    def __init__(self):
        Custom(self.data)
        sma = bt.ind.SMA(self.data1, period=5, plotmaster=self.data)  # over data0
        bt.ind.SMA(sma, period=3, subplot=False)        # over its master's axis
        bt.ind.EMA(self.data, period=8, plot=False)     # not drawn
        bt.ind.RSI(self.data, plotname='Strength', plotyhlines=[30, 70], plotabove=False)


def test_custom_indicator_plotinfo_plotlines(tmp_path):
    cerebro, strat = run(WithCustom, [orcl(), bt.feeds.YahooFinanceCSVData(
        dataname=datas.path('nvda-1999-2014.csv'), fromdate=FROM, todate=TO)],
        stdstats=False)
    png = tmp_path / 'custom.png'
    fig = cerebro.plot(savefig=str(png), dpi=60, volume=False)[0][0]
    # panes: MyInd above data0, data0, RSI below, data1
    assert len(fig.axes) == 4
    custom, data0, rsi, data1 = fig.axes
    assert fig.axes.index(custom) < fig.axes.index(data0)  # plotabove
    leg = labels(custom)
    # the name goes on the line after those drawn another way (the bars)
    assert leg[0].startswith('Upper ')                # _name, with the value
    assert leg[1].startswith('MyInd (5)\ndown ')
    assert not any('hidden' in lb for lb in leg)      # _plotskip
    assert any(lb == 'same' for lb in leg)            # _plotvalue=False: no value
    up, down = custom.lines[0], custom.lines[1]
    same = next(ln for ln in custom.lines if ln.get_label() == 'same')
    assert up.get_color() == 'purple' and up.get_linestyle() == '--'
    assert up.get_linewidth() == 2.0
    assert down.get_marker() == 'o' and down.get_fillstyle() == 'none'
    assert down.get_linestyle() == 'None'
    # _samecolor: the same colour as the line before it (the bars)
    bars = [p for p in custom.patches]
    assert len(bars) == len(strat.data)               # _method='bar'
    assert matplotlib.colors.to_rgba(same.get_color())[:3] == \
        pytest.approx(bars[0].get_facecolor()[:3])
    fills = [c for c in custom.collections if isinstance(c, PolyCollection)]
    assert len(fills) == 2                            # _fill_gt and _fill_lt
    assert fills[1].get_alpha() == 0.5
    assert list(custom.get_yticks()) == [-1.0, 0.0, 1.0]
    hlines = [ln for ln in custom.lines if list(ln.get_ydata()) == [0.5, 0.5]]
    assert len(hlines) == 1
    # RSI with plotname and plotyhlines: ticks and dashed lines at 30/70
    assert labels(rsi)[0].startswith('Strength (14)\nrsi')
    assert list(rsi.get_yticks()) == [30, 70]
    # SMA of data1 drawn over data0 (plotmaster), its SMA over it; EMA hidden
    dl = labels(data0)
    assert any(lb.startswith('SMA (5) ') for lb in dl)
    assert any(lb.startswith('SMA (3) ') for lb in dl)
    assert not any(lb.startswith('EMA') for lb in dl)
    assert labels(data1)[0].startswith('nvda-1999-2014 (1 Day)')
    assert pixel_std(png) > 0.05


def weekly_feed():
    """A second timeframe: weekly bars of the same ORCL file."""
    df = pd.read_csv(datas.path('orcl-1995-2014.csv'), index_col='Date', parse_dates=True)
    df = df.loc[FROM:TO - datetime.timedelta(days=1)]  # the daily feed ends before TO
    week = df.resample('W-FRI').agg({'Open': 'first', 'High': 'max', 'Low': 'min',
                                     'Close': 'last', 'Volume': 'sum'}).dropna()
    # stamp each week with its last trading day, as a resampler would
    last_days = df.index.to_series().resample('W-FRI').max().dropna()
    # (at the daily bars' session end, so both feeds share their time stamps)
    week.index = (pd.DatetimeIndex(last_days.loc[week.index].values)
                  + pd.Timedelta(hours=23, minutes=59, seconds=59, microseconds=999989))
    return bt.feeds.PandasData(dataname=week, name='orcl-weekly', open='Open', high='High',
                               low='Low', close='Close', volume='Volume', openinterest=None,
                               timeframe=bt.TimeFrame.Weeks)


class TwoFrames(bt.Strategy):
    def __init__(self):
        bt.ind.SMA(self.data0, period=20)
        bt.ind.SMA(self.data1, period=4)


def test_several_datas_and_timeframes(tmp_path):
    cerebro, strat = run(TwoFrames, [orcl(), weekly_feed()], stdstats=False)
    png = tmp_path / 'frames.png'
    fig = cerebro.plot(savefig=str(png), dpi=60, volume=False)[0][0]
    daily, weekly = fig.axes
    assert labels(weekly)[0].startswith('orcl-weekly (1 Week)')
    xd, xw = daily.lines[0].get_xdata(), weekly.lines[0].get_xdata()
    assert len(xd) == len(strat.data0) and len(xw) == len(strat.data1)
    assert len(xw) < len(xd) / 4
    # each weekly bar sits at the daily bar of the same day (the clock's position)
    clock = strat.datetime.array[:len(strat)]
    assert len(clock) == len(strat.data0)
    assert np.array_equal(clock[np.asarray(xw, dtype=int)], strat.data1.datetime.array)
    # the weekly SMA is drawn at the weekly bars' positions
    assert np.array_equal(weekly.lines[1].get_xdata(), xw)
    assert pixel_std(png) > 0.05


def test_resampled_timeframes(tmp_path):
    """Daily, weekly and monthly bars of one file (cerebro.resampledata)."""
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(orcl())
    cerebro.resampledata(orcl(), timeframe=bt.TimeFrame.Weeks)
    cerebro.resampledata(orcl(), timeframe=bt.TimeFrame.Months)
    cerebro.addstrategy(TwoFrames)
    strat = cerebro.run()[0]
    png = tmp_path / 'resampled.png'
    fig = cerebro.plot(savefig=str(png), dpi=60, style='candle')[0][0]
    assert len(fig.axes) == 6  # three data panes, each with its volume twin
    daily, weekly, monthly = fig.axes[:3]
    assert labels(weekly)[0].startswith('orcl-1995-2014 (1 Week)')
    assert labels(monthly)[0].startswith('orcl-1995-2014 (1 Month)')
    clock = strat.datetime.array[:len(strat)]
    for ax, data in ((daily, strat.data0), (weekly, strat.data1), (monthly, strat.data2)):
        bodies = [c for c in ax.collections if isinstance(c, PolyCollection)][0]
        x = np.array([(p.vertices[:, 0].min() + p.vertices[:, 0].max()) / 2
                      for p in bodies.get_paths()])
        assert len(x) == len(data)
        # each bar is drawn at the clock position of its own time stamp
        assert np.array_equal(clock[np.rint(x).astype(int)], data.datetime.array[:len(data)])
    assert 20 < len(strat.data2) < 30 and 100 < len(strat.data1) < 110
    assert pixel_std(png) > 0.05


def test_numfigs_range_and_file_formats(cross_run, tmp_path):
    cerebro, strat = cross_run
    figs = cerebro.plot(numfigs=3, savefig=str(tmp_path / 'part.svg'), dpi=50)[0]
    assert len(figs) == 3
    n = len(strat)
    sizes = [len(f.axes[2].lines[0].get_xdata()) for f in figs]
    assert sum(sizes) == n and sizes[0] == n // 3
    for k in (1, 2, 3):
        assert (tmp_path / f'part_{k}.svg').read_text()[:200].find('<svg') >= 0
    cerebro.plot(savefig=str(tmp_path / 'one.pdf'), dpi=50,
                 start=datetime.date(2012, 3, 1), end=datetime.date(2012, 5, 31))
    assert (tmp_path / 'one.pdf').read_bytes()[:5] == b'%PDF-'
    fig = cerebro.plot(savefig=str(tmp_path / 'r.png'), dpi=50,
                       start=datetime.date(2012, 3, 1), end=datetime.date(2012, 5, 31))[0][0]
    close = fig.axes[2].lines[0]
    first = bt.num2date(strat.datetime.array[int(close.get_xdata()[0]) +
                                             int(np.searchsorted(strat.datetime.array,
                                                 bt.date2num(datetime.datetime(2012, 3, 1))))])
    assert first.date() == datetime.date(2012, 3, 1)
    days = [bt.num2date(d).date() for d in strat.data.datetime.array]
    assert len(close.get_xdata()) == sum(
        datetime.date(2012, 3, 1) <= d <= datetime.date(2012, 5, 31) for d in days)
    fig = cerebro.plot(savefig=str(tmp_path / 'i.png'), dpi=50, start=10, end=-11)[0][0]
    assert len(fig.axes[2].lines[0].get_xdata()) == n - 20


def test_headless_show_keeps_backend_and_warns_nothing(cross_run):
    cerebro, _ = cross_run
    before = matplotlib.get_backend()
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        figs = cerebro.plot(iplot=False)  # nothing to show on Agg: just the figures
    assert figs and matplotlib.get_backend() == before


def test_iplot_in_jupyter_displays_inline(cross_run, monkeypatch):
    pytest.importorskip('IPython', reason='IPython (Jupyter) not installed')
    import IPython.display
    cerebro, _ = cross_run
    shown = []
    monkeypatch.setitem(sys.modules, 'ipykernel', sys)  # as inside a notebook kernel
    monkeypatch.setattr(IPython.display, 'display', shown.append)
    figs = cerebro.plot(iplot=True, numfigs=2)
    assert len(figs[0]) == 2 and len(shown) == 2
    assert all(isinstance(img, IPython.display.Image) for img in shown)
    assert all(img.data[:8] == b'\x89PNG\r\n\x1a\n' for img in shown)


def test_plotter_object_and_scheme(cross_run, tmp_path):
    cerebro, strat = cross_run
    plotter = Plot(scheme=PlotScheme(style='candle'), grid=False)
    assert plotter.p.scheme.style == 'candle' and plotter.scheme.grid is False
    figs = cerebro.plot(plotter=plotter, savefig=str(tmp_path / 'p.png'), dpi=40)
    assert not figs[0][0].axes[0].xaxis._major_tick_kw.get('gridOn', False)
    assert PlotScheme().color(0) == 'crimson' and PlotScheme().color(1) == 'blue'


def test_bad_options_are_named(cross_run):
    cerebro, _ = cross_run
    with pytest.raises(TypeError, match="unknown plot option 'colour'"):
        cerebro.plot(colour='red', savefig='x.png')
    with pytest.raises(ValueError, match="style='pie'"):
        cerebro.plot(style='pie', savefig='x.png')
    with pytest.raises(ValueError, match='selects no bar'):
        cerebro.plot(start=datetime.date(2030, 1, 1), savefig='x.png')
    with pytest.raises(ValueError, match='numfigs'):
        cerebro.plot(numfigs=0, savefig='x.png')


def test_exactbars_run_has_nothing_to_plot():
    cerebro, _ = run(exactbars=1)
    assert cerebro.plot(savefig='never.png') == []


def test_plot_strategy_single_figure(cross_run, tmp_path):
    from backtrader_ib.plot import plot_strategy
    _, strat = cross_run
    fig = plot_strategy(strat, savefig=str(tmp_path / 's.png'), dpi=40)
    assert isinstance(fig, Figure) and (tmp_path / 's.png').stat().st_size > 10000
    assert not math.isnan(pixel_std(tmp_path / 's.png'))


class Forced(bt.Strategy):
    def __init__(self):
        ema = bt.ind.EMA(period=10, plot=False)
        bt.ind.SMA(ema, period=3, plotname='dropped')                 # its clock is not drawn
        bt.ind.SMA(ema, period=4, plotname='forced', plotforce=True)  # sent to the data
        bt.ind.Momentum(ema, period=5, plotforce=True, plotvaluetags=False,
                        plotlinevalues=False)                         # own pane under the data


def test_plotforce_and_value_switches():
    cerebro, strat = run(Forced, stdstats=False)
    fig = cerebro.plot(savefig=None, iplot=False, volume=False)[0][0]
    data, mom = fig.axes
    dl = labels(data)
    assert any(lb.startswith('forced ') for lb in dl)
    assert not any(lb.startswith('dropped') for lb in dl)
    assert labels(mom) == ['Momentum (5)\nmomentum']  # no value in the label
    assert not mom.texts                                # and no value tag
    assert data.texts                                   # the data keeps its tag


def test_one_list_of_figures_per_strategy():
    cerebro = bt.Cerebro()
    cerebro.adddata(orcl())
    cerebro.addstrategy(Cross)
    cerebro.addstrategy(Forced)
    cerebro.run()
    figs = cerebro.plot(savefig=None, iplot=False, numfigs=2)
    assert [len(group) for group in figs] == [2, 2]


# -- what a reader sees: tags, legends, ticks ------------------------------------

def _rendered(fig):
    """``fig`` drawn on an Agg canvas and its renderer (the boxes are known then)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _tag_boxes(ax, renderer):
    return [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts
            if t.get_bbox_patch() is not None]


@pytest.mark.parametrize('dpi', [100, 60])     # built at 100; saved at any dpi
def test_value_tags_stack_apart_inside_their_pane(cross_run, dpi):
    """Close, SMA(10) and SMA(30) end within a few cents: their tags are
    stacked, none covers another or a y tick label (of any pane), all inside
    their pane."""
    cerebro, strat = cross_run
    fig = cerebro.plot(width=12, height=8)[0][0]
    fig.set_dpi(dpi)
    renderer = _rendered(fig)
    all_boxes, labels = [], []
    for ax in fig.axes:
        boxes = _tag_boxes(ax, renderer)
        pane = ax.get_window_extent(renderer)
        for i, a in enumerate(boxes):
            assert pane.y0 - 1 <= a.y0 and a.y1 <= pane.y1 + 1, (ax, a, pane)
            for b in boxes[i + 1:]:
                assert a.y1 <= b.y0 + 0.5 or b.y1 <= a.y0 + 0.5, (a, b)
        all_boxes += boxes
        labels += [lb for lb in ax.yaxis.get_ticklabels() if lb.get_visible() and lb.get_text()]
    for box in all_boxes:
        for label in labels:
            lb = label.get_window_extent(renderer)
            assert not box.overlaps(lb), (label.get_text(), box, lb)
    # Broker (cash, value), data (close, two SMAs), RSI, CrossOver
    assert len(all_boxes) == 2 + 3 + 1 + 1
    assert len(labels) >= 8                       # blanking is not wholesale
    # the data pane's tags were pushed apart: 3 boxes over a few cents of price
    data = fig.axes[2]
    assert len(_tag_boxes(data, renderer)) == 3
    # each tag still names its own value
    assert sorted(float(t.get_text()) for t in data.texts) == sorted(
        round(v, 2) for v in (strat.data.close[0], strat.fast[0], strat.slow[0]))


def test_spread_keeps_order_gap_and_bounds():
    from backtrader_ib.plot.lineplot import _spread
    assert _spread([10.0, 50.0], 14.0, 100.0) == [10.0, 50.0]           # room: unchanged
    out = _spread([40.0, 41.0, 42.0], 14.0, 100.0)
    assert out == [40.0, 54.0, 68.0]
    out = _spread([95.0, 96.0, 99.0], 14.0, 100.0)                       # at the top
    assert out == [65.0, 79.0, 93.0] and out[-1] <= 100 - 7
    out = _spread([-5.0], 14.0, 100.0)
    assert out == [7.0]


def test_legends_are_opaque_and_fit_their_pane(cross_run):
    cerebro, _ = cross_run
    fig = cerebro.plot(width=12, height=6, dpi=80)[0][0]
    renderer = _rendered(fig)
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert len(legends) == 5
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is None:
            continue
        assert leg.get_frame().get_alpha() == 1.0
        box, pane = leg.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert pane.y0 - 1 <= box.y0 and box.y1 <= pane.y1 + 1, (leg, box, pane)
    # the short Broker pane needs two columns for its two lines
    assert fig.axes[0].get_legend()._ncols == 2
    # backtrader's see-through boxes on request
    fig = cerebro.plot(legendtrans=0.25)[0][0]
    assert fig.axes[0].get_legend().get_frame().get_alpha() == 0.75


def _tick_dates(dts, nticks=8):
    from backtrader_ib.plot.timeaxis import BarDateLocator
    loc = BarDateLocator(dts, nticks)
    ticks = loc.tick_values(-0.5, len(dts) - 0.5)
    return [dts[int(i)].astype('datetime64[D]').item() for i in ticks], loc.fmt


def _bdays(start, end):
    days = pd.bdate_range(start, end).values.astype('datetime64[us]')
    return days


@pytest.mark.parametrize('start, end, step', [
    ('2005-01-03', '2014-12-31', 2),     # 10 years: every second year, 2005 not squeezed in
    ('2004-01-02', '2014-12-31', 2),     # starts an even year: 2004 is a tick
    ('2005-03-01', '2009-12-31', 1),     # starts in March: no tick at the first bar
    ('1999-01-04', '2014-12-31', 2),
])
def test_year_ticks_are_evenly_spaced(start, end, step):
    dates, fmt = _tick_dates(_bdays(start, end))
    assert fmt == '%Y' and len(dates) >= 4
    years = [d.year for d in dates]
    assert all(b - a == step for a, b in zip(years, years[1:])), years
    assert all(y % step == 0 for y in years)
    assert all(d.month == 1 and d.day <= 7 for d in dates), dates


def test_month_and_minute_ticks_are_evenly_spaced():
    from backtrader_ib.plot.timeaxis import BarDateLocator
    dates, fmt = _tick_dates(_bdays('2011-01-03', '2012-12-31'))
    months = [d.year * 12 + d.month - 1 for d in dates]
    (step,) = {b - a for a, b in zip(months, months[1:])}
    assert fmt == '%Y-%m' and step in (3, 6) and all(m % step == 0 for m in months)
    mins = np.arange(np.datetime64('2024-03-04T09:31'), np.datetime64('2024-03-04T16:01'),
                     np.timedelta64(1, 'm')).astype('datetime64[us]')
    loc = BarDateLocator(mins)
    ticks = [mins[i].astype('datetime64[m]').item() for i in loc.tick_values(0, len(mins) - 1)]
    (gap,) = {(b - a).total_seconds() // 60 for a, b in zip(ticks, ticks[1:])}
    assert all((t.hour * 60 + t.minute) % gap == 0 for t in ticks), ticks   # 09:31: no tick


def test_chart_year_labels_are_even(tmp_path):
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(
        dataname=datas.path('orcl-1995-2014.csv'), fromdate=datetime.datetime(2005, 1, 1),
        todate=datetime.datetime(2014, 12, 31)))
    cerebro.addstrategy(bt.Strategy)
    cerebro.run()
    fig = cerebro.plot(width=14, height=8, dpi=60)[0][0]
    _rendered(fig)
    years = [int(t.get_text()) for t in fig.axes[-1].get_xticklabels() if t.get_text()]
    assert years == [2006, 2008, 2010, 2012, 2014]


def test_best_legend_falls_back_on_long_runs(monkeypatch):
    from backtrader_ib.plot import lineplot
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot(np.arange(1000), np.arange(1000.0), label='x')
    scheme = PlotScheme()
    leg = lineplot.legend(ax, *ax.get_legend_handles_labels(), 'best', scheme)
    assert leg._loc == 0                                   # 'best' kept
    monkeypatch.setattr(lineplot, '_BEST_MAX', 999)
    leg = lineplot.legend(ax, *ax.get_legend_handles_labels(), 'best', scheme)
    assert leg._loc == 2                                   # 'upper left'
