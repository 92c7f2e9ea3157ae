"""A future with margin and multiplier: cash moves with the margin, value with the price."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class FutTrader(bt.Strategy):
    def __init__(self):
        self.mom = bt.ind.MomentumOscillator(period=10)

    def next(self):
        if len(self) % 25 == 0:
            print('%s close %.2f cash %.2f value %.2f pos %d' % (self.data.datetime.date(0),
                  self.data.close[0], self.broker.getcash(), self.broker.getvalue(), self.position.size))
        if self.mom[0] > 101 and self.position.size <= 0:
            self.order_target_size(target=2)
        elif self.mom[0] < 99 and self.position.size >= 0:
            self.order_target_size(target=-1)

    def notify_order(self, order):
        if order.status == order.Completed:
            print('  %s %+.0f @ %.2f comm %.2f margin %.2f' % (order.ordtypename(), order.executed.size,
                  order.executed.price, order.executed.comm, order.executed.margin or 0.0))
        elif order.status in (order.Margin, order.Rejected):
            print('  order %s' % order.getstatusname())

    def notify_trade(self, trade):
        if trade.isclosed:
            print('  trade pnl %.2f net %.2f' % (trade.pnl, trade.pnlcomm))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt')), name='FUT')
    cerebro.broker.setcash(20000)
    cerebro.broker.setcommission(commission=2.0, margin=2000.0, mult=10.0, name='FUT')
    cerebro.addstrategy(FutTrader)
    cerebro.run()
    print('final value %.2f cash %.2f' % (cerebro.broker.getvalue(), cerebro.broker.getcash()))
