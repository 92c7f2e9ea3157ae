"""PandasData from a frame with a datetime column and lower-case names, and a PandasDirectData."""
import pandas as pd
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Show(bt.Strategy):
    def __init__(self):
        self.rsi = bt.ind.RSI(period=5)

    def next(self):
        if len(self) % 9 == 0:
            print('%s %s o %.2f c %.2f v %.0f rsi %.3f' % (self.data._name, self.data.datetime.datetime(0),
                  self.data.open[0], self.data.close[0], self.data.volume[0], self.rsi[0]))


if __name__ == '__main__':
    raw = pd.read_csv(os.path.join(DATADIR, '2006-volume-day-001.txt'))
    frame = raw.rename(columns=str.lower)
    frame['date'] = pd.to_datetime(frame['date'])
    frame = frame.iloc[:90]
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.PandasData(dataname=frame, datetime='date', openinterest='openinterest'), name='cols')
    cerebro.addstrategy(Show)
    cerebro.run()
    direct = raw.iloc[:90].copy()
    direct.index = pd.to_datetime(direct.pop('Date'))
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.PandasDirectData(dataname=direct, open=1, high=2, low=3, close=4, volume=5, openinterest=6), name='direct')
    cerebro.addstrategy(Show)
    cerebro.run()
