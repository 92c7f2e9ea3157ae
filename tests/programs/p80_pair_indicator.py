"""A two-data indicator (_mindatas = 2) for a spread z-score, traded on both legs; get() windows."""
import math
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class ZSpread(bt.Indicator):
    _mindatas = 2
    lines = ('spread', 'zscore')
    params = dict(period=15, ratio=0.1)

    def __init__(self):
        self.l.spread = self.data0.close - self.data1.close * self.p.ratio
        mean = bt.ind.SMA(self.l.spread, period=self.p.period)
        std = bt.ind.StdDev(self.l.spread, period=self.p.period)
        self.l.zscore = (self.l.spread - mean) / std


class Pairs(bt.Strategy):
    def __init__(self):
        self.z = ZSpread(self.data0, self.data1)
        self.multi = bt.ind.SMA(self.data1.volume, period=3)

    def next(self):
        window = self.data0.close.get(ago=-1, size=5)
        if len(self) % 20 == 0:
            print('%s z %.4f spread %.2f window %s vol %.1f' % (self.datetime.date(0), self.z.zscore[0],
                  self.z.spread[0], ' '.join('%.2f' % x for x in window), self.multi[0]))
        z = self.z.zscore[0]
        if math.isnan(z):
            return
        if z > 1.5 and not self.getposition(self.data0):
            self.sell(data=self.data0, size=1)
            self.buy(data=self.data1, size=10)
        elif z < -1.5 and not self.getposition(self.data0):
            self.buy(data=self.data0, size=1)
            self.sell(data=self.data1, size=10)
        elif abs(z) < 0.25 and self.getposition(self.data0):
            self.close(data=self.data0)
            self.close(data=self.data1)

    def notify_trade(self, trade):
        if trade.isclosed:
            print('  %s %s pnl %.2f' % (self.datetime.date(0), trade.data._name, trade.pnl))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='idx')
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt')), name='fut')
    cerebro.broker.setcash(100000)
    cerebro.addstrategy(Pairs)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
