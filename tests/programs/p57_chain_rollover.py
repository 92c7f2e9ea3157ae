"""Chained feeds (chaindata) and a rollover of two contracts (rolloverdata)."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Show(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=3)

    def next(self):
        if len(self) % 5 == 0 or len(self) < 3:
            print('%s %s len %d c %.2f sma %.2f' % (self.data._name, self.data.datetime.date(0), len(self.data),
                  self.data.close[0], self.sma[0]))


if __name__ == '__main__':
    path = os.path.join(DATADIR, '2006-day-001.txt')
    cerebro = bt.Cerebro(**MODE)
    d1 = bt.feeds.BacktraderCSVData(dataname=path, todate=datetime.datetime(2006, 3, 31))
    d2 = bt.feeds.BacktraderCSVData(dataname=path, fromdate=datetime.datetime(2006, 3, 15), todate=datetime.datetime(2006, 6, 30))
    cerebro.chaindata(d1, d2, name='chain')
    cerebro.addstrategy(Show)
    cerebro.run()
    cerebro = bt.Cerebro(**MODE)
    f1 = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt'), todate=datetime.datetime(2006, 4, 28))
    f2 = bt.feeds.BacktraderCSVData(dataname=path, todate=datetime.datetime(2006, 8, 31))
    cerebro.rolloverdata(f1, f2, name='roll')
    cerebro.addstrategy(Show)
    cerebro.run()
