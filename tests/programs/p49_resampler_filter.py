"""Resampling through a filter class imported from backtrader's top level."""
import datetime
from backtrader import ResamplerDaily
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Show(bt.Strategy):
    def __init__(self):
        self.ema = bt.ind.EMA(period=3)

    def next(self):
        print('%s o %.2f h %.2f l %.2f c %.2f ema %.2f' % (self.data.datetime.datetime(0), self.data.open[0],
              self.data.high[0], self.data.low[0], self.data.close[0], self.ema[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5,
                                      todate=datetime.datetime(2006, 1, 20))
    data.addfilter(ResamplerDaily)
    cerebro.adddata(data)
    cerebro.addstrategy(Show)
    cerebro.run()
