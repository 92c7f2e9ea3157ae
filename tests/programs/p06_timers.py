"""Timers: a monthly rebalance on the first trading day and a weekly session-end check."""
import datetime
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Rebalancer(bt.Strategy):
    params = dict(target=0.3)

    def __init__(self):
        self.add_timer(when=bt.Timer.SESSION_START, monthdays=[1], monthcarry=True, timername='monthly')
        self.add_timer(when=bt.timer.SESSION_END, weekdays=[5], weekcarry=True, timername='friday')
        self.mom = bt.ind.Momentum(period=10)

    def notify_timer(self, timer, when, *args, **kwargs):
        name = kwargs.get('timername')
        print('timer %s at %s bar %s close %.2f' % (name, when, self.data.datetime.date(0),
                                                    self.data.close[0]))
        if name == 'monthly':
            self.rebalance = True

    def next(self):
        if getattr(self, 'rebalance', False):
            self.rebalance = False
            target = self.p.target if self.mom[0] > 0 else 0.0
            print('  rebalance mom %.2f -> %.2f' % (self.mom[0], target))
            self.order_target_percent(target=target)

    def notify_order(self, order):
        if order.status == order.Completed:
            print('  filled %.0f at %.2f' % (order.executed.size, order.executed.price))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    data = bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt'),
                                      sessionstart=datetime.time(9, 0), sessionend=datetime.time(17, 30))
    cerebro.adddata(data)
    cerebro.addstrategy(Rebalancer)
    cerebro.run()
    print('final value %.2f' % cerebro.broker.getvalue())
