"""stdstats off, a hand-picked set of observers (addobservermulti, DrawDown, TimeReturn) read at the end."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Trader(bt.Strategy):
    def __init__(self):
        self.wr = bt.ind.WilliamsR(period=10)

    def next(self):
        if self.wr[0] < -80 and not self.position:
            self.buy(data=self.data0, size=2)
        elif self.wr[0] > -20 and self.position:
            self.close(data=self.data0)

    def stop(self):
        dd = self.stats.drawdown
        print('drawdown %.4f maxdrawdown %.4f' % (dd.drawdown[0], dd.maxdrawdown[0]))
        print('timereturn last %.6f' % self.stats.timereturn.timereturn[0])
        print('buysell observers %d' % sum(1 for o in self.observers if type(o).__name__ == 'BuySell'))


if __name__ == '__main__':
    cerebro = bt.Cerebro(stdstats=False, **MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-002.txt')))
    cerebro.addobserver(bt.observers.Broker)
    cerebro.addobservermulti(bt.observers.BuySell, barplot=True, bardist=0.02)
    cerebro.addobserver(bt.observers.DrawDown)
    cerebro.addobserver(bt.observers.TimeReturn, timeframe=bt.TimeFrame.Months)
    cerebro.addstrategy(Trader)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
