"""Everything pyfolio (or quantstats) needs, gathered in one analyzer."""
from __future__ import annotations

from ..analyzer import Analyzer
from ..dataseries import TimeFrame
from .leverage import GrossLeverage
from .positions import PositionsValue
from .timereturn import TimeReturn
from .transactions import Transactions

__all__ = ('PyFolio',)


class PyFolio(Analyzer):
    """Returns, positions, transactions and gross leverage of the run.

    ``get_analysis()`` holds the four dicts of the child analyzers;
    ``get_pf_items()`` turns them into pandas objects with UTC indices:
    ``returns`` (Series 'return'), ``positions`` (DataFrame: one column per
    data, then 'cash'), ``transactions`` (DataFrame: amount, price, sid,
    symbol, value; one row per data and bar) and ``gross_lev`` (Series).
    """

    params = (('timeframe', TimeFrame.Days), ('compression', 1))

    def __init__(self) -> None:
        tf = dict(timeframe=self.p.timeframe, compression=self.p.compression)
        self._returns = TimeReturn(**tf)
        self._positions = PositionsValue(headers=True, cash=True)
        self._transactions = Transactions(headers=True)
        self._gross_lev = GrossLeverage()

    def stop(self) -> None:
        self.rets['returns'] = self._returns.get_analysis()
        self.rets['positions'] = self._positions.get_analysis()
        self.rets['transactions'] = self._transactions.get_analysis()
        self.rets['gross_lev'] = self._gross_lev.get_analysis()

    def get_pf_items(self):
        """(returns, positions, transactions, gross_lev) as pandas objects."""
        import pandas as pd

        def utc_index(frame):
            frame.index = pd.to_datetime(frame.index).tz_localize('UTC')
            return frame

        returns = utc_index(pd.DataFrame.from_records(
            list(self.rets['returns'].items()), index='index', columns=['index', 'return']))

        # backtrader keeps only the last data's column (and cash); every data's is kept here
        rows = [[k] + v for k, v in self.rets['positions'].items()]
        header = rows.pop(0)
        positions = utc_index(pd.DataFrame.from_records(rows, index=header[0], columns=header))

        txs = [[k] + entry for k, entries in self.rets['transactions'].items()
               for entry in entries]
        header = txs.pop(0)
        transactions = utc_index(pd.DataFrame.from_records(txs, index=header[0],
                                                           columns=header))

        gross_lev = utc_index(pd.DataFrame.from_records(
            list(self.rets['gross_lev'].items()), index='index',
            columns=['index', 'gross_lev']))
        return returns['return'], positions, transactions, gross_lev['gross_lev']
