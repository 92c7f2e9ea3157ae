"""A bid/ask feed with overridden lines (only bid, ask and datetime)."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class BidAskCSV(bt.feeds.GenericCSVData):
    linesoverride = True
    lines = ('bid', 'ask', 'datetime')
    params = (('dtformat', '%m/%d/%Y %H:%M:%S'), ('datetime', 0), ('time', -1),
              ('bid', 1), ('ask', 2), ('timeframe', bt.TimeFrame.Ticks))


class Spreads(bt.Strategy):
    def __init__(self):
        self.mid = (self.data.bid + self.data.ask) / 2.0

    def next(self):
        print('%s bid %.4f ask %.4f mid %.5f lines %s' % (self.data.datetime.datetime(0).isoformat(),
              self.data.bid[0], self.data.ask[0], self.mid[0], ','.join(self.data.lines.getlinealiases())))


if __name__ == '__main__':
    cerebro = bt.Cerebro(stdstats=False, **MODE)
    cerebro.adddata(BidAskCSV(dataname=os.path.join(DATADIR, 'bidask.csv')))
    cerebro.addstrategy(Spreads)
    cerebro.run()
