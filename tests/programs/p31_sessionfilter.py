"""Intraday 5-minute data cut to a session with SessionFilter, opening-range breakout."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class OpeningRange(bt.Strategy):
    def __init__(self):
        self.hi = bt.ind.Highest(self.data.high, period=6)
        self.lo = bt.ind.Lowest(self.data.low, period=6)

    def next(self):
        t = self.data.datetime.time(0)
        if t == datetime.time(10, 0):
            print('%s range %.2f-%.2f' % (self.data.datetime.date(0), self.lo[0], self.hi[0]))
        if t >= datetime.time(17, 0):
            if self.position:
                self.close()
            return
        if not self.position and t > datetime.time(10, 0) and self.data.close[0] > self.hi[-1]:
            self.buy(size=1)

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s %.2f' % (self.data.datetime.datetime(0), order.ordtypename(), order.executed.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5,
                                      sessionstart=datetime.time(9, 30), sessionend=datetime.time(17, 15),
                                      todate=datetime.datetime(2006, 1, 12))
    data.addfilter(bt.filters.SessionFilter)
    cerebro.adddata(data)
    cerebro.addstrategy(OpeningRange)
    cerebro.run()
    print('bars %d final %.2f' % (len(data), cerebro.broker.getvalue()))
