"""Intraday orders valid for the day (Order.DAY), for a timedelta, and good till cancelled."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class DayOrders(bt.Strategy):
    def __init__(self):
        self.lo = bt.ind.Lowest(self.data.low, period=12)
        self.hi = bt.ind.Highest(self.data.high, period=12)
        self.day = None

    def next(self):
        d = self.data.datetime.date(0)
        if d != self.day:
            self.day = d
            self.buy(exectype=bt.Order.Limit, price=self.lo[0] - 1.0, valid=bt.Order.DAY, size=1)
            self.sell(exectype=bt.Order.Limit, price=self.hi[0] + 8.0, size=1,
                      valid=datetime.timedelta(hours=3))
            self.sell(exectype=bt.Order.Stop, price=self.lo[0] - 15.0, size=1)  # good till cancelled

    def notify_order(self, order):
        if order.status in (order.Completed, order.Expired, order.Canceled):
            print('%s ref %d %s %s %s @ %.2f' % (self.data.datetime.datetime(0), order.ref, order.ordtypename(),
                  order.getordername(), order.getstatusname(), order.executed.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5,
                                      sessionstart=datetime.time(9, 0), sessionend=datetime.time(17, 30),
                                      todate=datetime.datetime(2006, 1, 10))
    cerebro.adddata(data)
    cerebro.addstrategy(DayOrders)
    cerebro.run()
    print('final %.2f position %d' % (cerebro.broker.getvalue(), cerebro.broker.getposition(data).size))
