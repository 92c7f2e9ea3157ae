"""Sizers: a custom sizer class, then PercentSizer, AllInSizerInt and FixedReverser."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class RiskSizer(bt.Sizer):
    params = dict(risk=0.02)

    def _getsizing(self, comminfo, cash, data, isbuy):
        if not isbuy:
            return self.broker.getposition(data).size or 10
        return int(cash * self.p.risk / max(data.close[0] * 0.01, 1.0))


class Flipper(bt.Strategy):
    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.EMA(period=8), bt.ind.EMA(period=21))

    params = dict(reverse=False)

    def next(self):
        if self.p.reverse:  # always in the market: the sizer doubles the stake to reverse
            if self.cross > 0:
                self.buy()
            elif self.cross < 0:
                self.sell()
        elif self.cross > 0 and not self.position:
            self.buy()
        elif self.cross < 0 and self.position:
            self.close()

    def notify_order(self, order):
        if order.status == order.Completed:
            print('%s %s size %+.0f price %.2f value %.2f' % (
                self.data.datetime.date(0), type(self.getsizer()).__name__,
                order.executed.size, order.executed.price, self.broker.getvalue()))


def run(sizer, reverse=False, **kwargs):
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addstrategy(Flipper, reverse=reverse)
    cerebro.addsizer(sizer, **kwargs)
    cerebro.run()
    print('%s final %.2f position %d' % (sizer.__name__, cerebro.broker.getvalue(),
                                         cerebro.broker.getposition(cerebro.datas[0]).size))


if __name__ == '__main__':
    run(RiskSizer, risk=0.01)
    run(bt.sizers.PercentSizer, percents=20)
    run(bt.sizers.AllInSizerInt)
    run(bt.sizers.FixedReverser, reverse=True, stake=4)
    run(bt.sizers.PercentSizerInt, percents=50)
