"""A Donchian breakout: Highest/Lowest channels (daily and weekly), CrossUp/CrossDown signals."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Donchian(bt.Strategy):
    params = dict(period=4)

    def __init__(self):
        self.hw = bt.ind.Highest(self.data1.high, period=self.p.period)
        self.hh = bt.ind.Highest(self.data0.high(-1), period=self.p.period * 5)
        self.ll = bt.ind.Lowest(self.data0.low(-1), period=self.p.period * 5)
        self.up = bt.ind.CrossUp(self.data0.close, self.hh)
        self.down = bt.ind.CrossDown(self.data0.close, self.ll)
        self.dmean = bt.ind.Average(self.data0.close, period=3)
        self.pctchg = bt.ind.PercentChange(self.data0.close, period=2)

    def next(self):
        if self.up[0]:
            print('%s breakout %.2f > %.2f chg %.4f weekly high %.2f' % (self.data0.datetime.date(0),
                  self.data0.close[0], self.hh[0], self.pctchg[0], self.hw[0]))
            self.order_target_size(target=2)
        elif self.down[0]:
            print('%s breakdown %.2f < %.2f mean %.2f' % (self.data0.datetime.date(0), self.data0.close[0], self.ll[0], self.dmean[0]))
            self.order_target_size(target=-2)


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2005-2006-day-001.txt'))
    cerebro.adddata(data)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Weeks, name='weekly')
    cerebro.addstrategy(Donchian)
    cerebro.addanalyzer(bt.analyzers.SQN)
    s = cerebro.run()[0]
    print('sqn %.4f final %.2f' % (s.analyzers.sqn.get_analysis().sqn, cerebro.broker.getvalue()))
