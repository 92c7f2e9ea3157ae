"""Replaying daily bars into weekly bars: the weekly bar grows tick by tick."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class WatchReplay(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=3)

    def prenext(self):
        self.show('prenext')

    def next(self):
        self.show('next')
        if not self.position and self.data.close[0] > self.sma[0]:
            self.buy()
        elif self.position and self.data.close[0] < self.sma[0]:
            self.close()

    def show(self, where):
        print('%s len %d %s o %.2f h %.2f l %.2f c %.2f sma %.2f' % (
            where, len(self.data), self.data.datetime.date(0), self.data.open[0],
            self.data.high[0], self.data.low[0], self.data.close[0], self.sma[0]))

    def notify_order(self, order):
        if order.status == order.Completed:
            print('filled %.0f at %.2f' % (order.executed.size, order.executed.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'),
                                      todate=__import__('datetime').datetime(2006, 6, 30))
    cerebro.replaydata(data, timeframe=bt.TimeFrame.Weeks, compression=1)
    cerebro.addstrategy(WatchReplay)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
