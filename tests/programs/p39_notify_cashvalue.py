"""notify_cashvalue and notify_fund on every bar, notify_order for a short sale."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Watch(bt.Strategy):
    def __init__(self):
        self.seen = 0
        self.roc = bt.ind.RateOfChange(period=5)

    def notify_cashvalue(self, cash, value):
        self.seen += 1
        if self.seen % 15 == 1:
            print('cashvalue %d cash %.2f value %.2f' % (self.seen, cash, value))

    def notify_fund(self, cash, value, fundvalue, shares):
        if self.seen % 15 == 1:
            print('fund cash %.2f value %.2f fundvalue %.4f shares %.4f' % (cash, value, fundvalue, shares))

    def next(self):
        if self.roc[0] < -0.02 and not self.position:
            self.sell(size=2)
        elif self.roc[0] > 0.02 and self.position:
            self.close()

    def notify_order(self, order):
        print('%s order %d %s %s' % (self.data.datetime.date(0), order.ref, order.ordtypename(), order.getstatusname()))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Watch)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
