"""Params inheritance and introspection; GenericCSVData with a time column, tmformat and nullvalue."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Base(bt.Strategy):
    params = (('period', 10), ('stake', 1), ('verbose', False))


class Child(Base):
    params = (('period', 6), ('threshold', 0.5))

    def __init__(self):
        print('params', [(k, v) for k, v in self.p._getitems()])
        print('defaults', self.params._getdefaults(), 'keys', list(self.params._getkeys()))
        print('kwargs', sorted(self.p._getkwargs().items()))
        self.sma = bt.ind.SMA(period=self.p.period)

    def next(self):
        if len(self) % 150 == 0:
            print('%s %s c %.2f sma %.2f vol %.0f oi %.0f' % (self.data.datetime.date(0), self.data.datetime.time(0),
                  self.data.close[0], self.sma[0], self.data.volume[0], self.data.openinterest[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.GenericCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                   dtformat='%Y-%m-%d', tmformat='%H:%M:%S', datetime=0, time=1,
                                   open=2, high=3, low=4, close=5, volume=6, openinterest=-1,
                                   nullvalue=-1.0, timeframe=bt.TimeFrame.Minutes, compression=5,
                                   todate=datetime.datetime(2006, 1, 12))
    cerebro.adddata(data)
    cerebro.addstrategy(Child, stake=3)
    cerebro.run()
    print('bars %d' % len(data))
