"""Value of the position in each data at every bar."""
from __future__ import annotations

from ..analyzer import Analyzer
from ..dataseries import TimeFrame

__all__ = ('PositionsValue',)


class PositionsValue(Analyzer):
    """{date (datetime for intraday data): [value of each data's position, (cash)]}.

    ``headers=True`` puts a first entry ``'Datetime': [data names..., ('cash')]``;
    ``cash=True`` appends the broker's cash to each row.
    """

    params = (('headers', False), ('cash', False))

    def start(self) -> None:
        if self.p.headers:
            names = [d._name or f'Data{i}' for i, d in enumerate(self.datas)]
            self.rets['Datetime'] = names + ['cash'] * self.p.cash
        self._usedate = min(d._timeframe for d in self.datas) >= TimeFrame.Days

    def next(self) -> None:
        broker = self.strategy.broker
        # a flat position is worth 0, even before its data has a price
        row = [broker.get_value([d]) if broker.getposition(d).size else 0.0
               for d in self.datas]
        if self.p.cash:
            row.append(broker.get_cash())
        dt = self.strategy.datetime
        self.rets[dt.date() if self._usedate else dt.datetime()] = row
