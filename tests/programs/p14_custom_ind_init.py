"""Custom indicators declared in __init__ with line arithmetic and plotinfo."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class Spread(bt.Indicator):
    lines = ('spread', 'signal',)
    params = (('period', 14), ('mult', 2.0))
    plotinfo = dict(subplot=True, plotname='spread')
    plotlines = dict(signal=dict(ls='--'))

    def __init__(self):
        mid = (self.data.high + self.data.low) / 2.0
        self.lines.spread = self.data.close - mid
        self.lines.signal = bt.ind.EMA(self.lines.spread, period=self.p.period) * self.p.mult


class Channel(bt.Indicator):
    lines = ('top', 'mid', 'bot')
    params = dict(period=20, devfactor=1.5)

    def __init__(self):
        self.l.mid = bt.ind.SMA(self.data, period=self.p.period)
        dev = bt.ind.StdDev(self.data, period=self.p.period) * self.p.devfactor
        self.l.top = self.l.mid + dev
        self.l.bot = self.l.mid - dev
        super(Channel, self).__init__()


class UseThem(bt.Strategy):
    def __init__(self):
        self.spread = Spread(period=7)
        self.chan = Channel(self.data.close, period=15)
        self.width = self.chan.top - self.chan.bot

    def next(self):
        print('%s spread %.3f signal %.3f chan %.2f/%.2f/%.2f width %.2f' % (
            self.data.datetime.date(0), self.spread.spread[0], self.spread.signal[0],
            self.chan.top[0], self.chan.mid[0], self.chan.bot[0], self.width[0]))
        if self.data.close[0] < self.chan.bot[0] and not self.position:
            self.buy()
        elif self.data.close[0] > self.chan.top[0] and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(UseThem)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
