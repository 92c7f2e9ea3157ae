"""Cheat-on-close: market orders fill at the close of the bar they were issued on."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class CloseTrader(bt.Strategy):
    def __init__(self):
        self.rsi = bt.ind.RSI_SMA(self.data.close, period=10)

    def next(self):
        if not self.position and self.rsi[0] < 40:
            self.buy(size=3)
        elif self.position and self.rsi[0] > 60:
            self.sell(size=3)

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s %.0f @ %.2f (close %.2f) rsi %.2f' % (
                bt.num2date(order.executed.dt).date(), order.ordtypename(), order.executed.size,
                order.executed.price, self.data.close[0], self.rsi[0]))

    def notify_trade(self, trade):
        if trade.isclosed:
            print('pnl %.2f comm %.2f' % (trade.pnl, trade.commission))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.broker.set_coc(True)
    cerebro.broker.setcommission(commission=2.0, commtype=bt.CommInfoBase.COMM_FIXED, stocklike=True)
    cerebro.addstrategy(CloseTrader)
    cerebro.run()
    print('final value %.2f' % cerebro.broker.getvalue())
