"""Limit, Stop, StopLimit and Close orders with validity, plus a cancel."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Orders(bt.Strategy):
    def __init__(self):
        self.count = 0
        self.open_orders = []

    def notify_order(self, order):
        if order.status in (order.Submitted, order.Accepted):
            return
        print('%s ref %d %s %s status %s size %.0f price %.2f' % (
            self.data.datetime.date(0), order.ref, order.ordtypename(), order.getordername(),
            order.getstatusname(), order.executed.size, order.executed.price))

    def next(self):
        self.count += 1
        c = self.data.close[0]
        n = self.count % 40
        if n == 1:
            self.buy(exectype=bt.Order.Limit, price=c * 0.99, valid=datetime.timedelta(days=4), size=1)
        elif n == 6:
            self.sell(exectype=bt.Order.Stop, price=c * 0.985, size=1)
        elif n == 12:
            self.buy(exectype=bt.Order.StopLimit, price=c * 1.005, plimit=c * 1.01, size=1,
                     valid=self.data.datetime.date(0) + datetime.timedelta(days=10))
        elif n == 18:
            self.sell(exectype=bt.Order.Close, size=1)
        elif n == 24:
            o = self.buy(exectype=bt.Order.Limit, price=c * 0.9, size=1)
            self.open_orders.append(o)
        elif n == 26:
            for o in self.open_orders:
                self.cancel(o)
            self.open_orders = []
        elif n == 30:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Orders)
    cerebro.run()
    print('final %.2f position %d' % (cerebro.broker.getvalue(), cerebro.broker.getposition(cerebro.datas[0]).size))
