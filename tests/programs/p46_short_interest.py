"""Credit interest on short (and long) positions through the commission scheme."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class ShortHolder(bt.Strategy):
    def next(self):
        if len(self) == 5:
            self.sell(size=10)
        elif len(self) == 100:
            self.close()
        elif len(self) == 120:
            self.buy(size=5)
        elif len(self) == 200:
            self.close()

    def notify_trade(self, trade):
        if trade.isclosed:
            print('%s pnl %.4f comm %.4f net %.4f' % (self.data.datetime.date(0), trade.pnl,
                  trade.commission, trade.pnlcomm))


if __name__ == '__main__':
    for long_too in (False, True):
        cerebro = bt.Cerebro(**MODE)
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
        cerebro.broker.setcommission(commission=0.0005, interest=0.07, interest_long=long_too)
        cerebro.addstrategy(ShortHolder)
        cerebro.run()
        print('interest_long %s final %.4f cash %.4f' % (long_too, cerebro.broker.getvalue(), cerebro.broker.getcash()))
