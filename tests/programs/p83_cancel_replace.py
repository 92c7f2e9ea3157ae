"""A manual ATR trailing stop: every bar the stop is cancelled and replaced one notch higher."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class AtrTrail(bt.Strategy):
    params = dict(mult=2.0)

    def __init__(self):
        self.atr = bt.ind.ATR(period=10)
        self.stop_order = None
        self.stop_price = None
        self.canceled = 0

    def next(self):
        if not self.position:
            if self.stop_order is None and self.data.close[0] > self.data.close[-3]:
                self.buy(size=1)
            return
        new_stop = self.data.close[0] - self.p.mult * self.atr[0]
        if self.stop_price is None or new_stop > self.stop_price:
            if self.stop_order is not None:
                self.cancel(self.stop_order)
            self.stop_price = new_stop
            self.stop_order = self.sell(size=1, exectype=bt.Order.Stop, price=new_stop)

    def notify_order(self, order):
        if order.status == order.Canceled:
            self.canceled += 1
        elif order.status == order.Completed:
            print('%s ref %d %s %s @ %.2f (canceled so far %d)' % (self.datetime.date(0), order.ref,
                  order.ordtypename(), order.getordername(), order.executed.price, self.canceled))
            if order is self.stop_order:
                self.stop_order = None
                self.stop_price = None


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(AtrTrail)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
