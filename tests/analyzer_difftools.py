"""Shared by the analyzer/observer differential tests: a trading strategy on
real data, run on backtrader and backtrader_ib, and a tolerant comparison of
nested analysis dicts."""
from __future__ import annotations

import datetime
import math

from conftest import shared_file

ALL_ANALYZERS = ('AnnualReturn', 'Calmar', 'DrawDown', 'TimeDrawDown', 'GrossLeverage',
                 'PositionsValue', 'PyFolio', 'LogReturnsRolling', 'PeriodStats', 'Returns',
                 'SharpeRatio', 'SharpeRatio_A', 'SQN', 'TimeReturn', 'TradeAnalyzer',
                 'Transactions', 'VWR')


def crossover_strategy(bt):
    """Long and short on SMA crossovers of every data, with a stop-loss exit."""

    class Crossover(bt.Strategy):
        params = (('fast', 10), ('slow', 30), ('size', 10))

        def __init__(self):
            self.cross = [bt.ind.CrossOver(bt.ind.SMA(d, period=self.p.fast),
                                           bt.ind.SMA(d, period=self.p.slow))
                          for d in self.datas]

        def next(self):
            for d, cross in zip(self.datas, self.cross):
                pos = self.getposition(d).size
                if cross[0] > 0:
                    if pos < 0:
                        self.close(d)
                    self.buy(d, size=self.p.size)
                elif cross[0] < 0:
                    if pos > 0:
                        self.close(d)
                    self.sell(d, size=self.p.size)
                elif pos and len(d) % 17 == 0:  # some trades end off the cross
                    self.close(d)

    return Crossover


def yahoo_datas(names=('orcl-1995-2014.txt', 'yhoo-1996-2014.txt'),
                start=(2000, 1, 1), end=(2005, 12, 31)):
    """A datas(bt) factory over the shared Yahoo CSV files."""
    paths = [shared_file(n) for n in names]

    def datas(bt):
        return [bt.feeds.YahooFinanceCSVData(dataname=p, fromdate=datetime.datetime(*start),
                                             todate=datetime.datetime(*end)) for p in paths]
    return datas


def package_datas(names=('orcl-1995-2014.csv', 'nvda-1999-2014.csv'),
                  start=(1998, 6, 1), end=(2001, 12, 31)):
    """A datas(bt) factory over the CSVs shipped in backtrader_ib/datas (NVDA
    starts in 1999: the second data begins later than the first)."""
    from backtrader_ib import datas as shipped
    paths = [shipped.path(n) for n in names]

    def datas(bt):
        return [bt.feeds.YahooFinanceCSVData(dataname=p, fromdate=datetime.datetime(*start),
                                             todate=datetime.datetime(*end)) for p in paths]
    return datas


def assert_same_analysis(ref, new, path: str = 'analysis') -> None:
    """Same keys in the same order, same values (floats to 1e-9 relative, NaN == NaN)."""
    if isinstance(ref, dict):
        assert isinstance(new, dict), f'{path}: {type(new).__name__} is not a dict'
        assert list(ref) == list(new), f'{path}: keys {list(ref)[:8]} vs {list(new)[:8]}'
        for k in ref:
            assert_same_analysis(ref[k], new[k], f'{path}[{k!r}]')
    elif isinstance(ref, (list, tuple)):
        assert isinstance(new, (list, tuple)) and len(ref) == len(new), f'{path}: {ref} vs {new}'
        for i, (a, b) in enumerate(zip(ref, new)):
            assert_same_analysis(a, b, f'{path}[{i}]')
    elif isinstance(ref, float) or isinstance(new, float):
        assert ref is not None and new is not None, f'{path}: {ref} vs {new}'
        if math.isnan(ref) and math.isnan(new):
            return
        assert ref == new or abs(ref - new) <= 1e-9 * max(abs(ref), abs(new)), \
            f'{path}: {ref!r} vs {new!r}'
    else:
        assert ref == new, f'{path}: {ref!r} vs {new!r}'
