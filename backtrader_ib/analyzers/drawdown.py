"""Drawdowns of the portfolio value: bar by bar, and per time frame."""
from __future__ import annotations

from ..analyzer import Analyzer, TimeFrameAnalyzerBase
from ..utils.autodict import AutoOrderedDict
from .fundmode import FundModeMixin

__all__ = ('DrawDown', 'TimeDrawDown')


class DrawDown(FundModeMixin, Analyzer):
    """Current and maximum drawdown (percent, money, length in bars).

    ``get_analysis()``: ``len``, ``drawdown`` (percent), ``moneydown`` and
    ``max.len``, ``max.drawdown``, ``max.moneydown``.
    """

    params = (('fund', None),)

    def create_analysis(self) -> None:
        r = self.rets = AutoOrderedDict()
        r.len = 0
        r.drawdown = 0.0
        r.moneydown = 0.0
        r.max.len = 0.0
        r.max.drawdown = 0.0
        r.max.moneydown = 0.0
        self._maxvalue = float('-inf')

    def start(self) -> None:
        self._pick_fundmode()

    def stop(self) -> None:
        self.rets._close()

    def notify_fund(self, cash, value, fundvalue, shares) -> None:
        self._value = fundvalue if self._fundmode else value
        self._maxvalue = max(self._maxvalue, self._value)

    def next(self) -> None:
        # (item access: the per-bar path avoids the dict's attribute hooks)
        r = self.rets
        r['moneydown'] = moneydown = self._maxvalue - self._value
        r['drawdown'] = drawdown = 100.0 * moneydown / self._maxvalue
        rmax = r['max']
        rmax['moneydown'] = max(rmax['moneydown'], moneydown)
        rmax['drawdown'] = max(rmax['drawdown'], drawdown)
        r['len'] = length = r['len'] + 1 if drawdown else 0
        rmax['len'] = max(rmax['len'], length)


class TimeDrawDown(FundModeMixin, TimeFrameAnalyzerBase):
    """Drawdown sampled at the first bar of each period of ``timeframe``.

    ``get_analysis()``: ``maxdrawdown`` (percent) and ``maxdrawdownperiod``
    (periods); ``dd``, ``maxdd`` and ``maxddlen`` are live attributes.
    """

    params = (('fund', None),)

    def start(self) -> None:
        super().start()
        self._pick_fundmode()
        self.dd = self.maxdd = 0.0
        self.maxddlen = self.ddlen = 0
        self.peak = float('-inf')

    def on_dt_over(self) -> None:
        value = self._broker_value()
        if value > self.peak:
            self.peak = value
            self.ddlen = 0
        self.dd = dd = 100.0 * (self.peak - value) / self.peak
        self.ddlen += bool(dd)
        self.maxdd = max(self.maxdd, dd)
        self.maxddlen = max(self.maxddlen, self.ddlen)

    def stop(self) -> None:
        self.rets['maxdrawdown'] = self.maxdd
        self.rets['maxdrawdownperiod'] = self.maxddlen
