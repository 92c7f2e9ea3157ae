"""A data clone with its own filter next to the original feed."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class TwoViews(bt.Strategy):
    def __init__(self):
        self.sma_raw = bt.ind.SMA(self.data0, period=5)
        self.sma_ha = bt.ind.SMA(self.data1, period=5)

    def next(self):
        if len(self) % 12 == 0:
            print('%s raw %.2f ha %.2f | sma raw %.2f ha %.2f | %s %s' % (self.data0.datetime.date(0),
                  self.data0.close[0], self.data1.close[0], self.sma_raw[0], self.sma_ha[0],
                  self.data0._name, self.data1._name))
        if self.sma_ha[0] > self.sma_raw[0] and not self.position:
            self.buy(data=self.data0)
        elif self.sma_ha[0] < self.sma_raw[0] and self.position:
            self.close(data=self.data0)


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'))
    cerebro.adddata(data, name='raw')
    clone = data.clone()
    clone.addfilter(bt.filters.HeikinAshi)
    cerebro.adddata(clone, name='ha')
    cerebro.addstrategy(TwoViews)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
