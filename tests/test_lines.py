"""The lines engine: indexing, delays, operators, min periods, memory modes."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import backtrader_ib as bt


def frame(n=60):
    idx = pd.date_range('2022-01-03', periods=n, freq='D')
    close = np.arange(1.0, n + 1)
    return pd.DataFrame({'open': close - 0.5, 'high': close + 1, 'low': close - 1,
                         'close': close, 'volume': 10.0}, index=idx)


def run(strat, n=60, **kw):
    cerebro = bt.Cerebro(**kw)
    cerebro.adddata(bt.feeds.PandasData(dataname=frame(n)))
    cerebro.addstrategy(strat)
    return cerebro.run()[0]


MODES = [dict(), dict(runonce=False), dict(preload=False), dict(exactbars=1)]


@pytest.mark.parametrize('mode', MODES)
def test_indexing_get_len_and_delays(mode):
    seen = []

    class S(bt.Strategy):
        def __init__(self):
            self.prev = self.data.close(-2)
            self.diff = self.data.close - self.prev
            self.sma = bt.ind.SMA(period=5)

        def next(self):
            seen.append((len(self), self.data.close[0], self.data.close[-1],
                         self.prev[0], self.diff[0], list(self.data.close.get(size=3)),
                         self.sma[0], self.data.lines[3][0], self.data.datetime.date(0)))

    s = run(S, **mode)
    first = seen[0]
    assert first[0] == 5                                  # SMA(5) min period
    assert first[1:5] == (5.0, 4.0, 3.0, 2.0)
    assert first[5] == [3.0, 4.0, 5.0]
    assert first[6] == 3.0 and first[7] == 4.5           # lines[3] is open
    assert str(first[8]) == '2022-01-07'
    assert len(seen) == 56 and seen[-1][0] == 60
    assert len(s.data) == 60


def test_buflen_array_and_line_aliases():
    class S(bt.Strategy):
        pass

    s = run(S)
    d = s.data
    assert d.buflen() == 60 and len(d.close.array) == 60
    assert d.getlinealiases() == ('close', 'low', 'high', 'open', 'volume', 'openinterest', 'datetime')
    assert d.lines.close is d.close is d.lines[0]
    assert d.size() == 7


def test_values_before_the_first_bar_are_nan():
    seen = []

    class S(bt.Strategy):
        def next(self):
            if len(self) == 1:
                seen.append(self.data.close[-1])

    run(S)
    assert math.isnan(seen[0])


def test_operators_build_lines_in_init_and_values_in_next():
    kinds = {}

    class S(bt.Strategy):
        def __init__(self):
            expr = self.data.close > self.data.open
            kinds['init'] = isinstance(expr, bt.LineRoot)
            self.both = bt.And(expr, self.data.close > 3)
            self.pick = bt.If(self.data.close > 30, self.data.high, self.data.low)
            self.biggest = bt.Max(self.data.open, self.data.close, 25.0)

        def next(self):
            kinds.setdefault('next', type(self.data.close > self.data.open))
            if len(self) == 40:
                kinds['values'] = (self.both[0], self.pick[0], self.biggest[0])

    run(S)
    assert kinds['init'] is True
    assert kinds['next'] is bool
    assert kinds['values'] == (1.0, 41.0, 40.0)


def test_truth_of_a_line_in_init_is_an_error():
    class S(bt.Strategy):
        def __init__(self):
            if self.data.close > 3:
                pass

    with pytest.raises(TypeError, match='only known while running'):
        run(S)


def test_division_by_zero_agrees_between_modes():
    out = {}

    class S(bt.Strategy):
        def __init__(self):
            self.ratio = self.data.volume / (self.data.close - self.data.close)

        def next(self):
            out.setdefault(self.p_mode, []).append(self.ratio[0])

    for i, mode in enumerate(MODES):
        S.p_mode = i
        run(S, **mode)
    assert all(v == math.inf for v in out[0])
    assert all(out[i] == out[0] for i in out)


def test_prenext_nextstart_next_sequence():
    calls = []

    class S(bt.Strategy):
        def __init__(self):
            bt.ind.SMA(period=4)

        def prenext(self):
            calls.append('pre')

        def nextstart(self):
            calls.append('start')
            super().nextstart()

        def next(self):
            calls.append('next')

    run(S, n=6)
    assert calls == ['pre', 'pre', 'pre', 'start', 'next', 'next', 'next']


def test_exactbars_keeps_memory_bounded():
    class S(bt.Strategy):
        def __init__(self):
            self.sma = bt.ind.SMA(period=10)

    caps = []
    for n in (2000, 20000):
        s = run(S, n=n, exactbars=1)
        caps.append((s.data._tl.capacity, s._tl.capacity))
        assert len(s.data) == n
    assert caps[0] == caps[1]            # same memory for 10x the bars
    assert caps[0][0] < 1000


def test_reading_dropped_bars_in_memory_saving_mode_is_an_error():
    class S(bt.Strategy):
        def next(self):
            if len(self) == 3000:
                self.data.close[-2500]

    with pytest.raises(IndexError, match='no longer kept'):
        run(S, n=3100, exactbars=1)
    run(S, n=3100)  # full memory: fine


@pytest.mark.parametrize('mode', MODES)
def test_scalar_functions_match_math(mode):
    checked = []

    class S(bt.Strategy):
        def __init__(self):
            close = self.data.close
            self.lg, self.cl = bt.Log(close * 1.37), bt.Ceiling(close * 1.37)
            self.fl, self.ab = bt.Floor(close * 1.37), bt.Abs(close - 30)

        def next(self):
            x = self.data.close[0]
            assert self.lg[0] == math.log10(x * 1.37)
            assert self.cl[0] == math.ceil(x * 1.37)
            assert self.fl[0] == math.floor(x * 1.37)
            assert self.ab[0] == abs(x - 30)
            checked.append(x)

    run(S, **mode)
    assert len(checked) == 60


@pytest.mark.parametrize('kw', [dict(lookahead=2), dict(lookahead=2, runonce=False),
                                dict(lookahead=2, preload=False)])
def test_lookahead_slots_match_backtrader(kw):
    from conftest import shared_file
    from difftools import reference

    def collect(pkg):
        out = []

        class S(pkg.Strategy):
            def next(self):
                out.append((self.data.close[0], len(self.data), self.data.buflen(),
                            len(self.data.close.array)))

        c = pkg.Cerebro(**kw)
        c.adddata(pkg.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
        c.addstrategy(S)
        c.run()
        return out

    assert collect(reference()) == collect(bt)


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_chained_bindings_and_delays_match_backtrader(mode):
    """A declared line bound in __init__ can feed later expressions (MACD-like)."""
    from conftest import shared_file
    from difftools import MODES, reference

    def collect(pkg):
        class MyMacd(pkg.Indicator):
            lines = ('macd', 'signal', 'histo', 'lead')
            params = (('p1', 12), ('p2', 26), ('p3', 9))

            def __init__(self):
                self.l.macd = pkg.ind.EMA(self.data, period=self.p.p1) - pkg.ind.EMA(self.data, period=self.p.p2)
                self.l.signal = pkg.ind.EMA(self.l.macd, period=self.p.p3)
                self.l.histo = self.l.macd - self.l.signal
                self.l.lead = self.data(-2) ** 1.5 / self.data(-1) ** 0.5

        out = []

        class S(pkg.Strategy):
            def __init__(self):
                self.m = MyMacd(self.data.close)

            def next(self):
                out.append(tuple(line[0] for line in self.m.lines))

        c = pkg.Cerebro(**MODES[mode])
        c.adddata(pkg.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
        c.addstrategy(S)
        c.run()
        return out

    ref = collect(reference())
    assert len(ref) > 200 and not any(v != v for v in ref[-1])
    assert [tuple(str(v) for v in r) for r in collect(bt)] == [tuple(str(v) for v in r) for r in ref]
