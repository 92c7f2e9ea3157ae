"""The PyFolio analyzer: returns, positions and transactions as pandas objects."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Trader(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(self.data0, period=15)

    def next(self):
        if self.data0.close[0] > self.sma[0] and not self.getposition(self.data0):
            self.buy(data=self.data0, size=1)
        elif self.data0.close[0] < self.sma[0] and self.getposition(self.data0):
            self.close(data=self.data0)


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='ix')
    cerebro.broker.setcash(50000)
    cerebro.addstrategy(Trader)
    cerebro.addanalyzer(bt.analyzers.PyFolio, _name='pyfolio')
    s = cerebro.run()[0]
    returns, positions, transactions, gross_lev = s.analyzers.pyfolio.get_pf_items()
    print('returns', len(returns), 'sum %.8f' % returns.sum())
    print(returns.head(3).round(8).to_string())
    print('positions columns', list(positions.columns), len(positions))
    print(positions.tail(3).round(4).to_string())
    print('transactions', len(transactions))
    print(transactions.head(4).round(4).to_string())
    print('gross_lev %.6f' % gross_lev.sum())
