"""Quandl CSV files: Date,Open,High,Low,Close,Volume,Ex-Dividend,Split Ratio,
Adj. Open,Adj. High,Adj. Low,Adj. Close,Adj. Volume."""
from __future__ import annotations


import numpy as np

from ..feed import FeedDataError
from ..unsupported import Unsupported
from ..utils.date import dates2num
from .csvbase import CSVDataBase
from .yahoo import YahooFinanceCSVData, pyround

__all__ = ('QuandlCSV', 'Quandl')

_PRICES = ('open', 'high', 'low', 'close', 'volume')


class QuandlCSV(CSVDataBase):
    """A Quandl CSV file (downloaded, or written in its layout).

    ``adjclose`` (default True) takes the ``Adj.`` columns, else the raw
    ones; ``round`` rounds all five values to ``decimals``; ``reverse`` reads a
    file stored newest first. Bars are stamped at ``sessionend``; open
    interest is 0.
    """

    params = (('reverse', False), ('adjclose', True), ('round', False), ('decimals', 2))

    def _first(self) -> int:
        return 8 if self.p.adjclose else 1  # the Adj. columns follow 7 raw ones

    def _loadcolumns(self) -> dict:
        p = self.p
        first = self._first()
        cols = self._read_table({'date': 0}, {k: first + i for i, k in enumerate(_PRICES)})
        if p.reverse:
            cols = {k: v[::-1] for k, v in cols.items()}
            self._srcrows = self._srcrows[::-1]
        for k in _PRICES:
            blank = np.flatnonzero(np.isnan(cols[k]))
            if len(blank):
                raise FeedDataError(f'{self._source_name()}: row {self._srcrows[blank[0]]}: '
                                    f'{k} is empty')
            if p.round:
                cols[k] = pyround(cols[k], p.decimals)
        days = YahooFinanceCSVData._dates(self, cols['date'])  # same date rule as Yahoo's
        end = p.sessionend
        endus = ((end.hour * 60 + end.minute) * 60 + end.second) * 1000000 + end.microsecond
        out = {'datetime': dates2num(days.astype('datetime64[us]') + np.timedelta64(endus, 'us'))}
        out.update({k: cols[k] for k in _PRICES})
        out['openinterest'] = np.zeros(len(days))
        return out

    def _loadline(self, linetokens: list) -> bool:
        """One row into the lines (bar by bar: subclasses overriding this call it)."""
        p = self.p
        text = linetokens[0]
        day = np.datetime64(f'{text[0:4]}-{text[5:7]}-{text[8:10]}', 'D')
        end = p.sessionend
        endus = ((end.hour * 60 + end.minute) * 60 + end.second) * 1000000 + end.microsecond
        stamp = day.astype('datetime64[us]') + np.timedelta64(endus, 'us')
        self.lines.datetime[0] = float(dates2num(np.array([stamp]))[0])
        first = self._first()
        for i, k in enumerate(_PRICES):
            v = float(linetokens[first + i])
            getattr(self.lines, k)[0] = round(v, p.decimals) if p.round else v
        self.lines.openinterest[0] = 0.0
        return True


class Quandl(Unsupported, QuandlCSV):
    """backtrader's Quandl download."""

    _why = ('downloads from the Quandl web API (now Nasdaq Data Link), which backtrader_ib '
            'does not do: download the dataset as CSV (…/api/v3/datasets/WIKI/<ticker>.csv) '
            'and read it with bt.feeds.QuandlCSV')
    params = (('baseurl', 'https://www.quandl.com/api/v3/datasets'), ('proxies', {}),
              ('buffered', True), ('reverse', True), ('apikey', None), ('dataset', 'WIKI'))
