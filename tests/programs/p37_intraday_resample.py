"""5-minute bars resampled to hourly and daily, named with name=, indicators on all three."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class ThreeFrames(bt.Strategy):
    def __init__(self):
        self.m5 = self.getdatabyname('m5')
        self.h1 = self.getdatabyname('h1')
        self.d1 = self.getdatabyname('d1')
        self.ema5 = bt.ind.EMA(self.m5, period=12)
        self.rsi_h = bt.ind.RSI(self.h1, period=5)
        self.atr_d = bt.ind.ATR(self.d1, period=2)

    def next(self):
        if self.m5.datetime.time(0).minute != 0:
            return
        print('%s m5 %.2f ema %.2f | h1 %s %.2f rsi %.2f | d1 %s %.2f atr %.2f' % (
            self.m5.datetime.datetime(0), self.m5.close[0], self.ema5[0],
            self.h1.datetime.datetime(0), self.h1.close[0], self.rsi_h[0],
            self.d1.datetime.date(0), self.d1.close[0], self.atr_d[0]))
        if self.rsi_h[0] < 30 and not self.position:
            self.buy()
        elif self.rsi_h[0] > 70 and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5,
                                      todate=datetime.datetime(2006, 1, 10))
    cerebro.adddata(data, name='m5')
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=60, name='h1')
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Days, name='d1')
    cerebro.addstrategy(ThreeFrames)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
