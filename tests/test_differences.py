"""Where backtrader is wrong, backtrader_ib does the documented right thing."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

import backtrader_ib as bt


def frame(n=30, start='2021-01-04'):
    idx = pd.date_range(start, periods=n, freq='D')
    base = np.linspace(10, 20, n)
    return pd.DataFrame({'open': base, 'high': base + 1, 'low': base - 1,
                         'close': base + 0.5, 'volume': 100.0}, index=idx)


def cerebro_with(strat, *frames, **kw):
    c = bt.Cerebro(**kw)
    for f in frames or (frame(),):
        c.adddata(bt.feeds.PandasData(dataname=f))
    c.addstrategy(strat)
    return c


def test_numeric_valid_zero_expires_at_session_end():
    statuses = []

    class S(bt.Strategy):
        def next(self):
            if len(self) == 2:
                # far below the market: never fills, so it must expire
                self.buy(exectype=bt.Order.Limit, price=1.0, valid=0)

        def notify_order(self, order):
            statuses.append(order.getstatusname())

    cerebro_with(S).run()
    assert statuses == ['Submitted', 'Accepted', 'Expired']


def test_oco_from_another_data_is_rejected():
    class S(bt.Strategy):
        def next(self):
            if len(self) == 2:
                o = self.buy(data=self.data0, exectype=bt.Order.Limit, price=1.0)
                self.buy(data=self.data1, exectype=bt.Order.Limit, price=1.0, oco=o)

    with pytest.raises(ValueError, match='oco order .* another data'):
        cerebro_with(S, frame(), frame()).run()


def test_memory_saving_run_keeps_no_finished_order_history():
    class S(bt.Strategy):
        def next(self):
            if not self.position:
                self.buy()
            else:
                self.close()

    full = cerebro_with(S)
    full.run()
    saving = cerebro_with(S, exactbars=1)
    saving.run()
    assert len(full.broker.orders) > 20
    assert saving.broker.orders == []
    assert full.broker.getvalue() == saving.broker.getvalue()


def test_notified_orders_are_not_accumulated():
    class S(bt.Strategy):
        def next(self):
            self.buy() if not self.position else self.close()

    strat = cerebro_with(S).run()[0]
    assert not hasattr(strat, '_orders')
