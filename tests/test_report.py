"""The HTML report's numbers and file (the browser test is test_report_browser.py)."""
from __future__ import annotations

import datetime
import math
import re

import numpy as np
import pandas as pd
import pytest

import backtrader_ib as bt
from backtrader_ib import datas
from backtrader_ib.plot.report import metrics
from backtrader_ib.plot.report.downsample import bucket_starts, minmax_indices, ohlc_buckets
from difftools import reference

FROM, TO = datetime.datetime(2008, 1, 1), datetime.datetime(2012, 12, 31)


def make_strategy(bt):
    class Swing(bt.Strategy):
        """Adds, partly closes and reverses, so trades are not all simple."""

        def __init__(self):
            self.cross = bt.ind.CrossOver(bt.ind.SMA(period=8), bt.ind.SMA(period=21))
            self.closed = []

        def notify_trade(self, trade):
            if trade.isclosed:
                self.closed.append((trade.dtopen, trade.dtclose, trade.pnl, trade.pnlcomm))

        def next(self):
            pos = self.position.size
            if self.cross > 0:
                self.buy(size=100 - pos if pos < 0 else 100)   # reverse or open
            elif self.cross < 0:
                self.sell(size=pos + 60 if pos > 0 else 60)    # reverse or open short
            elif pos > 60 and len(self) % 7 == 0:
                self.sell(size=30)                              # partial close
            elif 0 < pos < 150 and len(self) % 11 == 0:
                self.buy(size=20)                               # add
    return Swing


def run(bt, **kw):
    cerebro = bt.Cerebro(**kw)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                                 fromdate=FROM, todate=TO))
    cerebro.addstrategy(make_strategy(bt))
    cerebro.broker.setcommission(commission=0.001)
    return cerebro


@pytest.fixture(scope='module')
def swing():
    cerebro = run(bt)
    strat = cerebro.run()[0]
    return cerebro, strat


def test_round_trips_match_the_engines_trades(swing):
    _, strat = swing
    fills = metrics.fills_of(strat.broker.orders)
    trips = [t for t in metrics.round_trips(fills) if t.isclosed]
    assert len(trips) == len(strat.closed) > 20
    for trip, (dtopen, dtclose, pnl, pnlcomm) in zip(trips, strat.closed):
        assert (trip.dtopen, trip.dtclose) == (dtopen, dtclose)
        assert trip.pnl == pytest.approx(pnl, abs=1e-6)
        assert trip.pnlcomm == pytest.approx(pnlcomm, abs=1e-6)
    assert any(not t.long for t in trips) and any(t.size > 100 for t in trips)


def test_drawdown_and_win_rate_match_backtrader_analyzers(swing):
    """Max drawdown and win rate equal backtrader's DrawDown/TradeAnalyzer."""
    from backtrader_ib.plot.report.page import gather
    ref = reference()
    cerebro = run(ref)
    cerebro.addanalyzer(ref.analyzers.DrawDown, _name='dd')
    cerebro.addanalyzer(ref.analyzers.TradeAnalyzer, _name='ta')
    theirs = cerebro.run()[0]
    ours = gather(swing[0]).summary
    assert ours.max_drawdown * 100 == pytest.approx(theirs.analyzers.dd.get_analysis().max.drawdown,
                                                    rel=1e-9)
    ta = theirs.analyzers.ta.get_analysis()
    assert ours.trades == ta.total.closed
    assert ours.win_rate == pytest.approx(ta.won.total / ta.total.closed)
    won, lost = ta.won.pnl.total, -ta.lost.pnl.total
    assert ours.profit_factor == pytest.approx(won / lost)
    assert ours.end_value == pytest.approx(theirs.broker.getvalue())


def test_sharpe_sortino_exposure_against_pandas(swing):
    from backtrader_ib.plot.report.page import gather
    cerebro, strat = swing
    run_ = gather(cerebro)
    s = run_.summary
    idx = pd.to_datetime([bt.num2date(d) for d in run_.clock])
    equity = pd.Series(run_.value, index=idx)
    daily = equity.groupby(equity.index.date).last()
    rets = pd.concat([pd.Series([10000.0]), pd.Series(daily.values)]).pct_change().dropna()
    assert s.sharpe == pytest.approx(rets.mean() / rets.std() * math.sqrt(252))
    downside = math.sqrt((rets.clip(upper=0) ** 2).mean())
    assert s.sortino == pytest.approx(rets.mean() / downside * math.sqrt(252))
    years = (idx[-1] - idx[0]).total_seconds() / 86400 / 365.25
    assert s.annual_return == pytest.approx((equity.iloc[-1] / 10000.0) ** (1 / years) - 1)
    # exposure: bars ending with a position, from the position the broker saw
    held = 0
    pos = np.zeros(len(strat))
    orders = sorted((o for o in strat.broker.orders if o.executed.size),
                    key=lambda o: o.executed.dt)
    k = 0
    for i, d in enumerate(run_.clock):
        while k < len(orders) and orders[k].executed.dt <= d:
            held += orders[k].executed.size
            k += 1
        pos[i] = held
    assert s.exposure == pytest.approx(np.mean(pos != 0))
    assert 0.5 < s.exposure < 1.0


