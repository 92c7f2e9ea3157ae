"""Defects the program suite (tests/programs) found, pinned down on their own.

Each runs the same code on backtrader and backtrader_ib and compares.
"""
from __future__ import annotations

import io

import backtrader_ib
from conftest import shared_file
from difftools import reference


def _writer_output(bt) -> str:
    # the monthly feed has no bar yet when the weekly one starts
    out = io.StringIO()
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-month-001.txt')))
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-week-001.txt')))
    cerebro.addstrategy(bt.Strategy)
    cerebro.addwriter(bt.WriterFile, out=out, csv=True)
    cerebro.run()
    return '\n'.join(line for line in out.getvalue().splitlines() if line[:1].isdigit())


def test_writer_with_a_feed_without_bars_yet():
    assert _writer_output(backtrader_ib) == _writer_output(reference())


def _history(bt) -> list:
    class Scale(bt.Strategy):
        def next(self):
            if len(self) in (5, 8):
                self.buy(size=1)
            elif len(self) == 12:
                self.sell(size=2)

        def notify_trade(self, trade):
            if trade.isclosed:
                self.rows = [(h.status.size, round(h.status.price, 6), round(h.status.pnl, 6),
                              h.event.size, round(h.event.price, 6)) for h in trade.history]

    cerebro = bt.Cerebro(tradehistory=True)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.addstrategy(Scale)
    return cerebro.run()[0].rows


def test_trade_history_entries():
    rows = _history(backtrader_ib)
    assert len(rows) == 3
    assert rows == _history(reference())
