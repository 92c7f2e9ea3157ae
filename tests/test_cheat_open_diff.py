"""Cheat-on-open against backtrader 1.9.78.123: inside next_open and friends
the datas are on the new bar while indicators (and line operations) still
hold the previous bar's values, in every mode, with and without the general
path (BTIB_GENERAL_PATH=1). So for the other user code run before the
strategy's step: timers and quicknotify's notify_order."""
from __future__ import annotations

import datetime

import pytest

from analyzer_difftools import package_datas
from conftest import shared_file
from difftools import MODES, assert_same_events, num, run_both
from engine_difftools import general_path, vals  # noqa: F401  (fixture)

# every test here runs with the fast paths and with BTIB_GENERAL_PATH=1
pytestmark = pytest.mark.usefixtures('general_path')

COO_MODES = ['runonce', 'preload-next', 'next', 'exactbars1', 'exactbars-1', 'exactbars-2']


def _coo_strategy(bt):
    class CheatOpen(bt.Strategy):
        """Trades in next_open on indicator values; logs what every hook sees."""

        def __init__(self):
            self.smas = [bt.ind.SMA(d, period=15) for d in self.datas]
            self.diff = self.data.close - self.smas[0]
            self.prev = self.data.close(-1)
            self.rsi = bt.ind.RSI(self.data, period=9)

        def _see(self, tag):
            row = [tag, len(self)]
            for d, sma in zip(self.datas, self.smas):
                row += [len(d), num(d.open[0]) if len(d) else None] + vals(sma)
            row += vals(self.rsi) + [len(self.diff), len(self.prev)]
            self.events.append(tuple(row))

        def prenext_open(self):
            self._see('prenext_open')

        def nextstart_open(self):
            self._see('nextstart_open')
            super().nextstart_open()

        def next_open(self):
            self._see('next_open')
            for d, sma in zip(self.datas, self.smas):
                if not len(d) or len(sma) < 2:
                    continue
                pos = self.getposition(d).size
                if d.open[0] > sma[0] and sma[0] > sma[-1] and not pos:
                    self.buy(d, size=1)
                elif d.open[0] < sma[0] and pos:
                    self.close(d)

        def next(self):
            self._see('next')

    return CheatOpen


def _one_data(bt):
    return [bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'))]


@pytest.mark.parametrize('mode', COO_MODES)
def test_next_open_sees_indicators_of_the_previous_bar(mode):
    (_, s1), (_, s2) = run_both(_coo_strategy, _one_data, dict(MODES[mode], cheat_on_open=True))
    assert any(e[0] == 'next_open' for e in s1.events)
    assert any(e[0] == 'order' and e[2] == 'Completed' for e in s1.events)
    assert_same_events(s1.events, s2.events)


@pytest.mark.parametrize('mode', ['runonce', 'next', 'exactbars1'])
def test_next_open_with_a_data_starting_later(mode):
    # NVDA starts after ORCL: on the bars before, its indicators do not move
    (_, s1), (_, s2) = run_both(_coo_strategy, package_datas(),
                                dict(MODES[mode], cheat_on_open=True))
    assert_same_events(s1.events, s2.events)


def test_values_seen_in_next_open():
    """Plainly: sma[0] in next_open is the value next() saw on the bar before."""
    import backtrader_ib as bt
    seen = []

    class S(bt.Strategy):
        def __init__(self):
            self.sma = bt.ind.SMA(period=5)

        def next_open(self):
            seen.append(('open', len(self), len(self.sma), len(self.data), self.sma[0]))

        def next(self):
            seen.append(('next', len(self), len(self.sma), len(self.data), self.sma[0]))

    for runonce in (True, False):
        seen.clear()
        cerebro = bt.Cerebro(cheat_on_open=True, runonce=runonce)
        cerebro.adddata(_one_data(bt)[0])
        cerebro.addstrategy(S)
        cerebro.run()
        pairs = list(zip(seen, seen[1:]))
        checked = 0
        for (tag0, n0, ns0, nd0, v0), (tag1, n1, ns1, nd1, v1) in pairs:
            if tag0 == 'next' and tag1 == 'open':
                assert (n1, ns1, nd1) == (n0, ns0, nd0 + 1)
                assert v1 == v0
                checked += 1
        assert checked > 200


def _timer_strategy(bt):
    class CheatTimer(bt.Strategy):
        """A timer runs before the strategy: with cheat=True before the
        broker too, as next_open; either way indicators are not recalculated."""
        params = (('cheat', True),)

        def __init__(self):
            self.sma = bt.ind.SMA(period=10)

        def start(self):
            self.add_timer(when=datetime.time(0, 0), cheat=self.p.cheat)

        def notify_timer(self, timer, when, *args, **kwargs):
            self.events.append(('timer', len(self), len(self.data), *vals(self.sma)))
            if len(self.sma) > 1 and self.data.open[0] > self.sma[0] and not self.position:
                self.buy()
            elif len(self.sma) > 1 and self.data.open[0] < self.sma[0] and self.position:
                self.close()

    return CheatTimer


@pytest.mark.parametrize('cheat', [True, False])
@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_timer_sees_indicators_of_the_previous_bar(mode, cheat):
    (_, s1), (_, s2) = run_both(_timer_strategy, _one_data, dict(MODES[mode]),
                                strat_kwargs=dict(cheat=cheat))
    assert sum(e[0] == 'timer' for e in s1.events) > 200
    assert_same_events(s1.events, s2.events)


def _quick_strategy(bt):
    class Quick(bt.Strategy):
        """quicknotify: notify_order runs inside the broker, before the
        strategy's indicators are recalculated for the bar."""

        def __init__(self):
            self.sma = bt.ind.SMA(period=10)

        def notify_order(self, order):
            self.events.append(('quick', order.getstatusname(), len(self), len(self.data),
                                *vals(self.sma)))

        def next(self):
            if not self.position and self.data.close[0] > self.sma[0]:
                self.buy()
            elif self.position and self.data.close[0] < self.sma[0]:
                self.close()

    return Quick


@pytest.mark.parametrize('mode', ['runonce', 'next', 'exactbars1'])
def test_quicknotify_sees_indicators_of_the_previous_bar(mode):
    (_, s1), (_, s2) = run_both(_quick_strategy, _one_data, dict(MODES[mode], quicknotify=True))
    assert sum(e[0] == 'quick' and e[1] == 'Completed' for e in s1.events) > 5
    assert_same_events(s1.events, s2.events)