def test_metrics_on_a_known_curve():
    day = bt.date2num(datetime.datetime(2020, 1, 30))
    dts = day + np.array([0.0, 1, 2, 3, 33, 34])   # 30 Jan .. 4 Mar
    values = np.array([100.0, 110, 99, 121, 120, 132])
    s = metrics.summarize(dts, values, [], exposure=0.5, start_value=100.0)
    assert s.total_return == pytest.approx(0.32)
    assert s.max_drawdown == pytest.approx(0.1)               # 110 -> 99
    assert s.max_drawdown_days == 31                          # 121 on day 3 regained on day 34
    assert math.isnan(s.win_rate) and s.trades == 0
    months = metrics.monthly_returns(dts, values, 100.0)
    assert [(y, m) for y, m, _ in months] == [(2020, 1), (2020, 2), (2020, 3)]
    assert [r for _, _, r in months] == pytest.approx([0.10, 121 / 110 - 1, 132 / 121 - 1])


def test_downsampling_keeps_extremes_and_aggregates_bars():
    rng = np.random.default_rng(1)
    y = np.cumsum(rng.standard_normal(100_003))
    y[500:510] = np.nan
    starts = bucket_starts(len(y), 1000)
    keep = minmax_indices(y, starts)
    assert len(keep) <= 4 * len(starts)
    assert keep[0] == 0 and keep[-1] == len(y) - 1
    assert np.nanargmax(y) in keep and np.nanargmin(y) in keep
    # every bucket's own min and max survive
    ends = np.append(starts[1:], len(y))
    for a, b in zip(starts[::97], ends[::97]):
        seg = y[a:b]
        if np.isfinite(seg).any():
            assert a + np.nanargmax(seg) in keep and a + np.nanargmin(seg) in keep
    o, h, lo, c, v = (rng.random(1000) for _ in range(5))
    st = bucket_starts(1000, 30)
    bo, bh, bl, bc, bv = ohlc_buckets(st, o, h, lo, c, v)
    groups = np.repeat(np.arange(len(st)), np.diff(np.append(st, 1000)))
    df = pd.DataFrame(dict(o=o, h=h, l=lo, c=c, v=v, g=groups)).groupby('g')
    assert np.allclose(bo, df.o.first()) and np.allclose(bh, df.h.max())
    assert np.allclose(bl, df.l.min()) and np.allclose(bc, df.c.last())
    assert np.allclose(bv, df.v.sum())


def test_report_file_is_self_contained(swing, tmp_path):
    pytest.importorskip('bokeh', reason='bokeh is not installed (the HTML report needs the [plot] extra)')
    from backtrader_ib.plot import report
    cerebro, strat = swing
    out = report(strat, str(tmp_path / 'r.html'), title='Swing on ORCL')
    page = open(out, encoding='utf-8').read()
    assert '<title>Swing on ORCL</title>' in page
    assert not re.search(r'<script[^>]+src=', page)           # JS inlined
    assert not re.search(r'<link[^>]+href=["\']https?:', page)
    for name in ('"tabs"', '"price-0"', '"equity-0"', '"drawdown-0"', '"monthly"',
                 '"trades"', '"summary"'):
        assert name in page
    assert 'Sharpe ratio' in page and 'Profit factor' in page


def test_report_errors_are_clear(tmp_path):
    pytest.importorskip('bokeh')
    from backtrader_ib.plot import opt_heatmap, report
    cerebro = run(bt)
    with pytest.raises(ValueError, match='has not run'):
        report(cerebro, str(tmp_path / 'x.html'))
    cerebro = run(bt, stdstats=False)
    cerebro.run()
    with pytest.raises(ValueError, match='bt.observers.Value'):
        report(cerebro, str(tmp_path / 'x.html'))
    with pytest.raises(TypeError, match='expected a Cerebro'):
        report(42, str(tmp_path / 'x.html'))

    class R:
        def __init__(self, **p):
            self.params = type('P', (), p)()
    with pytest.raises(KeyError, match="no parameter 'slow'"):
        opt_heatmap([R(fast=1)], 'fast', 'slow', lambda r: 1.0, str(tmp_path / 'o.html'))
    with pytest.raises(ValueError, match='two results with fast=1, slow=2'):
        opt_heatmap([R(fast=1, slow=2, x=1), R(fast=1, slow=2, x=2)], 'fast', 'slow',
                    lambda r: 1.0, str(tmp_path / 'o.html'))


