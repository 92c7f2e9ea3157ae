"""The bt line functions: DivByZero, DivZeroByZero, Sum, Max/Min over several lines, Cmp, If nested."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Funcs(bt.Strategy):
    def __init__(self):
        d = self.data
        rng = d.high - d.low
        self.body = bt.DivByZero(d.close - d.open, rng, zero=0.0)
        self.ratio = bt.DivZeroByZero(d.close - d.close(-1), d.close(-1) - d.close(-2), single=99.0, dual=-1.0)
        self.top = bt.Max(d.open, d.close, bt.ind.SMA(period=3))
        self.bottom = bt.Min(d.open, d.close)
        self.total = bt.Sum(d.open, d.high, d.low, d.close) / 4.0
        self.regime = bt.If(self.body > 0.5, 1.0, bt.If(self.body < -0.5, -1.0, 0.0))
        self.cmp = bt.Cmp(self.total, d.close)
        self.any = bt.Or(self.regime > 0, self.cmp > 0)

    def next(self):
        if len(self) % 6 == 0:
            print('%s body %.4f ratio %.4f top %.2f bottom %.2f total %.3f regime %.0f cmp %d any %d' % (
                self.datetime.date(0), self.body[0], self.ratio[0], self.top[0], self.bottom[0],
                self.total[0], self.regime[0], self.cmp[0], self.any[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Funcs)
    cerebro.run()
