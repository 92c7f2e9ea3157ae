"""Broker slippage settings: percentage, fixed, on open, matched to the bar."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Trader(bt.Strategy):
    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.EMA(period=5), bt.ind.EMA(period=15))

    def next(self):
        if self.cross > 0:
            self.buy(size=1)
            self.buy(size=1, exectype=bt.Order.Limit, price=self.data.close[0] * 1.002)
        elif self.cross < 0 and self.position:
            self.close()
            self.sell(size=1, exectype=bt.Order.Stop, price=self.data.close[0] * 0.995)

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s %s %.0f @ %.4f' % (self.data.datetime.date(0), order.getordername(),
                  order.ordtypename(), order.executed.size, order.executed.price))


if __name__ == '__main__':
    for kw in (dict(slip_perc=0.001), dict(slip_fixed=2.5), dict(slip_perc=0.002, slip_open=True),
               dict(slip_perc=0.01, slip_match=False), dict(slip_fixed=3.0, slip_limit=False, slip_out=True)):
        cerebro = bt.Cerebro(**MODE)
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
        cerebro.broker = bt.brokers.BackBroker(**kw)
        cerebro.addstrategy(Trader)
        cerebro.run()
        print('%s final %.4f' % (sorted(kw.items()), cerebro.broker.getvalue()))
