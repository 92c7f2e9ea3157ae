"""Cheat-on-open: orders sized in next_open with the day's opening price."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class OpenSizer(bt.Strategy):
    params = dict(period=15)

    def __init__(self):
        self.sma = bt.ind.SMA(period=self.p.period)
        self.cross = bt.ind.CrossOver(self.data.close, self.sma)

    def next(self):
        print('next %s close %.2f sma %.2f' % (self.data.datetime.date(0), self.data.close[0], self.sma[0]))

    def next_open(self):
        print('next_open %s open %.2f sma[0] %.2f sma[-1] %.2f cross %.1f len %d/%d' % (
            self.data.datetime.date(0), self.data.open[0], self.sma[0], self.sma[-1],
            self.cross[0], len(self), len(self.data)))
        if self.cross[0] > 0 and not self.position:
            size = int(self.broker.getcash() / self.data.open[0])
            self.buy(size=size)
        elif self.cross[0] < 0 and self.position:
            self.close()

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s size %d at %.2f' % (self.data.datetime.date(0),
                  'BUY' if order.isbuy() else 'SELL', order.executed.size, order.executed.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(cheat_on_open=True, **MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(OpenSizer)
    cerebro.broker.setcash(50000)
    cerebro.run()
    print('final value %.2f cash %.2f' % (cerebro.broker.getvalue(), cerebro.broker.getcash()))
