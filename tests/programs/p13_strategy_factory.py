"""optstrategy with a strategy factory whose __new__ picks the strategy class."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))
MODES = ('runonce', 'nopreload')


class LongOnly(bt.Strategy):
    params = dict(period=10)

    def __init__(self):
        self.sma = bt.ind.SMA(period=self.p.period)

    def next(self):
        if not self.position and self.data.close[0] > self.sma[0]:
            self.buy(size=2)
        elif self.position and self.data.close[0] < self.sma[0]:
            self.close()


class ShortOnly(LongOnly):
    def next(self):
        if not self.position and self.data.close[0] < self.sma[0]:
            self.sell(size=2)
        elif self.position and self.data.close[0] > self.sma[0]:
            self.close()


class StFactory(object):
    def __new__(cls, *args, **kwargs):
        kind = kwargs.pop('kind')
        return (LongOnly if kind == 'long' else ShortOnly)(*args, **kwargs)


if __name__ == '__main__':
    cerebro = bt.Cerebro(maxcpus=1, optreturn=False, **MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.optstrategy(StFactory, kind=['long', 'short'], period=[10, 20])
    cerebro.addanalyzer(bt.analyzers.Returns, _name='ret')
    for run in cerebro.run():
        s = run[0]
        print('%s period %d rtot %.6f final %.2f' % (type(s).__name__, s.p.period,
              s.analyzers.ret.get_analysis()['rtot'], s.broker.getvalue()))
