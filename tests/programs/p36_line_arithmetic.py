"""Line arithmetic and logic: comparisons, bt.If/And/Or/Max/Min/Cmp, delayed lines."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Logic(bt.Strategy):
    def __init__(self):
        c = self.data.close
        self.up = c > c(-1)
        self.up2 = bt.And(self.up, c(-1) > c(-2))
        self.either = bt.Or(c > bt.ind.SMA(period=10), self.data.volume > 0)
        self.clipped = bt.Max(bt.Min(c - c(-5), 50.0), -50.0)
        self.signed = bt.If(c > self.data.open, c - self.data.open, -(self.data.open - c) * 2)
        self.cmp = bt.Cmp(c, bt.ind.EMA(period=5))
        self.ratio = c / self.data.open - 1.0
        self.absdiff = abs(c - c(-1))
        self.sumhl = bt.Sum(self.data.high, self.data.low) if hasattr(bt, 'Sum') else self.data.high + self.data.low
        self.neg = -self.clipped
        self.pw = self.ratio * self.ratio * 10000

    def next(self):
        print('%s up %d up2 %d either %d clip %.2f signed %.2f cmp %d ratio %.5f abs %.2f sumhl %.2f neg %.2f pw %.4f' % (
            self.data.datetime.date(0), self.up[0], self.up2[0], self.either[0], self.clipped[0],
            self.signed[0], self.cmp[0], self.ratio[0], self.absdiff[0], self.sumhl[0], self.neg[0], self.pw[0]))
        if self.up2[0] and not self.position:
            self.buy()
        elif self.cmp[0] < 0 and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-002.txt')))
    cerebro.addstrategy(Logic)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
