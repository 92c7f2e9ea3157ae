"""A zero-distance trailing stop (trailamount=0 / trailpercent=0) as a tight exit."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class ZeroTrail(bt.Strategy):
    params = dict(kind='amount')

    def next(self):
        if not self.position and len(self) % 15 == 1:
            self.buy(size=1)
            if self.p.kind == 'amount':
                self.sell(size=1, exectype=bt.Order.StopTrail, trailamount=0.0)
            else:
                self.sell(size=1, exectype=bt.Order.StopTrail, trailpercent=0.0)

    def notify_order(self, order):
        if order.status in (order.Completed, order.Rejected, order.Margin):
            print('%s %s %s %s %.0f @ %.2f' % (self.p.kind, self.data.datetime.date(0), order.getordername(),
                  order.getstatusname(), order.executed.size, order.executed.price))


if __name__ == '__main__':
    for kind in ('amount', 'percent'):
        cerebro = bt.Cerebro(**MODE)
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
        cerebro.addstrategy(ZeroTrail, kind=kind)
        cerebro.run()
        print('%s final %.2f' % (kind, cerebro.broker.getvalue()))
