"""GenericCSVData with a custom column layout, date format and extra lines."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class OptixCSV(bt.feeds.GenericCSVData):
    lines = ('optix_close', 'optix_pess', 'optix_opt')
    params = (('dtformat', '%Y-%m-%d'), ('datetime', 0), ('time', -1),
              ('open', 1), ('high', 2), ('low', 3), ('close', 4), ('volume', 5),
              ('openinterest', -1), ('optix_close', 7), ('optix_pess', 8), ('optix_opt', 9))


class Strat(bt.Strategy):
    def __init__(self):
        self.spread = self.data.optix_opt - self.data.optix_pess
        self.ema = bt.ind.EMA(self.data.close, period=9)

    def next(self):
        if len(self) % 10 == 0:
            print('%s close %.2f optix %.1f/%.1f/%.1f spread %.2f ema %.2f oi %.1f' % (
                self.data.datetime.date(0), self.data.close[0], self.data.optix_close[0],
                self.data.optix_pess[0], self.data.optix_opt[0], self.spread[0], self.ema[0],
                self.data.openinterest[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    import datetime
    cerebro.adddata(OptixCSV(dataname=os.path.join(DATADIR, '2006-day-001-optix.txt'),
                             fromdate=datetime.datetime(2006, 3, 1), todate=datetime.datetime(2006, 10, 31)))
    cerebro.addstrategy(Strat)
    cerebro.run()
