"""A custom commission scheme (percentage with a minimum) and a fixed-per-share one."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class MinPercComm(bt.CommInfoBase):
    params = (('stocklike', True), ('commtype', bt.CommInfoBase.COMM_PERC),
              ('percabs', True), ('minimum', 6.0))

    def _getcommission(self, size, price, pseudoexec):
        return max(abs(size) * price * self.p.commission, self.p.minimum)


class Strat(bt.Strategy):
    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=5), bt.ind.SMA(period=15))

    def next(self):
        if self.cross > 0:
            self.buy(size=3)
        elif self.cross < 0 and self.position:
            self.close()

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s size %.0f price %.2f comm %.4f' % (self.data.datetime.date(0),
                  order.ordtypename(), order.executed.size, order.executed.price, order.executed.comm))

    def notify_trade(self, trade):
        if trade.isclosed:
            print('trade pnl %.2f pnlcomm %.2f comm %.4f' % (trade.pnl, trade.pnlcomm, trade.commission))


if __name__ == '__main__':
    for scheme in ('custom', 'fixed', 'perc'):
        cerebro = bt.Cerebro(**MODE)
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
        if scheme == 'custom':
            cerebro.broker.addcommissioninfo(MinPercComm(commission=0.0005))
        elif scheme == 'fixed':
            cerebro.broker.setcommission(commission=1.5, commtype=bt.CommInfoBase.COMM_FIXED, stocklike=True)
        else:
            cerebro.broker.setcommission(commission=0.25, percabs=False)
        cerebro.addstrategy(Strat)
        cerebro.run()
        print('%s final %.2f cash %.2f' % (scheme, cerebro.broker.getvalue(), cerebro.broker.getcash()))
