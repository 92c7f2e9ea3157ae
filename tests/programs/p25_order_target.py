"""Monthly rebalancing across three stocks with order_target_percent/value/size."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Rotation(bt.Strategy):
    params = dict(lookback=20)

    def __init__(self):
        self.roc = {d: bt.ind.ROC(d.close, period=self.p.lookback) for d in self.datas}
        self.last_month = None

    def next(self):
        month = self.datetime.date(0).month
        if month == self.last_month:
            return
        self.last_month = month
        ranked = sorted(self.datas, key=lambda d: self.roc[d][0], reverse=True)
        print('%s ranking %s' % (self.datetime.date(0), ' '.join('%s:%.4f' % (d._name, self.roc[d][0]) for d in ranked)))
        self.order_target_percent(ranked[0], target=0.45)
        self.order_target_value(ranked[1], target=self.broker.getvalue() * 0.25)
        self.order_target_size(ranked[2], target=0)

    def notify_order(self, order):
        if order.status == order.Completed:
            print('  %s %s %+.0f @ %.2f' % (order.data._name, order.ordtypename(), order.executed.size,
                                            order.executed.price))
        elif order.status in (order.Margin, order.Rejected):
            print('  %s %s' % (order.data._name, order.getstatusname()))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    for name in ('nvda', 'orcl', 'yhoo'):
        cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=os.path.join(DATADIR, '%s-2014.txt' % name),
                                                     adjclose=False, todate=datetime.datetime(2014, 9, 30)), name=name)
    cerebro.broker.setcash(100000)
    cerebro.addstrategy(Rotation)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
