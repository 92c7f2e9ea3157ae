"""Introspecting a strategy: getindicators() on indicators and on lazy line operations."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Inspect(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=5)
        self.diff = self.data.close - self.sma
        self.macd = bt.ind.MACD()

    def start(self):
        print('diff sub-indicators', len(self.diff.getindicators()))
        print('strategy indicators', len(self.getindicators()) > 0)
        print('sma is indicator', isinstance(self.sma, bt.Indicator))

    def next(self):
        if len(self) % 25 == 0:
            print('%s diff %.3f macd %.3f' % (self.data.datetime.date(0), self.diff[0], self.macd.macd[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Inspect)
    cerebro.run()
