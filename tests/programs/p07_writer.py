"""A WriterFile in csv mode writing to a StringIO, printed after the run."""
import io
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class Simple(bt.Strategy):
    def __init__(self):
        self.sma = bt.ind.SMA(period=5)
        self.atr = bt.ind.ATR(period=5)

    def next(self):
        if len(self) % 20 == 0:
            self.buy(size=1) if not self.position else self.close()


if __name__ == '__main__':
    out = io.StringIO()
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-month-001.txt')))
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-week-001.txt')))
    cerebro.addstrategy(Simple)
    cerebro.addwriter(bt.WriterFile, out=out, csv=True, rounding=4)
    cerebro.addanalyzer(bt.analyzers.SQN)
    cerebro.run()
    text = out.getvalue()
    lines = text.splitlines()
    print('writer lines', len(lines))
    header = [ln for ln in lines if ln.startswith('Id,')]
    print(header[0] if header else 'no header')
    for ln in lines:
        if not ln.startswith('=') and ',' in ln:
            print(ln)
