"""optstrategy over two parameters, results read through analyzers."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

MODES = ('runonce', 'preload', 'nopreload')


class Cross(bt.Strategy):
    params = dict(fast=5, slow=20)

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=self.p.fast), bt.ind.SMA(period=self.p.slow))

    def next(self):
        if self.cross > 0:
            self.order_target_size(target=10)
        elif self.cross < 0:
            self.order_target_size(target=-10)

    def stop(self):
        print('fast %d slow %d value %.2f' % (self.p.fast, self.p.slow, self.broker.getvalue()))


if __name__ == '__main__':
    cerebro = bt.Cerebro(maxcpus=1, **MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.optstrategy(Cross, fast=range(4, 10, 2), slow=[20, 30])
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, _name='sharpe', timeframe=bt.TimeFrame.Days)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    results = cerebro.run()
    for run in results:
        s = run[0]
        ta = s.analyzers.ta.get_analysis()
        sr = s.analyzers.sharpe.get_analysis()['sharperatio']
        print('fast %d slow %d trades %d sharpe %s' % (s.params.fast, s.params.slow,
              ta.total.total if 'total' in ta else 0, 'None' if sr is None else '%.4f' % sr))
