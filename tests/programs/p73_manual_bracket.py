"""A bracket built by hand: parent with transmit=False, stop and limit children with parent=."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class HandBracket(bt.Strategy):
    def __init__(self):
        self.live = []
        self.atr = bt.ind.ATR(period=10)

    def next(self):
        if self.live or self.position:
            return
        c = self.data.close[0]
        main = self.buy(exectype=bt.Order.Limit, price=c * 0.998, size=2, transmit=False)
        stop = self.sell(exectype=bt.Order.Stop, price=c - 2 * self.atr[0], size=2, parent=main, transmit=False)
        take = self.sell(exectype=bt.Order.Limit, price=c + 3 * self.atr[0], size=2, parent=main, transmit=True)
        self.live = [main, stop, take]

    def notify_order(self, order):
        if order.status in (order.Submitted, order.Accepted):
            return
        print('%s ref %d %s %s %s @ %.2f' % (self.datetime.date(0), order.ref, order.ordtypename(),
              order.getordername(), order.getstatusname(), order.executed.price))
        if not order.alive():
            self.live = [o for o in self.live if o.alive()]


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(HandBracket)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
