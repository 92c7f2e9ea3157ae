"""Analyzers read during the run: the strategy stops trading after a drawdown."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class SelfAware(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=7)
        self.halted = False

    def next(self):
        dd = self.analyzers.dd.get_analysis()
        ta = self.analyzers.ta.get_analysis()
        closed = ta.total.closed if 'total' in ta and 'closed' in ta.total else 0
        if len(self) % 20 == 0:
            print('%s dd %.4f maxdd %.4f closed %d' % (self.data.datetime.date(0), dd.drawdown,
                  dd.max.drawdown, closed))
        if self.halted:
            return
        if dd.max.drawdown > 0.8:
            print('halting at %s' % self.data.datetime.date(0))
            self.halted = True
            self.close()
            return
        if self.data.close[0] > self.sma[0] and not self.position:
            self.buy(size=3)
        elif self.data.close[0] < self.sma[0] and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(SelfAware)
    cerebro.addanalyzer(bt.analyzers.DrawDown, _name='dd')
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
