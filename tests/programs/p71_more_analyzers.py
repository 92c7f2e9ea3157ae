"""Less common analyzers: PeriodStats, LogReturnsRolling, GrossLeverage, PositionsValue, AnnualReturn."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Swing(bt.Strategy):
    def __init__(self):
        self.cci = bt.ind.CCI(period=14)

    def next(self):
        if self.cci[0] < -100 and not self.position:
            self.order_target_percent(target=0.6)
        elif self.cci[0] > 100 and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2005-2006-day-001.txt')))
    cerebro.addstrategy(Swing)
    cerebro.addanalyzer(bt.analyzers.PeriodStats, _name='ps', timeframe=bt.TimeFrame.Months)
    cerebro.addanalyzer(bt.analyzers.LogReturnsRolling, _name='lr', timeframe=bt.TimeFrame.Weeks, compression=4)
    cerebro.addanalyzer(bt.analyzers.GrossLeverage, _name='gl')
    cerebro.addanalyzer(bt.analyzers.PositionsValue, _name='pv', cash=True)
    cerebro.addanalyzer(bt.analyzers.AnnualReturn, _name='ar')
    s = cerebro.run()[0]
    for k, v in s.analyzers.ps.get_analysis().items():
        print('ps %s %.6f' % (k, v))
    lr = s.analyzers.lr.get_analysis()
    print('lr n %d last %s %.6f' % (len(lr), list(lr)[-1].date(), list(lr.values())[-1]))
    gl = s.analyzers.gl.get_analysis()
    print('gl max %.6f mean %.6f' % (max(gl.values()), sum(gl.values()) / len(gl)))
    pv = s.analyzers.pv.get_analysis()
    print('pv n %d last %s' % (len(pv), ['%.2f' % x for x in list(pv.values())[-1]]))
    for y, v in s.analyzers.ar.get_analysis().items():
        print('year %d %.6f' % (y, v))
