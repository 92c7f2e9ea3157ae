"""Intraday timers on 5-minute bars: a fixed time, an offset, and a repeat."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Clock(bt.Strategy):
    def __init__(self):
        self.add_timer(when=datetime.time(12, 0), timername='noon')
        self.add_timer(when=bt.Timer.SESSION_START, offset=datetime.timedelta(minutes=30), timername='open+30')
        self.add_timer(when=datetime.time(10, 0), repeat=datetime.timedelta(hours=2), timername='every2h')
        self.ema = bt.ind.EMA(period=6)

    def notify_timer(self, timer, when, *args, **kwargs):
        print('%s at %s bar %s close %.2f' % (kwargs['timername'], when, self.data.datetime.datetime(0),
                                             self.data.close[0]))
        if kwargs['timername'] == 'noon':
            if not self.position:
                self.buy()
            else:
                self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5,
                                      sessionstart=datetime.time(9, 0), sessionend=datetime.time(17, 30),
                                      todate=datetime.datetime(2006, 1, 6))
    cerebro.adddata(data)
    cerebro.addstrategy(Clock)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
