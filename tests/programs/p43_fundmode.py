"""Fund mode: value per share, FundValue/FundShares observers, cash added mid-run."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Fund(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=10)

    def next(self):
        if len(self) == 60:
            self.broker.add_cash(5000)
            print('added cash at %s' % self.data.datetime.date(0))
        if len(self) % 30 == 0:
            print('%s value %.2f fundvalue %.4f shares %.4f' % (self.data.datetime.date(0),
                  self.broker.getvalue(), self.broker.get_fundvalue(), self.broker.get_fundshares()))
        if self.data.close[0] > self.sma[0] and not self.position:
            self.order_target_percent(target=0.8)
        elif self.data.close[0] < self.sma[0] and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.broker.set_fundmode(True, fundstartval=10.0)
    cerebro.addobserver(bt.observers.FundValue)
    cerebro.addobserver(bt.observers.FundShares)
    cerebro.addanalyzer(bt.analyzers.TimeReturn, _name='tr', timeframe=bt.TimeFrame.Months, fund=True)
    cerebro.addanalyzer(bt.analyzers.Returns, _name='ret', fund=True)
    cerebro.addstrategy(Fund)
    s = cerebro.run()[0]
    for k, v in s.analyzers.tr.get_analysis().items():
        print('%s %.6f' % (k.date(), v))
    print('rtot %.6f' % s.analyzers.ret.get_analysis()['rtot'])
    print('final fundvalue %.4f' % cerebro.broker.get_fundvalue())
