"""Bracket orders: a limit entry with stop-loss and take-profit children."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class BracketTrader(bt.Strategy):
    params = dict(stop=0.02, profit=0.03, limit=0.005, valid=3)

    def __init__(self):
        self.orefs = []
        self.sma = bt.ind.SMA(period=10)

    def notify_order(self, order):
        print('%s ref %d %s %s %s size %.0f price %s exec %.2f' % (
            self.data.datetime.date(0), order.ref, order.ordtypename(), order.getordername(),
            order.getstatusname(), order.size,
            '%.2f' % order.created.price if order.created.price else 'None',
            order.executed.price or 0.0))
        if not order.alive() and order.ref in self.orefs:
            self.orefs.remove(order.ref)

    def next(self):
        if self.orefs or self.position:
            return
        if self.data.close[0] > self.sma[0]:
            p1 = self.data.close[0] * (1.0 - self.p.limit)
            p2 = p1 * (1.0 - self.p.stop)
            p3 = p1 * (1.0 + self.p.profit)
            valid = bt.num2date(self.data.datetime[0]) + __import__('datetime').timedelta(days=self.p.valid)
            os_ = self.buy_bracket(size=7, price=p1, stopprice=p2, limitprice=p3, exectype=bt.Order.Limit, valid=valid)
            self.orefs = [o.ref for o in os_]
        elif self.data.close[0] < self.sma[0] * 0.99:
            os_ = self.sell_bracket(size=3, exectype=bt.Order.Market, stopprice=self.data.close[0] * 1.02,
                                    limitprice=self.data.close[0] * 0.97)
            self.orefs = [o.ref for o in os_]


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(BracketTrader)
    cerebro.run()
    print('final value %.2f' % cerebro.broker.getvalue())
