"""Draws docs/img/resampling.png: 5-minute bars resampled and replayed to 15 minutes.

Run: PYTHONPATH=. python docs/make_resampling_figure.py [path of 2006-min-005.txt]
"""
import sys
from pathlib import Path

import matplotlib
matplotlib.use('Agg')
from matplotlib.figure import Figure  # noqa: E402

import backtrader_ib as bt  # noqa: E402

SRC = sys.argv[1] if len(sys.argv) > 1 else str(
    Path(__file__).resolve().parents[2] / 'shared/data/backtrader-datas/2006-min-005.txt')


def bars(how):
    """(source bars, bars seen by next) for the first hour of the file."""
    seen = []

    class Log(bt.Strategy):
        def next(self):
            d0, d1 = self.data0, self.data1
            seen.append((d0.datetime.datetime(0), d0.open[0], d0.high[0], d0.low[0], d0.close[0],
                         len(d1), len(d1) and d1.datetime.datetime(0), d1.open[0], d1.high[0],
                         d1.low[0], d1.close[0]))

        prenext = next  # before the 15-minute feed has its first bar
    c = bt.Cerebro(stdstats=False)
    d = bt.feeds.BacktraderCSVData(dataname=SRC, timeframe=bt.TimeFrame.Minutes, compression=5)
    c.adddata(d)
    getattr(c, how)(d, timeframe=bt.TimeFrame.Minutes, compression=15)
    c.addstrategy(Log)
    c.run()
    return seen[:12]


def ohlc(ax, x, o, h, lo, c, width, **kw):
    color = 'tab:green' if c >= o else 'tab:red'
    ax.vlines(x, lo, h, color=color, **kw)
    ax.hlines(o, x - width, x, color=color, **kw)
    ax.hlines(c, x, x + width, color=color, **kw)


fig = Figure(figsize=(10, 6), dpi=80)
axes = fig.subplots(2, 1, sharex=True)
for ax, how, title in ((axes[0], 'resampledata', 'resampledata: a 15-minute bar is delivered '
                        'once complete, stamped at its right edge'),
                       (axes[1], 'replaydata', 'replaydata: the 15-minute bar grows with '
                        'every 5-minute bar (same length until a new bar starts)')):
    rows = bars(how)
    t0 = rows[0][0].replace(minute=0)
    shown = set()
    for r in rows:
        x = (r[0] - t0).total_seconds() / 60
        ohlc(ax, x, *r[1:5], width=0.8, lw=1.2)
        if r[5] and (how == 'replaydata' or r[5] not in shown):
            shown.add(r[5])  # a resampled bar is drawn where it first appears
            ohlc(ax, x + 2, *r[7:11], width=1.6, lw=3, alpha=0.4)
    for k in range(0, 65, 15):
        ax.axvline(k, color='grey', lw=0.6, ls=':')
    ax.set_title(title, fontsize=10)
    ax.set_ylabel('price')
axes[1].set_xlabel(f'minutes after {t0:%Y-%m-%d %H:%M}  (dotted: 15-minute boundaries; thin: '
                   '5-minute bars; thick: the 15-minute feed as next() sees it)')
fig.tight_layout()
fig.savefig(Path(__file__).parent / 'img' / 'resampling.png')
