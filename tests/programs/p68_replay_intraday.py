"""5-minute bars replayed into 30-minute bars, orders placed while the bar is forming."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Forming(bt.Strategy):
    def __init__(self):
        self.ema = bt.ind.EMA(period=4)
        self.last = 0

    def next(self):
        n = len(self.data)
        status = 'new' if n != self.last else 'update'
        self.last = n
        if n % 6 == 0 or status == 'new':
            print('%s %s len %d o %.2f h %.2f l %.2f c %.2f ema %.2f' % (
                status, self.data.datetime.datetime(0), n, self.data.open[0], self.data.high[0],
                self.data.low[0], self.data.close[0], self.ema[0]))
        if not self.position and self.data.close[0] > self.ema[0] + 2:
            self.buy()
        elif self.position and self.data.close[0] < self.ema[0] - 2:
            self.close()

    def notify_order(self, order):
        if order.status == order.Completed:
            print('  %s %.2f' % (order.ordtypename(), order.executed.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5,
                                      todate=datetime.datetime(2006, 1, 5))
    cerebro.replaydata(data, timeframe=bt.TimeFrame.Minutes, compression=30)
    cerebro.addstrategy(Forming)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
