"""A moving-average crossover trading one daily feed with market orders."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class SmaCross(bt.Strategy):
    params = (('fast', 10), ('slow', 30), ('printlog', True))

    def log(self, txt):
        if self.p.printlog:
            print('%s %s' % (self.datas[0].datetime.date(0).isoformat(), txt))

    def __init__(self):
        self.dataclose = self.datas[0].close
        self.order = None
        self.fast = bt.ind.SMA(period=self.p.fast)
        self.slow = bt.indicators.SimpleMovingAverage(self.data, period=self.p.slow)
        self.crossover = bt.ind.CrossOver(self.fast, self.slow)

    def notify_order(self, order):
        if order.status in [order.Submitted, order.Accepted]:
            return
        if order.status == order.Completed:
            side = 'BUY' if order.isbuy() else 'SELL'
            self.log('%s EXECUTED ref %d, price %.2f, cost %.2f, comm %.2f'
                     % (side, order.ref, order.executed.price, order.executed.value,
                        order.executed.comm))
        elif order.status in [order.Canceled, order.Margin, order.Rejected]:
            self.log('Order %s' % order.getstatusname())
        self.order = None

    def notify_trade(self, trade):
        if not trade.isclosed:
            return
        self.log('OPERATION PROFIT, GROSS %.2f, NET %.2f, bars %d'
                 % (trade.pnl, trade.pnlcomm, trade.barlen))

    def next(self):
        self.log('Close %.2f fast %.2f slow %.2f' % (self.dataclose[0], self.fast[0], self.slow[0]))
        if self.order:
            return
        if not self.position:
            if self.crossover > 0:
                self.log('BUY CREATE, %.2f' % self.dataclose[0])
                self.order = self.buy()
        elif self.crossover < 0:
            self.log('SELL CREATE, %.2f' % self.dataclose[0])
            self.order = self.sell()

    def stop(self):
        print('(fast %d, slow %d) Ending Value %.2f' % (self.p.fast, self.p.slow, self.broker.getvalue()))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.addstrategy(SmaCross)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'))
    cerebro.adddata(data)
    cerebro.broker.setcash(100000.0)
    cerebro.addsizer(bt.sizers.FixedSize, stake=10)
    cerebro.broker.setcommission(commission=0.001)
    print('Starting Portfolio Value: %.2f' % cerebro.broker.getvalue())
    cerebro.run()
    print('Final Portfolio Value: %.2f' % cerebro.broker.getvalue())
