"""The HeikinAshi filter reshaping the bars, next to the HeikinAshi indicator on plain bars."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Show(bt.Strategy):
    def __init__(self):
        self.ema = bt.ind.EMA(period=5)

    def next(self):
        print('%s %s o %.2f h %.2f l %.2f c %.2f ema %.2f' % (self.data._name, self.data.datetime.date(0),
              self.data.open[0], self.data.high[0], self.data.low[0], self.data.close[0], self.ema[0]))


class ShowIndicator(bt.Strategy):
    def __init__(self):
        self.ha = bt.ind.HeikinAshi(self.data)

    def next(self):
        print('%s %s o %.2f h %.2f l %.2f c %.2f' % (self.data._name, self.data.datetime.date(0),
              self.ha.ha_open[0], self.ha.ha_high[0], self.ha.ha_low[0], self.ha.ha_close[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'))
    data.addfilter(bt.filters.HeikinAshi)
    cerebro.adddata(data, name='ha')
    cerebro.addstrategy(Show)
    cerebro.run()
    # the indicator on plain bars gives the same candles from the second bar on
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='plain')
    cerebro.addstrategy(ShowIndicator)
    cerebro.run()
