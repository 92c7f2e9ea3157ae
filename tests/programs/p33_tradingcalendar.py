"""A trading calendar with holidays drives weekly and monthly resampling."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Calendars(bt.Strategy):
    def __init__(self):
        self.sma_w = bt.ind.SMA(self.data1, period=3)

    def next(self):
        print('%s d %.2f | w %s %.2f sma %.2f | m %s %.2f' % (
            self.data0.datetime.date(0), self.data0.close[0], self.data1.datetime.date(0),
            self.data1.close[0], self.sma_w[0], self.data2.datetime.date(0), self.data2.close[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cal = bt.TradingCalendar(holidays=[datetime.date(2006, 4, 14), datetime.date(2006, 4, 17),
                                       datetime.date(2006, 5, 1), datetime.date(2006, 12, 25)],
                             earlydays=[(datetime.date(2006, 12, 24), datetime.time(9, 0), datetime.time(13, 0))])
    cerebro.addcalendar(cal)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'))
    cerebro.adddata(data)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Weeks)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Months)
    cerebro.addstrategy(Calendars)
    cerebro.run()
