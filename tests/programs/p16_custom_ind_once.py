"""A custom indicator with both next() and a vectorised once()."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class WeightedClose(bt.Indicator):
    lines = ('wc', 'slope')
    params = dict(period=3)

    def __init__(self):
        self.addminperiod(self.p.period + 1)

    def next(self):
        self.lines.wc[0] = (self.data.high[0] + self.data.low[0] + 2 * self.data.close[0]) / 4.0
        self.lines.slope[0] = (self.data.close[0] - self.data.close[-self.p.period]) / self.p.period

    def once(self, start, end):
        wc = self.lines.wc.array
        slope = self.lines.slope.array
        h, lo, c = self.data.high.array, self.data.low.array, self.data.close.array
        p = self.p.period
        for i in range(start, end):
            wc[i] = (h[i] + lo[i] + 2 * c[i]) / 4.0
            slope[i] = (c[i] - c[i - p]) / p


class Strat(bt.Strategy):
    def __init__(self):
        self.wc = WeightedClose(period=4)
        self.smooth = bt.ind.WMA(self.wc.slope, period=5)

    def next(self):
        print('%s wc %.3f slope %.3f smooth %.3f' % (self.data.datetime.date(0), self.wc.wc[0],
              self.wc.slope[0], self.smooth[0]))
        if self.smooth[0] > 5 and not self.position:
            self.buy(size=2)
        elif self.smooth[0] < -5 and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Strat)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
