"""PercentSizer on a strategy that goes long and short: in a position the sizer returns its size."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Flip(bt.Strategy):
    def __init__(self):
        self.orders_sent = False
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=8), bt.ind.SMA(period=21))

    def next(self):
        if not self.position and not self.orders_sent:  # open short first: the next buy()
            self.orders_sent = True                     # gets the (negative) position size
            self.sell()
        elif self.cross > 0:
            self.buy()
        elif self.cross < 0:
            self.sell()

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s size %+.4f price %.2f position %+.4f' % (self.data.datetime.date(0),
                  order.ordtypename(), order.executed.size, order.executed.price, self.position.size))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Flip)
    cerebro.addsizer(bt.sizers.PercentSizer, percents=30)
    cerebro.run()
    print('final %.4f position %+.4f' % (cerebro.broker.getvalue(), cerebro.broker.getposition(cerebro.datas[0]).size))
