"""backtrader's plot helper modules (plot.utils, formatters, locator, multicursor,
plot.plot, the finance handlers): same answers as backtrader where both compute
the same thing, and working charts where backtrader_ib draws its own way."""
from __future__ import annotations

import datetime

import matplotlib
import numpy as np
import pytest

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backend_bases import MouseEvent  # noqa: E402

from backtrader_ib.plot import finance, formatters, locator, multicursor  # noqa: E402
from backtrader_ib.plot import plot as plotmod, utils  # noqa: E402
from backtrader_ib.utils import date2num  # noqa: E402

bt = pytest.importorskip('backtrader', reason='backtrader 1.9.78.123 (test-only reference) '
                         'is not installed')
from test_public_surface import import_reference_plot  # noqa: E402

import_reference_plot()  # keeps the Agg backend (backtrader forces TkAgg)
import backtrader.plot.formatters as ref_formatters  # noqa: E402
import backtrader.plot.utils as ref_utils  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close('all')


def weekdays(n: int) -> list:
    start = datetime.datetime(2006, 1, 2, 23, 59, 59)
    days = [start + datetime.timedelta(days=i) for i in range(n * 7 // 5 + 7)]
    return [date2num(d) for d in days if d.weekday() < 5][:n]


@pytest.mark.parametrize('color, pct', [('red', -10), ('#336699', 25), ((0.2, 0.4, 0.6), 0),
                                        ('lightgrey', 80), ('navy', -120)])
def test_shade_color_same_as_backtrader(color, pct):
    assert utils.shade_color(color, pct) == pytest.approx(ref_utils.shade_color(color, pct))


def test_tag_box_style_same_path_as_backtrader():
    mine = utils.tag_box_style(1.0, 2.0, 10.0, 4.0, 5.0)
    ref = ref_utils.tag_box_style(1.0, 2.0, 10.0, 4.0, 5.0)
    assert np.array_equal(mine.vertices, ref.vertices)
    assert np.array_equal(mine.codes, ref.codes)


@pytest.mark.parametrize('volmax', [950.0, 12345.0, 2.5e6, 7.1e9])
def test_volume_formatter_same_as_backtrader(volmax):
    mine, ref = formatters.MyVolFormatter(volmax), ref_formatters.MyVolFormatter(volmax)
    for y in (0, volmax * 0.37, volmax, volmax * 1.25):
        assert mine(y) == ref(y)


def test_date_formatter_same_as_backtrader():
    dates = weekdays(30)
    mine = formatters.MyDateFormatter(dates, fmt='%Y-%m-%d %a')
    ref = ref_formatters.MyDateFormatter(dates, fmt='%Y-%m-%d %a')
    for x in (-3, 0, 4.4, 4.6, 29, 45):
        assert mine(x) == ref(x)


def _axis(n: int):
    fig, ax = plt.subplots()
    ax.plot(np.arange(n), np.arange(n))
    return fig, ax


def test_getlocator_ticks_first_bars_of_months():
    dates = weekdays(300)
    fig, ax = _axis(len(dates))
    loc, fmt = formatters.getlocator(dates, numticks=6)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(fmt)
    fig.canvas.draw()
    ticks = [int(t) for t in ax.get_xticks()]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert 3 <= len(ticks) <= 8
    for i, label in zip(ticks, labels):
        day = bt.num2date(dates[i]).date()
        prev = bt.num2date(dates[i - 1]).date()
        assert day.month != prev.month  # the first bar of its month
        assert label.startswith(f'{day.year}')


def test_patched_matplotlib_locator_and_formatter_work_on_bars():
    import matplotlib.dates as mdates
    dates = weekdays(120)
    fig, ax = _axis(len(dates))
    loc, fmt = mdates.MonthLocator(), mdates.DateFormatter('%Y-%m-%d')
    formatters.patch_locator(loc, dates)
    formatters.patch_formatter(fmt, dates)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(fmt)
    fig.canvas.draw()
    ticks = [int(t) for t in ax.get_xticks()]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [bt.num2date(dates[i]).strftime('%Y-%m-%d') for i in ticks]
    assert labels[:3] == ['2006-02-01', '2006-03-01', '2006-04-03']


def test_rrule_locator_on_bars():
    import matplotlib.dates as mdates
    dates = weekdays(60)
    fig, ax = _axis(len(dates))
    rule = mdates.rrulewrapper(mdates.WEEKLY, byweekday=mdates.MO)
    loc = locator.RRuleLocator(dates, rule)
    ax.xaxis.set_major_locator(loc)
    fig.canvas.draw()
    ticks = [int(t) for t in ax.get_xticks()]
    assert len(ticks) >= 10
    assert all(bt.num2date(dates[i]).weekday() == 0 for i in ticks)


def test_multicursor_follows_the_mouse():
    fig, (a, b) = plt.subplots(2, sharex=True)
    a.plot([0, 1, 2], [1, 2, 3])
    b.plot([0, 1, 2], [5, 6, 7])
    fig.canvas.draw()
    cursor = multicursor.MultiCursor(fig.canvas, (a, b), horizOn=True, color='k')
    x, y = a.transData.transform((1.5, 2.0))
    fig.canvas.callbacks.process('motion_notify_event',
                                 MouseEvent('motion_notify_event', fig.canvas, x, y))
    assert [v.get_visible() for v in cursor.vlines] == [True, True]
    assert [h.get_visible() for h in cursor.hlines] == [True, False]  # only under the mouse
    assert cursor.vlines[1].get_xdata()[0] == pytest.approx(1.5)
    both = multicursor.MultiCursor2(fig.canvas, (a, b), horizOn=True)
    fig.canvas.callbacks.process('motion_notify_event',
                                 MouseEvent('motion_notify_event', fig.canvas, x, y))
    assert [h.get_visible() for h in both.hlines] == [True, True]
    assert issubclass(multicursor.MultiCursor, multicursor.Widget)


def test_finance_handlers_draw_and_make_legends():
    n = 40
    rng = np.random.default_rng(3)
    o = 100 + rng.standard_normal(n).cumsum()
    c = o + rng.standard_normal(n)
    h, lo = np.maximum(o, c) + 0.5, np.minimum(o, c) - 0.5
    x = np.arange(n)
    fig, ax = plt.subplots()
    bars, wicks = finance.plot_candlestick(ax, x, o, h, lo, c, label='c', fillup=False)
    ranges, opens, closes = finance.plot_ohlc(ax, x, o, h, lo, c)
    line, = finance.plot_lineonclose(ax, x, c)
    vol, = finance.plot_volume(ax, x, o, c, np.abs(c - o) * 1000)
    assert len(bars.get_paths()) == len(vol.get_paths()) == n
    assert len(wicks.get_segments()) == 2 * n and len(opens.get_segments()) == n
    up = c >= o
    faces = bars.get_facecolors()
    assert (faces[up, 3] == 0).all() and (faces[~up, 3] > 0).all()  # fillup=False
    assert np.array_equal(line.get_ydata(), c)
    legend = ax.legend([bars, ranges, line, vol], ['candles', 'ohlc', 'close', 'volume'])
    fig.canvas.draw()
    assert len(legend.legend_handles) == 4
    assert isinstance(bars, finance.PolyCollection)


def test_pinfo_state():
    from backtrader_ib.plot.scheme import PlotScheme
    info = plotmod.PInfo(PlotScheme())
    fig = info.newfig(0, 1, plt)
    ax = fig.add_subplot()
    info.zorder[ax] = 1.0
    assert (info.nextcolor(ax), info.nextcolor(ax)) == (0, 1)
    assert info.color(ax) == PlotScheme().color(1)
    assert info.zordernext(ax) == pytest.approx(0.9999) and info.zordercur(ax) == 1.0
    assert info.figs == [fig] and plotmod.Plot is not None
