"""Partial fills: the FixedBarPerc filler caps each fill at a share of the bar's volume."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class BigOrders(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=5)

    def next(self):
        if self.data.close[0] > self.sma[0] and not self.position:
            self.buy(size=120000)
        elif self.data.close[0] < self.sma[0] and self.position.size > 100000:
            self.close()

    def notify_order(self, order):
        if order.status in (order.Partial, order.Completed):
            print('%s %s %s filled %.0f of %.0f remaining %.0f @ %.2f' % (
                self.data.datetime.date(0), order.ordtypename(), order.getstatusname(),
                order.executed.size, order.size, order.executed.remsize, order.executed.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt')))
    cerebro.broker.setcash(1e9)
    cerebro.broker.set_filler(bt.broker.fillers.FixedBarPerc(perc=25))
    cerebro.addstrategy(BigOrders)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
