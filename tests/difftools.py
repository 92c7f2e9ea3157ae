"""Run the same strategy on backtrader and backtrader_ib and record everything.

A strategy is written once as a factory ``make(bt)`` returning a Strategy
class for the package ``bt``; :func:`run_both` runs it on both packages in a
given mode and returns the two event logs, which must be equal.
"""
from __future__ import annotations

import importlib
from typing import Callable

import pytest

MODES = {
    'runonce': dict(preload=True, runonce=True),
    'preload-next': dict(preload=True, runonce=False),
    'next': dict(preload=False, runonce=False),
    'exactbars1': dict(exactbars=1),
    'exactbars-1': dict(exactbars=-1),
    'exactbars-2': dict(exactbars=-2),
}


def reference():
    """The backtrader package (test-only reference), or skip."""
    try:
        return importlib.import_module('backtrader')
    except ImportError:
        pytest.skip('backtrader 1.9.78.123 (the reference) is not installed')


def num(x):
    """Normalise numbers (numpy scalars print differently) for comparison."""
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, (int, float)) or hasattr(x, '__float__'):
        f = float(x)
        return 'nan' if f != f else f
    return x


def order_event(o) -> tuple:
    e = o.executed
    return ('order', o.ref - _refbase(o), o.getstatusname(), o.isbuy(), num(o.size),
            num(o.created.price), num(e.dt), num(e.size), num(e.price),
            num(e.value), num(e.comm), num(e.pnl))


_REFBASES: dict = {}


def _refbase(o) -> int:
    # order refs count up across runs in one process: compare relative refs
    return _REFBASES.setdefault(id(type(o).refbasis), 0)


def trade_event(t) -> tuple:
    return ('trade', t.getdataname() if hasattr(t, 'getdataname') else '', t.status,
            num(t.size), num(t.price), num(t.value), num(t.commission), num(t.pnl),
            num(t.pnlcomm), t.baropen, t.barclose, t.barlen, num(t.dtopen), num(t.dtclose))


def make_recorder(bt, base):
    """Subclass ``base`` so every notification and bar is logged in ``self.events``."""

    class Recorder(base):
        def __init__(self, *args, **kwargs):
            self.events = []
            super().__init__(*args, **kwargs)

        def notify_order(self, order):
            self.events.append(order_event(order))
            super().notify_order(order)

        def notify_trade(self, trade):
            self.events.append(trade_event(trade))
            super().notify_trade(trade)

        def notify_cashvalue(self, cash, value):
            self.events.append(('cashvalue', num(cash), num(value)))
            super().notify_cashvalue(cash, value)

        def next(self):
            rec = ['next', len(self), num(self.datetime[0])]
            for d in self.datas:
                rec += [len(d), num(d.close[0]), num(self.getposition(d).size),
                        num(self.getposition(d).price)]
            for ind in self.getindicators_lines() if hasattr(self, 'getindicators_lines') else []:
                rec += [num(line[0]) for line in ind.lines]
            self.events.append(tuple(rec))
            super().next()

    Recorder.__name__ = base.__name__
    return Recorder


def run(bt, make: Callable, datas: Callable, mode: dict, cerebro_setup=None,
        strat_kwargs=None, record: bool = True):
    """Run ``make(bt)`` on ``datas(bt)`` in ``mode``; return (cerebro, strategy)."""
    cerebro = bt.Cerebro(**mode)
    for i, d in enumerate(datas(bt)):
        cerebro.adddata(d)
    strat = make(bt)
    if record:
        strat = make_recorder(bt, strat)
    cerebro.addstrategy(strat, **(strat_kwargs or {}))
    if cerebro_setup:
        cerebro_setup(bt, cerebro)
    _REFBASES.clear()
    import itertools
    # refs restart at 1 for both packages so logs compare
    for pkg in (bt,):
        pkg.Order.refbasis = itertools.count(1)
        pkg.Trade.refbasis = itertools.count(1)
    strats = cerebro.run()
    return cerebro, strats[0]


# backtrader's memory-saving modes have defects of their own (a line that
# reads its own previous value with a one-bar ring buffer sees NaN), so the
# reference for them is backtrader's equivalent full-memory mode.
REFERENCE_MODE = {
    'exactbars1': MODES['next'],
    'exactbars-1': MODES['preload-next'],
    'exactbars-2': MODES['preload-next'],
}


def run_both(make, datas, mode, **kw):
    import backtrader_ib
    ref = reference()
    refmode = next((REFERENCE_MODE[k] for k, v in MODES.items()
                    if v == mode and k in REFERENCE_MODE), mode)
    c1, s1 = run(ref, make, datas, refmode, **kw)
    c2, s2 = run(backtrader_ib, make, datas, mode, **kw)
    return (c1, s1), (c2, s2)


def assert_same_events(ev_ref: list, ev_new: list) -> None:
    """Compare two event logs, pointing at the first difference."""
    n = min(len(ev_ref), len(ev_new))
    for i in range(n):
        if ev_ref[i] != ev_new[i]:
            raise AssertionError(f'event {i} differs:\n backtrader:    {ev_ref[i]}\n'
                                 f' backtrader_ib: {ev_new[i]}\n'
                                 f' previous: {ev_ref[max(0, i - 2):i]}')
    assert len(ev_ref) == len(ev_new), f'{len(ev_ref)} events vs {len(ev_new)}'
