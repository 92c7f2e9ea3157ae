"""TradeAnalyzer's nested results for a long/short strategy, printed like a user would."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class LongShort(bt.Strategy):
    def __init__(self):
        self.macd = bt.ind.MACD()
        self.cross = bt.ind.CrossOver(self.macd.macd, self.macd.signal)

    def next(self):
        if self.cross > 0:
            self.order_target_size(target=3)
        elif self.cross < 0:
            self.order_target_size(target=-3)


def show(d, prefix=''):
    for k, v in d.items():
        if isinstance(v, dict):
            show(v, prefix + k + '.')
        else:
            print('%s%s = %s' % (prefix, k, '%.4f' % v if isinstance(v, float) else v))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.broker.setcommission(commission=0.001)
    cerebro.addstrategy(LongShort)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    cerebro.addanalyzer(bt.analyzers.Transactions, _name='tx')
    cerebro.addanalyzer(bt.analyzers.PositionsValue, _name='pv', headers=True)
    s = cerebro.run()[0]
    show(s.analyzers.ta.get_analysis())
    for dt, txs in s.analyzers.tx.get_analysis().items():
        for tx in txs:
            print('tx %s %s' % (dt.date(), ' '.join('%.2f' % x if isinstance(x, float) else str(x) for x in tx)))
    print('pv rows', len(s.analyzers.pv.get_analysis()))
