"""A command-line style format table naming every CSV feed class, one format used."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

FORMATS = {
    'btcsv': bt.feeds.BacktraderCSVData,
    'vchartcsv': bt.feeds.VChartCSVData,
    'sierrachart': bt.feeds.SierraChartCSVData,
    'mt4csv': bt.feeds.MT4CSVData,
    'yahoocsv': bt.feeds.YahooFinanceCSVData,
    'generic': bt.feeds.GenericCSVData,
}


class Show(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=4)

    def next(self):
        print('%s c %.2f sma %.2f' % (self.data.datetime.date(0), self.data.close[0], self.sma[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(FORMATS['btcsv'](dataname=os.path.join(DATADIR, '2006-week-002.txt')))
    cerebro.addstrategy(Show)
    cerebro.run()
    print('formats', ' '.join(sorted(FORMATS)))
