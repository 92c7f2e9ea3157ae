"""Indicators created in Strategy.start(), after the data is known."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class LateSetup(bt.Strategy):
    def __init__(self):
        self.fast = bt.ind.SMA(period=5)

    def start(self):
        self.slow = bt.ind.SMA(period=12)
        self.ema = bt.ind.EMA(self.data, period=6)
        print('start: %d datas' % len(self.datas))

    def next(self):
        diff = self.fast[0] - self.slow[0]  # in start() arithmetic is on values, not lines
        print('%s fast %.2f slow %.2f diff %.2f ema %.2f' % (self.data.datetime.date(0), self.fast[0],
              self.slow[0], diff, self.ema[0]))
        if diff > 0 and not self.position:
            self.buy()
        elif diff < 0 and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-week-001.txt')))
    cerebro.addstrategy(LateSetup)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
