"""Orders the broker refuses: not enough cash (Margin), checksubmit off, shortcash off."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Greedy(bt.Strategy):
    def next(self):
        if len(self) in (3, 40, 80):
            self.buy(size=5)
        if len(self) == 60:
            self.sell(size=8)
        if len(self) == 100:
            self.close()

    def notify_order(self, order):
        if order.status not in (order.Submitted, order.Accepted):
            print('%s ref %d %s %s cash %.2f' % (self.data.datetime.date(0), order.ref,
                  order.ordtypename(), order.getstatusname(), self.broker.getcash()))


if __name__ == '__main__':
    for kw in (dict(), dict(checksubmit=False), dict(shortcash=False)):
        cerebro = bt.Cerebro(**MODE)
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
        cerebro.broker = bt.brokers.BackBroker(cash=15000, **kw)
        cerebro.addstrategy(Greedy)
        cerebro.run()
        print('%s final %.2f cash %.2f' % (sorted(kw.items()), cerebro.broker.getvalue(), cerebro.broker.getcash()))
