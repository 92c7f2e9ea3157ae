"""Yahoo CSV data with adjusted prices, a date window, and a round-trip per quarter."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Quarterly(bt.Strategy):
    def __init__(self):
        self.atr = bt.ind.ATR(period=10)

    def next(self):
        d = self.data.datetime.date(0)
        if d.month in (1, 4, 7, 10) and not self.position:
            self.buy(size=100)
        elif d.month in (3, 6, 9, 12) and self.position:
            self.close()

    def notify_trade(self, trade):
        if trade.isclosed:
            print('%s pnl %.4f atr %.4f' % (self.data.datetime.date(0), trade.pnl, self.atr[0]))


if __name__ == '__main__':
    for adj in (True, False):
        cerebro = bt.Cerebro(**MODE)
        data = bt.feeds.YahooFinanceCSVData(dataname=os.path.join(DATADIR, 'yhoo-2003-2005.txt'),
                                            fromdate=datetime.datetime(2004, 1, 1),
                                            todate=datetime.datetime(2005, 6, 30), adjclose=adj,
                                            round=True, decimals=3)
        cerebro.adddata(data)
        cerebro.addstrategy(Quarterly)
        cerebro.run()
        print('adjclose %s bars %d last close %.3f final %.4f' % (adj, len(data), data.close[0], cerebro.broker.getvalue()))
