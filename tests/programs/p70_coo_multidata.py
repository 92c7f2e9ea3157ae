"""Cheat-on-open with two datas: weights set in next_open from the previous bar's momentum."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class OpenRebalance(bt.Strategy):
    def __init__(self):
        self.mom = {d: bt.ind.ROC(d, period=10) for d in self.datas}

    def next_open(self):
        if len(self) % 20:
            return
        best = max(self.datas, key=lambda d: self.mom[d][0])
        for d in self.datas:
            target = 0.45 if d is best else 0.0
            self.order_target_percent(d, target=target)
        print('%s open best %s mom %s' % (self.datetime.date(0), best._name,
              ' '.join('%.4f' % self.mom[d][0] for d in self.datas)))

    def notify_order(self, order):
        if order.status == order.Completed:
            print('  %s %+.0f @ %.2f (open %.2f)' % (order.data._name, order.executed.size,
                  order.executed.price, order.data.open[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(cheat_on_open=True, **MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='idx')
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-volume-day-001.txt')), name='fut')
    cerebro.broker.setcash(100000)
    cerebro.addstrategy(OpenRebalance)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
