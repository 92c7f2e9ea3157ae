"""No strategy at all: Cerebro runs a plain one so the writer and analyzers still see the data."""
import io
import json
import os

import backtrader as bt

DATADIR = os.environ.get('BTIB_DATA_DIR') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
MODE = json.loads(os.environ.get('BTPROG_MODE', '{}'))


if __name__ == '__main__':
    out = io.StringIO()
    cerebro = bt.Cerebro(**MODE)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=os.path.join(DATADIR, '2006-month-001.txt')), name='m')
    cerebro.addwriter(bt.WriterFile, out=out, csv=True)
    cerebro.addanalyzer(bt.analyzers.TimeReturn, _name='tr', timeframe=bt.TimeFrame.Months, data=cerebro.datas[0])
    results = cerebro.run()
    print('strategies', len(results), [type(s).__name__ for s in results])
    for s in results:
        for k, v in s.analyzers.tr.get_analysis().items():
            print('%s %.6f' % (k.date(), v))
    print('writer lines', len([ln for ln in out.getvalue().splitlines() if ln[:1].isdigit()]))
