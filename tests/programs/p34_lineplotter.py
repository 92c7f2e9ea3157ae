"""LinePlotterIndicator naming a derived line, plus lines reached by name."""
import json
import os

import backtrader as bt

# backtrader fails bar by bar here (IndexError assigning the bound line): its runonce
# output is the reference for every mode
REFERENCE_MODE = 'runonce'
DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


class HiLo(bt.Strategy):
    def __init__(self):
        hilo = (self.data.high - self.data.low) / self.data.close * 100.0
        self.hilo = bt.LinePlotterIndicator(hilo, name='hilo')
        self.hilo.plotinfo.subplot = True
        self.avg = bt.ind.SMA(self.hilo.hilo, period=5)

    def next(self):
        print('%s hilo %.4f avg %.4f' % (self.data.datetime.date(0), self.hilo.hilo[0], self.avg[0]))


if __name__ == '__main__':
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-week-001.txt')))
    cerebro.addstrategy(HiLo)
    cerebro.run()
