"""Return analyzers: TimeReturn, SharpeRatio, DrawDown, Returns, SQN, VWR, AnnualReturn."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Swing(bt.Strategy):
    def __init__(self):
        self.stoch = bt.ind.Stochastic(period=14)

    def next(self):
        if self.stoch.percK[0] < 20 and not self.position:
            self.buy(size=5)
        elif self.stoch.percK[0] > 80 and self.position:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2005-2006-day-001.txt')))
    cerebro.addstrategy(Swing)
    cerebro.addanalyzer(bt.analyzers.TimeReturn, _name='monthly', timeframe=bt.TimeFrame.Months)
    cerebro.addanalyzer(bt.analyzers.TimeReturn, _name='weekly_data', timeframe=bt.TimeFrame.Weeks, data=cerebro.datas[0])
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, _name='sharpe', timeframe=bt.TimeFrame.Months, riskfreerate=0.01)
    cerebro.addanalyzer(bt.analyzers.SharpeRatio_A, _name='sharpe_a')
    cerebro.addanalyzer(bt.analyzers.DrawDown, _name='dd')
    cerebro.addanalyzer(bt.analyzers.Returns, _name='returns', tann=252)
    cerebro.addanalyzer(bt.analyzers.SQN, _name='sqn')
    cerebro.addanalyzer(bt.analyzers.VWR, _name='vwr')
    cerebro.addanalyzer(bt.analyzers.AnnualReturn, _name='annual')
    cerebro.addanalyzer(bt.analyzers.Calmar, _name='calmar')
    s = cerebro.run()[0]
    for k, v in s.analyzers.monthly.get_analysis().items():
        print('month %s %.6f' % (k.date(), v))
    for name in ('sharpe', 'sharpe_a'):
        sr = getattr(s.analyzers, name).get_analysis()['sharperatio']
        print('%s %s' % (name, 'None' if sr is None else '%.6f' % sr))
    dd = s.analyzers.dd.get_analysis()
    print('dd %.4f len %d max dd %.4f money %.2f len %d' % (dd.drawdown, dd.len, dd.max.drawdown, dd.max.moneydown, dd.max.len))
    r = s.analyzers.returns.get_analysis()
    print('rtot %.6f ravg %.6f rnorm %.6f rnorm100 %.4f' % (r['rtot'], r['ravg'], r['rnorm'], r['rnorm100']))
    print('sqn %.4f vwr %.4f' % (s.analyzers.sqn.get_analysis().sqn, s.analyzers.vwr.get_analysis()['vwr']))
    for y, v in s.analyzers.annual.get_analysis().items():
        print('year %d %.6f' % (y, v))
    s.analyzers.dd.print()
