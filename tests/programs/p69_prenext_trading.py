"""Datas that start on different dates: prenext() calls next() and checks each data's length."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class EarlyBird(bt.Strategy):
    def __init__(self):
        self.inds = {d: bt.ind.SMA(d, period=5) for d in self.datas}

    def prenext(self):
        self.next()

    def next(self):
        ready = [d for d in self.datas if len(d) and len(self.inds[d])]
        if len(self) % 10 == 0:
            print('%s len %d ready %s' % (self.datetime.date(0), len(self), ','.join(d._name for d in ready)))
        for d in ready:
            if d.close[0] > self.inds[d][0] and not self.getposition(d):
                self.buy(data=d, size=1)
            elif d.close[0] < self.inds[d][0] and self.getposition(d):
                self.close(data=d)

    def notify_trade(self, trade):
        if trade.isclosed:
            print('%s %s pnl %.2f' % (self.datetime.date(0), trade.data._name, trade.pnl))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    path = os.path.join(DATADIR, '2006-day-001.txt')
    for name, start in (('jan', datetime.datetime(2006, 1, 1)), ('mar', datetime.datetime(2006, 3, 1)),
                        ('jun', datetime.datetime(2006, 6, 1))):
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=path, fromdate=start), name=name)
    cerebro.addstrategy(EarlyBird)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
