"""plotinfo/plotlines read and set the way plotting code and users touch them."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Osc(bt.Indicator):
    lines = ('osc', 'sig')
    params = dict(period=8)
    plotinfo = dict(plotname='my osc', subplot=True, plotyhlines=[0.0])
    plotlines = dict(sig=dict(ls='--', color='black'))

    def __init__(self):
        self.l.osc = self.data - bt.ind.SMA(self.data, period=self.p.period)
        self.l.sig = bt.ind.EMA(self.l.osc, period=3)


class Strat(bt.Strategy):
    def __init__(self):
        self.osc = Osc()
        self.rsi = bt.ind.RSI(period=10)
        self.rsi.plotlines.rsi.color = 'red'
        self.osc.plotlines.osc._name = 'oscillator'
        print('osc plotname', self.osc.plotinfo.plotname, 'subplot', self.osc.plotinfo.subplot)
        print('sig ls', self.osc.plotlines.sig.ls, 'color', self.osc.plotlines.sig.color)
        print('rsi color', self.rsi.plotlines.rsi.color, 'osc name', self.osc.plotlines.osc._name)
        print('rsi plotinfo', self.rsi.plotinfo.plot, self.rsi.plotinfo.subplot)

    def next(self):
        if len(self) % 10 == 0:
            print('%s osc %.3f sig %.3f rsi %.3f' % (self.data.datetime.date(0), self.osc.osc[0],
                  self.osc.sig[0], self.rsi[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Strat)
    cerebro.run()
