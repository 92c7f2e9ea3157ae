"""Trailing stops: StopTrail by amount and by percent, and a StopTrailLimit."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Trailer(bt.Strategy):
    params = dict(kind='amount')

    def __init__(self):
        self.cross = bt.ind.CrossOver(self.data.close, bt.ind.SMA(period=20))
        self.stop_order = None

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s %s %.0f @ %.2f' % (self.p.kind, self.data.datetime.date(0),
                  order.getordername(), order.executed.size, order.executed.price))
            if order is self.stop_order:
                self.stop_order = None

    def next(self):
        if not self.position:
            if self.cross > 0:
                self.buy(size=1)
        elif self.stop_order is None:
            if self.p.kind == 'amount':
                self.stop_order = self.sell(size=1, exectype=bt.Order.StopTrail, trailamount=25.0)
            elif self.p.kind == 'percent':
                self.stop_order = self.sell(size=1, exectype=bt.Order.StopTrail, trailpercent=0.015)
            else:
                self.stop_order = self.sell(size=1, exectype=bt.Order.StopTrailLimit,
                                            trailamount=30.0, plimit=self.data.close[0] - 60)
        elif self.stop_order is not None and len(self) % 5 == 0:
            print('  trailing stop at %.2f' % self.stop_order.created.price)


if __name__ == '__main__':
    for kind in ('amount', 'percent', 'limit'):
        cerebro = bt.Cerebro(**MODE)
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
        cerebro.addstrategy(Trailer, kind=kind)
        cerebro.run()
        print('%s final value %.2f' % (kind, cerebro.broker.getvalue()))
