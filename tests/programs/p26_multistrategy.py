"""Two strategies on the same data in one Cerebro, each with its own sizing."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Trend(bt.Strategy):
    def __init__(self):
        self.ema = bt.ind.EMA(period=20)

    def next(self):
        if self.data.close[0] > self.ema[0] and not self.position:
            self.buy(size=2)
        elif self.data.close[0] < self.ema[0] and self.position:
            self.close()

    def notify_trade(self, trade):
        if trade.isclosed:
            print('Trend trade %d pnl %.2f' % (trade.ref, trade.pnl))

    def stop(self):
        print('Trend position %d' % self.position.size)


class Reversion(bt.Strategy):
    params = dict(period=10)

    def __init__(self):
        self.boll = bt.ind.BollingerBands(period=self.p.period, devfactor=1.5)

    def next(self):
        if self.data.close[0] < self.boll.bot[0] and not self.position:
            self.buy(size=1)
        elif self.data.close[0] > self.boll.mid[0] and self.position:
            self.sell(size=1)

    def notify_order(self, order):
        if order.status == order.Completed:
            print('Reversion %s %.2f' % (order.ordtypename(), order.executed.price))

    def stop(self):
        print('Reversion position %d' % self.position.size)


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Trend)
    cerebro.addstrategy(Reversion, period=14)
    cerebro.addanalyzer(bt.analyzers.SQN)
    results = cerebro.run()
    for s in results:
        print('%s sqn %.4f trades %d' % (type(s).__name__, s.analyzers.sqn.get_analysis().sqn,
                                         s.analyzers.sqn.get_analysis().trades))
    print('broker position %d final %.2f' % (cerebro.broker.getposition(cerebro.datas[0]).size,
                                             cerebro.broker.getvalue()))
