"""Trade history (tradehistory=True) and order info (addinfo) printed per trade."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Scaler(bt.Strategy):
    def __init__(self):
        self.rsi = bt.ind.RSI(period=5)

    def next(self):
        pos = self.position.size
        if self.rsi[0] < 30 and pos < 3:
            o = self.buy(size=1)
            o.addinfo(reason='rsi %.1f' % self.rsi[0], step=pos + 1)
        elif self.rsi[0] > 70 and pos > 0:
            o = self.sell(size=pos)
            o.addinfo(reason='exit')

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s %.0f @ %.2f info %s' % (self.data.datetime.date(0), order.ordtypename(),
                  order.executed.size, order.executed.price, sorted(order.info.items())))

    def notify_trade(self, trade):
        print('trade ref %d status %s size %.0f price %.2f value %.2f pnl %.2f history %d' % (
            trade.ref, trade.status_names[trade.status], trade.size, trade.price, trade.value,
            trade.pnl, len(trade.history)))
        if trade.isclosed:
            for h in trade.history:
                print('   event size %.0f price %.2f pnl %.2f | status size %.0f price %.2f' % (
                    h.event.size, h.event.price, h.status.pnl, h.status.size, h.status.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(tradehistory=True, **MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Scaler)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
