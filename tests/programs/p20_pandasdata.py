"""A pandas DataFrame as data feed, with an extra column mapped to a new line."""
import pandas as pd
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class PandasSignal(bt.feeds.PandasData):
    lines = ('signal',)
    params = (('signal', -1),)


class Strat(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=8)

    def next(self):
        print('%s close %.2f sig %.0f sma %.2f' % (self.data.datetime.date(0), self.data.close[0],
              self.data.signal[0], self.sma[0]))
        if self.data.signal[0] > 0 and not self.position:
            self.buy(size=1)
        elif self.data.signal[0] < 0 and self.position:
            self.close()


if __name__ == '__main__':
    df = pd.read_csv(os.path.join(DATADIR, '2006-day-001.txt'), parse_dates=True, index_col=0)
    df = df.iloc[:120].copy()
    df['signal'] = (df['Close'].diff(3) > 0).astype(int) * 2 - 1
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(PandasSignal(dataname=df, openinterest=None), name='pd')
    cerebro.addstrategy(Strat)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
