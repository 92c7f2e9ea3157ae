"""optstrategy with optcallback, optreturn results and analyzers, two params and a fixed one."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))
MODES = ('runonce', 'preload', 'nopreload')


class Channel(bt.Strategy):
    params = dict(period=10, mult=1.0, stake=2)

    def __init__(self):
        self.boll = bt.ind.BollingerBands(period=self.p.period, devfactor=self.p.mult)

    def next(self):
        if self.data.close[0] < self.boll.bot[0] and not self.position:
            self.buy(size=self.p.stake)
        elif self.data.close[0] > self.boll.top[0] and self.position:
            self.close()


def done(strats):  # called with the run's strategies
    print('callback period %d mult %.1f' % (strats[0].p.period, strats[0].p.mult))


if __name__ == '__main__':
    cerebro = bt.Cerebro(maxcpus=1, **MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.optstrategy(Channel, period=(10, 20), mult=(1.0, 2.0), stake=5)
    cerebro.optcallback(done)
    cerebro.addanalyzer(bt.analyzers.Returns, _name='ret')
    cerebro.addanalyzer(bt.analyzers.DrawDown, _name='dd')
    results = cerebro.run()
    best = max(results, key=lambda r: r[0].analyzers.ret.get_analysis()['rtot'])
    for r in results:
        s = r[0]
        print('%s period %d mult %.1f stake %d rtot %.6f maxdd %.4f' % (type(s).__name__, s.params.period, s.params.mult,
              s.params.stake, s.analyzers.ret.get_analysis()['rtot'], s.analyzers.dd.get_analysis().max.drawdown))
    print('best period %d mult %.1f' % (best[0].params.period, best[0].params.mult))
