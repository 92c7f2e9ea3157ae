"""Intraday bars from a DataFrame (timeframe Minutes), resampled to 15 minutes and to days."""
import pandas as pd
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Show(bt.Strategy):
    def __init__(self):
        self.sma15 = bt.ind.SMA(self.data1, period=4)

    def next(self):
        if self.data0.datetime.time(0).minute % 30 == 0:
            print('%s c %.2f | 15m %s %.2f sma %.2f | day %s %.2f' % (self.data0.datetime.datetime(0),
                  self.data0.close[0], self.data1.datetime.datetime(0), self.data1.close[0], self.sma15[0],
                  self.data2.datetime.date(0), self.data2.close[0]))


if __name__ == '__main__':
    df = pd.read_csv(os.path.join(DATADIR, '2006-min-005.txt'))
    df.index = pd.to_datetime(df.pop('Date') + ' ' + df.pop('Time'))
    df = df.iloc[:300]
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.PandasData(dataname=df, timeframe=bt.TimeFrame.Minutes, compression=5)
    cerebro.adddata(data, name='m5')
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=15, name='m15')
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Days, name='day')
    cerebro.addstrategy(Show)
    cerebro.run()
