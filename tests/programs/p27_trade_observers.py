"""Trades, DataTrades and BuySell observers on two datas, values read at the end."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Pairs(bt.Strategy):
    def __init__(self):
        self.r0 = bt.ind.RSI(self.data0, period=7)
        self.r1 = bt.ind.RSI(self.data1, period=7)

    def next(self):
        for d, r in ((self.data0, self.r0), (self.data1, self.r1)):
            pos = self.getposition(d).size
            if r[0] < 35 and pos == 0:
                self.buy(data=d, size=1)
            elif r[0] > 60 and pos > 0:
                self.close(data=d)

    def notify_trade(self, trade):
        if trade.isclosed:
            print('%s %s closed pnl %.2f pnlcomm %.2f' % (self.datetime.date(0), trade.data._name,
                                                         trade.pnl, trade.pnlcomm))

    def stop(self):
        for obs in self.observers:
            print(type(obs).__name__, ','.join(obs.lines.getlinealiases()))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='A')
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-002.txt')), name='B')
    cerebro.broker.setcommission(commission=0.002)
    cerebro.addstrategy(Pairs)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
