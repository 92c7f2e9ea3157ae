"""Two systems on one data, kept apart with tradeid: each trade closes its own part."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class TwoSystems(bt.Strategy):
    def __init__(self):
        self.fast = bt.ind.CrossOver(bt.ind.EMA(period=5), bt.ind.EMA(period=12))
        self.slow = bt.ind.CrossOver(bt.ind.SMA(period=15), bt.ind.SMA(period=40))
        self.held = {1: False, 2: False}

    def next(self):
        for tid, cross, size in ((1, self.fast, 2), (2, self.slow, 5)):
            if cross > 0 and not self.held[tid]:
                self.buy(size=size, tradeid=tid)
                self.held[tid] = True
            elif cross < 0 and self.held[tid]:
                self.sell(size=size, tradeid=tid)
                self.held[tid] = False

    def notify_trade(self, trade):
        print('%s tradeid %d %s size %.0f pnl %.2f barlen %d' % (self.datetime.date(0), trade.tradeid,
              'closed' if trade.isclosed else 'open', trade.size, trade.pnl, trade.barlen))

    def stop(self):
        print('position %d' % self.position.size)


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(TwoSystems)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    s = cerebro.run()[0]
    ta = s.analyzers.ta.get_analysis()
    print('closed %d won %d lost %d net %.2f' % (ta.total.closed, ta.won.total, ta.lost.total, ta.pnl.net.total))
