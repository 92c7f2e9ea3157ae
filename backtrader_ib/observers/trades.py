"""Profit or loss of each closed trade, at the bar it closed."""
from __future__ import annotations

from ..observer import Observer
from ..utils.identity import index_of

__all__ = ('Trades', 'DataTrades')


class Trades(Observer):
    _stclock = True
    _on_events = True
    lines = ('pnlplus', 'pnlminus')
    params = dict(pnlcomm=True)
    plotinfo = dict(plot=True, subplot=True, plotname='Trades - Net Profit/Loss',
                    plotymargin=0.10, plothlines=[0.0])
    plotlines = dict(
        pnlplus=dict(_name='Positive', ls='', marker='o', color='blue',
                     markersize=8.0, fillstyle='full'),
        pnlminus=dict(_name='Negative', ls='', marker='o', color='red',
                      markersize=8.0, fillstyle='full'))

    def __init__(self) -> None:
        self.trades = 0
        self.trades_long = self.trades_short = 0
        self.trades_plus = self.trades_minus = 0
        self.trades_plus_gross = self.trades_minus_gross = 0
        self.trades_win = self.trades_win_max = self.trades_win_min = 0
        self.trades_loss = self.trades_loss_max = self.trades_loss_min = 0
        self.trades_length = self.trades_length_max = self.trades_length_min = 0

    def next(self) -> None:
        pending = self._owner._tradespending
        if not pending:
            return
        for trade in pending:
            if trade.data not in self.ddatas or not trade.isclosed:
                continue
            pnl = trade.pnlcomm if self.p.pnlcomm else trade.pnl
            if pnl >= 0.0:
                self.lines.pnlplus[0] = pnl
            else:
                self.lines.pnlminus[0] = pnl


class DataTrades(Observer):
    """Per-data trade results (one line per data feed)."""

    _stclock = True
    params = (('usenames', True),)
    plotinfo = dict(plot=True, subplot=True, plothlines=[0.0], plotymargin=0.10)

    def _linescls(self) -> type:
        # as backtrader: a data without a name (a resampled copy, a
        # DataFrame) gives an empty line name unless usenames=False
        names = tuple((d._name if self.p.usenames else f'data{i}')
                      for i, d in enumerate(self.datas))
        return type('Lines_DataTrades', (type(self).lines,), {'_lines': names})

    def next(self) -> None:
        # backtrader records the gross pnl on the line of the trade's data
        for trade in self._owner._tradespending:
            if trade.data not in self.ddatas or not trade.isclosed:  # (a dict: by identity)
                continue
            self.lines[index_of(self.datas, trade.data)][0] = trade.pnl

# backtrader's name for this observer's metaclass (one metaclass builds every object)
MetaDataTrades = type(Observer)
