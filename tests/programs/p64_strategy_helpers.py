"""Strategy helpers users call: getdatanames, getpositionbyname, get_orders_open, setsizer, env."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Helpers(bt.Strategy):
    def __init__(self):
        self.setsizer(bt.sizers.FixedSize(stake=3))
        self.sma = {d._name: bt.ind.SMA(d, period=10) for d in self.datas}
        print('datanames', self.getdatanames())
        print('sizer stake', self.getsizer().p.stake)

    def next(self):
        for name in self.getdatanames():
            d = self.getdatabyname(name)
            pos = self.getpositionbyname(name)
            if d.close[0] > self.sma[name][0] and not pos:
                self.buy(data=d, exectype=bt.Order.Limit, price=d.close[0] * 0.995, valid=bt.Order.DAY)
            elif d.close[0] < self.sma[name][0] and pos:
                self.close(data=d)
        if len(self) % 30 == 0:
            opens = self.broker.get_orders_open()
            print('%s open orders %d positions %s cash %.2f' % (self.datetime.date(0), len(opens),
                  ' '.join('%s:%d' % (d._name, p.size) for d, p in self.getpositions().items()),
                  self.env.broker.getcash()))

    def notify_order(self, order):
        if order.status in (order.Completed, order.Expired, order.Canceled):
            print('%s %s %s %s' % (self.datetime.date(0), order.data._name, order.ordtypename(), order.getstatusname()))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='es')
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt')), name='fut')
    cerebro.addstrategy(Helpers)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
