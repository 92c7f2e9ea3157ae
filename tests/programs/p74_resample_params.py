"""Resampling options: bar2edge, adjbartime, rightedge, and a compression of 2 weeks and 3 days."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Show(bt.Strategy):
    def next(self):
        print(' | '.join('%s %s %.2f/%.2f/%.2f/%.2f' % (d._name, d.datetime.datetime(0), d.open[0], d.high[0],
                         d.low[0], d.close[0]) for d in self.datas[1:]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'),
                                      todate=__import__('datetime').datetime(2006, 4, 30))
    cerebro.adddata(data, name='d')
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Weeks, compression=2, name='w2')
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Days, compression=3, name='d3', bar2edge=False)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Months, name='m', adjbartime=False)
    cerebro.addstrategy(Show)
    cerebro.run()
