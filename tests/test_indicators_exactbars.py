"""Indicators in memory-saving mode (``exactbars=1``: bounded line buffers,
bar by bar, no preload) give, bar by bar, the values backtrader gives without
preloading (backtrader's own exactbars mode has defects of its own, see
tests/difftools.py)."""
from __future__ import annotations

import numpy as np
import pytest

import backtrader_ib
from difftools import reference
from test_indicators_diff import BT_DEFECTS, DAY, DAYS2, LONG, NOT_COMPARABLE, _cases, add_datas


def _values(bt, name, build, datafile, **mode):
    cerebro = bt.Cerebro(stdstats=False, **mode)
    add_datas(bt, cerebro, name, datafile)
    seen = []

    class Probe(bt.Strategy):
        def __init__(self):
            if build is not None:
                self.ind = build(bt, self)
            elif name == 'Fractal':
                self.ind = bt.studies.Fractal(self.data)
            else:
                self.ind = getattr(bt.indicators, name)(self.data)

        def next(self):
            seen.append([line[0] for line in self.ind.lines])

    cerebro.addstrategy(Probe)
    cerebro.run()
    return np.array(seen, dtype=float)


@pytest.mark.parametrize('name,build', _cases())
def test_exactbars_bar_by_bar(name, build):
    if name in NOT_COMPARABLE:
        pytest.skip(NOT_COMPARABLE[name])
    if name in BT_DEFECTS and build is None:
        pytest.skip('backtrader defect, compared in test_indicators_diff')
    datafile = DAYS2 if name in LONG else DAY
    ref = _values(reference(), name, build, datafile, runonce=False, preload=False)
    new = _values(backtrader_ib, name, build, datafile, exactbars=1)
    assert ref.shape == new.shape
    same = (ref == new) | (np.isnan(ref) & np.isnan(new))
    assert same.all(), f'first difference at strategy bar {np.argwhere(~same)[0]}'
