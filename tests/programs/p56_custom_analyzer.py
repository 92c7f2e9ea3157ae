"""A user analyzer (notify_trade/next/stop) and a user observer, with per-data sizers."""
import math
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Exposure(bt.Analyzer):
    params = dict(verbose=False)

    def start(self):
        self.bars = 0
        self.inmarket = 0
        self.trades = []

    def notify_trade(self, trade):
        if trade.isclosed:
            self.trades.append(round(trade.pnlcomm, 4))

    def next(self):
        self.bars += 1
        if any(self.strategy.getposition(d).size for d in self.datas):
            self.inmarket += 1

    def stop(self):
        self.rets['exposure'] = self.inmarket / float(self.bars or 1)
        self.rets['trades'] = self.trades

    def get_analysis(self):
        return self.rets


class Spread(bt.Observer):
    lines = ('spread',)
    plotinfo = dict(plot=True, subplot=True)

    def next(self):
        self.lines.spread[0] = self.datas[0].close[0] - self.datas[1].close[0] * 0.1


class Strat(bt.Strategy):
    def __init__(self):
        self.mom0 = bt.ind.Momentum(self.data0, period=7)
        self.mom1 = bt.ind.Momentum(self.data1, period=7)

    def next(self):
        for d, m in ((self.data0, self.mom0), (self.data1, self.mom1)):
            if m[0] > 0 and not self.getposition(d):
                self.buy(data=d)
            elif m[0] < 0 and self.getposition(d):
                self.close(data=d)


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='a')
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt')), name='b')
    cerebro.addsizer_byidx(0, bt.sizers.FixedSize, stake=2)
    cerebro.addsizer_byidx(1, bt.sizers.FixedSize, stake=5)
    cerebro.addanalyzer(Exposure, _name='exp', verbose=True)
    cerebro.addobserver(Spread)
    cerebro.addstrategy(Strat)
    s = cerebro.run()[0]
    a = s.analyzers.exp.get_analysis()
    print('exposure %.4f trades %d sum %.4f' % (a['exposure'], len(a['trades']), math.fsum(a['trades'])))
    print('spread last %.4f' % s.observers[-1].spread[0])
    print('final %.2f' % cerebro.broker.getvalue())
