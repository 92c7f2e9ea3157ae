"""System Quality Number (Van Tharp)."""
from __future__ import annotations

import math

from ..analyzer import Analyzer
from ..mathsupport import average, standarddev
from ..utils.autodict import AutoOrderedDict

__all__ = ('SQN',)


class SQN(Analyzer):
    """sqrt(number of trades) * mean(pnl) / stddev(pnl) over closed trades."""

    alias = ('SystemQualityNumber',)

    def create_analysis(self) -> None:
        self.rets = AutoOrderedDict()

    def start(self) -> None:
        self.pnl = []
        self.count = 0

    def notify_trade(self, trade) -> None:
        if trade.status == trade.Closed:
            self.pnl.append(trade.pnlcomm)
            self.count += 1

    def stop(self) -> None:
        if self.count > 1:
            pnl_av = average(self.pnl)
            pnl_stddev = standarddev(self.pnl)
            try:
                sqn = math.sqrt(len(self.pnl)) * pnl_av / pnl_stddev
            except ZeroDivisionError:
                sqn = None
        else:
            sqn = 0
        self.rets.sqn = sqn
        self.rets.trades = self.count

