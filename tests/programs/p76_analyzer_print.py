"""Analyzers shown the way users look at them: print(), pprint() and the writer's summary."""
import io
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Trader(bt.Strategy):
    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=3), bt.ind.SMA(period=10))

    def next(self):
        if self.cross > 0:
            self.order_target_size(target=4)
        elif self.cross < 0:
            self.order_target_size(target=-2)


if __name__ == '__main__':
    out = io.StringIO()
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-day-001.txt')), name='es')
    cerebro.addstrategy(Trader)
    cerebro.broker.setcash(100000)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, _name='sr', timeframe=bt.TimeFrame.Weeks)
    cerebro.addanalyzer(bt.analyzers.SQN, _name='sqn')
    cerebro.addanalyzer(bt.analyzers.DrawDown, _name='dd')
    cerebro.addwriter(bt.WriterFile, out=out, rounding=3)
    s = cerebro.run()[0]
    s.analyzers.ta.print()
    s.analyzers.sr.pprint()
    s.analyzers.sqn.print()
    s.analyzers.dd.pprint()
    text = out.getvalue()
    start = text.find('=====')  # the summary after the bar lines
    print(text[start:] if start >= 0 else text)
