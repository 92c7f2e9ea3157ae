"""Feeds in a time zone (tz), cerebro.addtz, and dates printed in another zone."""
import datetime
import pytz
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Zones(bt.Strategy):
    def next(self):
        if len(self) % 200 == 1:
            dt = self.data.datetime.datetime(0)
            ny = self.data.datetime.datetime(0, tz=pytz.timezone('US/Eastern'))
            print('bar %d local %s ny %s num %.8f' % (len(self), dt, ny, self.data.datetime[0]))


if __name__ == '__main__':
    for tz in (None, 'Europe/Berlin'):
        cerebro = bt.Cerebro(**MODE)
        data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-min-005.txt'),
                                          timeframe=bt.TimeFrame.Minutes, compression=5,
                                          tz=pytz.timezone('Europe/Berlin'),
                                          todate=datetime.datetime(2006, 1, 10))
        cerebro.adddata(data)
        if tz:
            cerebro.addtz(tz)
        cerebro.addstrategy(Zones)
        cerebro.run()