def test_opt_heatmap_of_a_real_optimisation(tmp_path):
    pytest.importorskip('bokeh')
    from backtrader_ib.plot import opt_heatmap
    from backtrader_ib.plot.report.optimisation import grid_of

    class Cross(bt.Strategy):
        params = (('fast', 5), ('slow', 20))

        def __init__(self):
            self.cross = bt.ind.CrossOver(bt.ind.SMA(period=self.p.fast),
                                          bt.ind.SMA(period=self.p.slow))

        def next(self):
            if not self.position and self.cross > 0:
                self.buy()
            elif self.position and self.cross < 0:
                self.close()

        def stop(self):
            self.final = self.broker.getvalue()

    cerebro = bt.Cerebro(maxcpus=1, optreturn=False)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                                 fromdate=FROM, todate=TO))
    cerebro.optstrategy(Cross, fast=[5, 10], slow=[20, 30, 40])
    results = cerebro.run()
    xs, ys, cells = grid_of(results, 'fast', 'slow', lambda r: r.final)
    assert xs == [5, 10] and ys == [20, 30, 40] and len(cells) == 6
    assert len(set(cells.values())) > 1
    out = opt_heatmap(results, 'fast', 'slow', lambda r: r.final, str(tmp_path / 'opt.html'),
                      metric_name='final value')
    assert '"optheatmap"' in open(out, encoding='utf-8').read()


def test_a_data_without_bars_gets_a_note_not_a_crash(tmp_path):
    pytest.importorskip('bokeh')
    from backtrader_ib.plot import report
    cerebro = run(bt)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(
        dataname=datas.path('nvda-1999-2014.csv'), fromdate=datetime.datetime(2020, 1, 1),
        todate=datetime.datetime(2021, 1, 1)))  # the file ends in 2014
    cerebro.run()
    page = open(report(cerebro, str(tmp_path / 'r.html')), encoding='utf-8').read()
    assert 'This data delivered no bar.' in page and '"price-0"' in page
    assert cerebro.plot(savefig=str(tmp_path / 'p.png'), dpi=30)


def test_cerebro_report_method(tmp_path):
    import backtrader_ib as bt
    from backtrader_ib import datas
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                                 todate=__import__('datetime').datetime(1997, 12, 31)))
    cerebro.addstrategy(bt.strategies.SMA_CrossOver)
    cerebro.run()
    out = cerebro.report(str(tmp_path / 'r.html'), title='t')
    assert out.endswith('r.html') and (tmp_path / 'r.html').stat().st_size > 100_000


def test_summary_tab_opens_with_equity_and_drawdown_and_counts_trades_one_way(swing):
    pytest.importorskip('bokeh')
    from backtrader_ib.plot.report.page import build_layout, gather
    cerebro, strat = swing
    run_ = gather(strat)
    root = build_layout(run_)
    head, tabs = root.children
    summary = tabs.tabs[0]
    assert summary.title == 'Summary'
    first = summary.child.children
    assert [first[0].name, first[1].name] == ['equity-summary', 'drawdown-summary']
    assert first[0].renderers and first[1].renderers
    # the equity curve is the run's broker value (downsampled: first and last kept)
    ys = first[0].renderers[0].data_source.data['y']
    assert ys[0] == run_.value[0] and ys[-1] == run_.value[-1]
    # one open trade at the end: every place that counts trades says the same
    assert strat.position.size != 0
    closed = len(strat.closed)
    label = f'{closed} closed + 1 open'
    assert run_.summary.trades == closed and run_.summary.trades_label == label
    assert f'trades: {label}' in head.text
    assert f'Trades ({label})' in first[3].text
    assert ('Trades', label) in run_.summary.rows()
    assert len(first[4].source.data['close']) == closed + 1
    assert first[4].source.data['close'].count('open') == 1


def test_trades_label_without_open_trades():
    s = metrics.summarize(np.array([730000.0, 730001.0]), np.array([100.0, 101.0]), [], 0.0)
    assert s.open_trades == 0 and s.trades_label == '0 closed'
