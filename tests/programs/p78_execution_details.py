"""Execution details users print: executed pnl/psize/pprice, exbits, comminfo costs, order.clone()."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Details(bt.Strategy):
    def __init__(self):
        self.roc = bt.ind.ROC(period=3)

    def next(self):
        if self.roc[0] > 0.01 and self.position.size <= 0:
            self.buy(size=3 if self.position.size == 0 else 6)
        elif self.roc[0] < -0.01 and self.position.size >= 0:
            self.sell(size=3 if self.position.size == 0 else 6)

    def notify_order(self, order):
        if order.status != order.Completed:
            return
        e = order.executed
        ci = self.broker.getcommissioninfo(order.data)
        print('%s %s size %+.0f price %.2f value %.2f comm %.4f pnl %.2f psize %+.0f pprice %.2f margin %s' % (
            self.datetime.date(0), order.ordtypename(), e.size, e.price, e.value, e.comm, e.pnl,
            e.psize, e.pprice, e.margin))
        for bit in e.exbits:
            print('   bit size %+.0f price %.2f closed %+.0f opened %+.0f pnl %.2f' % (
                bit.size, bit.price, bit.closed, bit.opened, bit.pnl))
        print('   cost %.4f valuesize %.4f clone ref %s same %s' % (
            ci.getoperationcost(e.size, e.price), ci.getvaluesize(e.size, e.price),
            order.clone().ref == order.ref, order.clone() is order))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-month-001.txt')))
    cerebro.broker.setcash(100000)
    cerebro.broker.setcommission(commission=0.001)
    cerebro.addstrategy(Details)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
