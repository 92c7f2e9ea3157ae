"""Benchmark, TimeReturn, LogReturns and Value/Cash observers on a two-asset run."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Hold(bt.Strategy):
    def next(self):
        if len(self) == 10:
            self.order_target_percent(self.data0, target=0.5)
        if len(self) == 150:
            self.order_target_percent(self.data0, target=0.0)

    def stop(self):
        for name in ('benchmark', 'timereturn', 'logreturns', 'value', 'cash'):
            obs = getattr(self.stats, name)
            print('%s lines %s last %s' % (name, ','.join(obs.lines.getlinealiases()),
                  ' '.join('%.6f' % ln[0] for ln in obs.lines)))


if __name__ == '__main__':
    cerebro = bt.Cerebro(stdstats=False, **MODE)
    d0 = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'))
    d1 = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt'))
    cerebro.adddata(d0, name='index')
    cerebro.adddata(d1, name='future')
    cerebro.addobserver(bt.observers.Benchmark, data=d1, timeframe=bt.TimeFrame.Weeks)
    cerebro.addobserver(bt.observers.TimeReturn, timeframe=bt.TimeFrame.Weeks)
    cerebro.addobserver(bt.observers.LogReturns, timeframe=bt.TimeFrame.Months)
    cerebro.addobserver(bt.observers.Value)
    cerebro.addobserver(bt.observers.Cash)
    cerebro.addstrategy(Hold)
    cerebro.run()
