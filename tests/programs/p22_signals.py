"""Signal strategies: add_signal with LONGSHORT and LONGEXIT signals."""
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))

class SmaCloseSignal(bt.Indicator):
    lines = ('signal',)
    params = (('period', 20),)

    def __init__(self):
        self.lines.signal = self.data - bt.ind.SMA(period=self.p.period)


class ExitSignal(bt.Indicator):
    lines = ('exit',)

    def __init__(self):
        self.lines.exit = bt.ind.RSI(period=9) - 70


def run(main, *extra):
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')))
    cerebro.add_signal(main, SmaCloseSignal, period=15)
    for sig in extra:
        cerebro.add_signal(sig, ExitSignal)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    cerebro.addsizer(bt.sizers.FixedSize, stake=3)
    res = cerebro.run()
    ta = res[0].analyzers.ta.get_analysis()
    print('signal %d final %.2f trades %d' % (main, cerebro.broker.getvalue(), ta.total.total))


if __name__ == '__main__':
    run(bt.SIGNAL_LONGSHORT)
    run(bt.SIGNAL_LONG, bt.SIGNAL_LONGEXIT)
    run(bt.SIGNAL_SHORT)
