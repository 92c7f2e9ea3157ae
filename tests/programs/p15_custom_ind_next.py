"""Custom indicators computed bar by bar in next(), with their own minimum period."""
import math
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class Streak(bt.Indicator):
    lines = ('streak',)

    def __init__(self):
        self.addminperiod(2)

    def next(self):
        if self.data[0] > self.data[-1]:
            prev = self.lines.streak[-1]
            self.lines.streak[0] = prev + 1 if (not math.isnan(prev) and prev > 0) else 1
        elif self.data[0] < self.data[-1]:
            prev = self.lines.streak[-1]
            self.lines.streak[0] = prev - 1 if (not math.isnan(prev) and prev < 0) else -1
        else:
            self.lines.streak[0] = 0


class RangeRatio(bt.Indicator):
    lines = ('ratio', 'avg')
    params = dict(period=5)

    def __init__(self):
        self.addminperiod(self.p.period)

    def prenext(self):
        self.lines.ratio[0] = -1.0

    def nextstart(self):
        print('RangeRatio nextstart at len %d' % len(self))
        self.next()

    def next(self):
        rng = self.data.high[0] - self.data.low[0]
        body = abs(self.data.close[0] - self.data.open[0])
        self.lines.ratio[0] = body / rng if rng else 0.0
        vals = self.data.close.get(size=self.p.period)
        self.lines.avg[0] = sum(vals) / len(vals)


class Strat(bt.Strategy):
    def __init__(self):
        self.streak = Streak(self.data.close)
        self.rr = RangeRatio(period=4)
        self.sma_streak = bt.ind.SMA(self.streak, period=3)

    def next(self):
        print('%s streak %.0f sma %.3f ratio %.3f avg %.2f' % (self.data.datetime.date(0),
              self.streak[0], self.sma_streak[0], self.rr.ratio[0], self.rr.avg[0]))
        if self.streak[0] <= -3 and not self.position:
            self.buy()
        elif self.streak[0] >= 2 and self.position:
            self.sell()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Strat)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
