"""OCO: a breakout stop and a pullback limit, the first to fill cancels the other."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Breakout(bt.Strategy):
    def __init__(self):
        self.hi = bt.ind.Highest(self.data.high, period=10)
        self.lo = bt.ind.Lowest(self.data.low, period=10)
        self.pending = []

    def notify_order(self, order):
        if order.status in (order.Completed, order.Canceled, order.Expired):
            print('%s %d %s %s %.0f @ %.2f' % (self.data.datetime.date(0), order.ref,
                  order.getordername(), order.getstatusname(), order.executed.size,
                  order.executed.price))
        if not order.alive() and order in self.pending:
            self.pending.remove(order)

    def next(self):
        if self.pending:
            return
        if not self.position:
            o1 = self.buy(exectype=bt.Order.Stop, price=self.hi[0], size=2, valid=bt.Order.DAY)
            o2 = self.buy(exectype=bt.Order.Limit, price=self.lo[0] * 1.01, size=2, oco=o1)
            self.pending = [o1, o2]
        else:
            o1 = self.sell(exectype=bt.Order.Limit, price=self.data.close[0] * 1.02, size=2)
            o2 = self.sell(exectype=bt.Order.Stop, price=self.data.close[0] * 0.98, size=2, oco=o1)
            self.pending = [o1, o2]


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Breakout)
    cerebro.run()
    print('final value %.2f' % cerebro.broker.getvalue())
