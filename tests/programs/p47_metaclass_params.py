"""Users' own classes with backtrader's params machinery: with_metaclass(MetaParams)."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class RiskModel(bt.with_metaclass(bt.MetaParams, object)):
    params = (('risk', 0.01), ('stopmult', 2.0))

    def size(self, value, atr):
        return int(value * self.p.risk / (atr * self.p.stopmult))


class AtrSizer(bt.Strategy):
    params = dict(risk=0.02)

    def __init__(self):
        self.atr = bt.ind.ATR(period=14)
        self.model = RiskModel(risk=self.p.risk)
        print('model params risk %.3f stopmult %.1f' % (self.model.p.risk, self.model.params.stopmult))

    def next(self):
        if not self.position and self.data.close[0] > self.data.close[-5]:
            size = self.model.size(self.broker.getvalue(), self.atr[0])
            print('%s buy %d' % (self.data.datetime.date(0), size))
            self.buy(size=size)
        elif self.position and self.data.close[0] < self.data.close[-5]:
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.broker.setcash(1e6)
    cerebro.addstrategy(AtrSizer)
    cerebro.run()
    print('final %.2f' % cerebro.broker.getvalue())
