"""Feeds subclassed the way backtrader programs do it, against backtrader
1.9.78.123: a subclass's own ``_load`` (changing or skipping bars) or
``_loadline`` (parsing a row) is what delivers the bars, whatever loader
the base class uses underneath (the columns read whole here). The
vectorised loaders ignored both: the bars came out unchanged."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import shared_file
from difftools import MODES, num, run_both

DAILY = '2006-day-001.txt'


def _subclass(bt, base: str, override: str) -> type:
    cls = getattr(bt.feeds, base)
    if override == '_load':
        def _load(self):
            while True:
                ret = cls._load(self)
                if not ret:
                    return ret
                if self.lines.datetime.date(0).weekday() == 2:
                    continue  # skip Wednesdays
                self.lines.close[0] = self.lines.close[0] + 1000.0
                return ret
        return type(f'Own{base}', (cls,), {'_load': _load})

    def _loadline(self, linetokens):
        ret = cls._loadline(self, linetokens)
        self.lines.high[0] = self.lines.high[0] + 500.0
        return ret
    return type(f'Own{base}', (cls,), {'_loadline': _loadline})


def _feed(base: str, override: str, name: str = DAILY, **kwargs):
    def make(bt):
        kwargs['dataname'] = shared_file(name)
        if base == 'PandasData':
            frame = pd.read_csv(shared_file(name))
            stamps = frame.pop('Date') + (' ' + frame.pop('Time') if 'Time' in frame else '')
            kwargs['dataname'] = frame.set_index(pd.to_datetime(stamps))
        elif base == 'GenericCSVData':
            kwargs['dtformat'] = '%Y-%m-%d'
        return [_subclass(bt, base, override)(**kwargs)]
    return make


def _strategy(bt):
    class Reader(bt.Strategy):
        def __init__(self):
            self.sma = bt.ind.SMA(period=5)
            self.rows = []

        def next(self):
            d = self.data
            self.rows.append((len(d), d.datetime.date(0).isoformat(), num(d.high[0]),
                              num(d.close[0]), num(self.sma[0])))
    return Reader


CASES = [('BacktraderCSVData', '_load'), ('BacktraderCSVData', '_loadline'),
         ('GenericCSVData', '_load'), ('GenericCSVData', '_loadline'), ('PandasData', '_load')]


@pytest.mark.parametrize('mode', ['runonce', 'preload-next', 'next'])
@pytest.mark.parametrize('base,override', CASES)
def test_own_load_and_loadline_deliver_the_bars(base, override, mode):
    (_, ref), (_, ours) = run_both(_strategy, _feed(base, override), MODES[mode])
    assert ref.rows == ours.rows
    assert len(ours.rows) > 150
    if override == '_load':  # the subclass's changes are there
        assert all(r[3] > 4000 for r in ours.rows)
        assert all(pd.Timestamp(r[1]).weekday() != 2 for r in ours.rows)
    else:
        assert all(r[2] > r[3] + 400 for r in ours.rows)


@pytest.mark.parametrize('base,override', [('BacktraderCSVData', '_load'),
                                           ('PandasData', '_load')])
def test_resampled_own_load(base, override):
    """Resampling a feed with its own _load: the bars it delivers are resampled
    (the precomputed plan, made from the raw columns, stays out)."""
    def setup(bt, cerebro):
        data = _feed(base, override, '2006-min-005.txt', timeframe=bt.TimeFrame.Minutes,
                     compression=5)(bt)[0]
        cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=15)

    (_, ref), (_, ours) = run_both(_strategy, lambda bt: [], MODES['runonce'],
                                   cerebro_setup=setup)
    assert ref.rows == ours.rows and len(ours.rows) > 400
