"""Four threads, each running its own Cerebro on its own parameters; results in order."""
import sys
import threading
import json
import os

import backtrader as bt

# the runs end in any order: the harness compares their dumps as a set
UNORDERED_RUNS = True
DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Cross(bt.Strategy):
    params = dict(fast=5, slow=20)

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=self.p.fast), bt.ind.RSI(period=self.p.slow) * 0 + bt.ind.SMA(period=self.p.slow))

    def next(self):
        if self.cross > 0 and not self.position:
            self.buy(size=1)
        elif self.cross < 0 and self.position:
            self.close()


def backtest(fast, slow, out, i):
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Cross, fast=fast, slow=slow)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    s = cerebro.run()[0]
    out[i] = (fast, slow, cerebro.broker.getvalue(), s.analyzers.ta.get_analysis().total.total)


if __name__ == '__main__':
    grid = [(4, 15), (6, 20), (8, 25), (10, 30)]
    out = [None] * len(grid)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, as a loaded machine would
    try:
        threads = [threading.Thread(target=backtest, args=(f, s, out, i)) for i, (f, s) in enumerate(grid)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    for r in out:
        print('fast %d slow %d value %.2f trades %d' % r if r else 'missing result')
