"""A weekly indicator coupled into daily logic with ()."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Coupled(bt.Strategy):
    def __init__(self):
        sma_w = bt.ind.SMA(self.data1, period=4)
        self.above = self.data0.close > sma_w()
        self.sma_w = sma_w
        self.rsi_d = bt.ind.RSI(self.data0, period=9)
        self.entry = bt.And(self.above, self.rsi_d < 50)

    def next(self):
        if len(self) % 8 == 0:
            print('%s above %d entry %d smaw %.2f rsi %.2f' % (self.data0.datetime.date(0), self.above[0],
                  self.entry[0], self.sma_w[0], self.rsi_d[0]))
        if self.entry[0] and not self.position:
            self.buy()
        elif not self.above[0] and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'))
    cerebro.adddata(data)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Weeks)
    cerebro.addstrategy(Coupled)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
