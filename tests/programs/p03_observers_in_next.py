"""Reading observers and the broker value from next(): a drawdown stop."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class DrawdownGuard(bt.Strategy):
    params = dict(maxdd=1.5)

    def __init__(self):
        self.ema = bt.ind.EMA(period=12)

    def next(self):
        dd = self.stats.drawdown.drawdown[0]
        value = self.stats.broker.value[0]
        print('%s len %d obs-len %d value %.2f dd %.3f maxdd %.3f' % (
            self.data.datetime.date(0), len(self), len(self.stats.drawdown), value, dd,
            self.stats.drawdown.maxdrawdown[0]))
        if not self.position and self.data.close[0] > self.ema[0]:
            self.buy(size=20)
        elif self.position and (dd > self.p.maxdd or self.data.close[0] < self.ema[0]):
            self.close()


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.addobserver(bt.observers.DrawDown)
    cerebro.addstrategy(DrawdownGuard)
    cerebro.run()
    print('final value %.2f' % cerebro.broker.getvalue())
