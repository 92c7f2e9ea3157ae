"""Daily data plus a weekly resample, indicators on both timeframes, names looked up."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class TwoTimeframes(bt.Strategy):
    params = dict(daily_period=20, weekly_period=5)

    def __init__(self):
        self.daily = self.getdatabyname('daily')
        self.weekly = self.getdatabyname('weekly')
        self.sma_d = bt.ind.SMA(self.daily, period=self.p.daily_period)
        self.sma_w = bt.ind.SMA(self.weekly, period=self.p.weekly_period)
        self.rsi_w = bt.ind.RSI(self.weekly.close, period=6)
        self.trend_up = self.weekly.close > self.sma_w

    def prenext(self):
        print('prenext len %d daily %d weekly %d' % (len(self), len(self.daily), len(self.weekly)))

    def nextstart(self):
        print('nextstart at %s' % self.daily.datetime.date(0))
        self.next()

    def next(self):
        print('%s d %.2f smad %.2f | w %s %.2f smaw %.2f rsi %.2f up %d pos %d' % (
            self.daily.datetime.date(0), self.daily.close[0], self.sma_d[0],
            self.weekly.datetime.date(0), self.weekly.close[0], self.sma_w[0],
            self.rsi_w[0], self.trend_up[0], self.position.size))
        if not self.position and self.trend_up[0] and self.daily.close[0] > self.sma_d[0]:
            self.buy(data=self.daily, size=5)
        elif self.position and self.daily.close[0] < self.sma_d[0]:
            self.close(data=self.daily)

    def notify_trade(self, trade):
        if trade.isclosed:
            print('trade closed on %s pnl %.2f' % (trade.data._name, trade.pnl))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'))
    cerebro.adddata(data, name='daily')
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Weeks, compression=1, name='weekly')
    cerebro.addstrategy(TwoTimeframes)
    res = cerebro.run()
    s = res[0]
    print('datas:', [d._name for d in s.datas])
    print('final value %.2f' % cerebro.broker.getvalue())
