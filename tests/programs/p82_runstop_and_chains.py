"""Orders placed from notify_order (an exit on every fill) and cerebro.runstop() after 4 trades."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Chain(bt.Strategy):
    def __init__(self):
        self.ema = bt.ind.EMA(period=8)
        self.closed = 0
        self.pending = False

    def next(self):
        if not self.position and not self.pending and self.data.close[0] > self.ema[0]:
            self.buy(size=2)
            self.pending = True

    def notify_order(self, order):
        if order.status != order.Completed:
            return
        print('%s %s %.2f' % (self.datetime.date(0), order.ordtypename(), order.executed.price))
        if order.isbuy():  # the exit goes out as soon as the entry fills
            self.sell(size=2, exectype=bt.Order.Limit, price=order.executed.price * 1.015)
        else:
            self.pending = False

    def notify_trade(self, trade):
        if trade.isclosed:
            self.closed += 1
            print('trade %d pnl %.2f' % (self.closed, trade.pnl))
            if self.closed == 4:
                print('stopping at %s' % self.datetime.date(0))
                self.env.runstop()

    def stop(self):
        print('stop() at bar %d' % len(self))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Chain)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
