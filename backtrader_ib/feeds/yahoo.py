"""Yahoo Finance CSV files: Date,Open,High,Low,Close,Adj Close,Volume."""
from __future__ import annotations

import datetime
import io
import warnings

import numpy as np

from ..feed import FeedDataError
from ..utils.date import date2num, dates2num
from .csvbase import CSVDataBase, CSVFeedBase

__all__ = ('YahooFinanceCSVData', 'YahooLegacyCSV', 'YahooFinanceCSV', 'YahooFinanceData',
           'YahooFinance')

_COLUMNS = {'date': 0, 'open': 1, 'high': 2, 'low': 3, 'close': 4, 'adjclose': 5, 'volume': 6}


def pyround(values: np.ndarray, ndigits: int) -> np.ndarray:
    """Python's ``round(x, ndigits)`` for every element, bit for bit.

    ``rint(x * 10**n) / 10**n`` is exact except where ``x * 10**n`` lands
    within an ulp of a half (its own rounding may cross it) or is too large
    for a whole-number check; those few go through ``round`` itself.
    """
    values = np.asarray(values, dtype=float)
    ndigits = int(ndigits)
    if ndigits == 0:
        return np.rint(values)  # round-half-even on the exact value, like round()
    if not 0 < ndigits <= 22:  # 10**n is not an exact double beyond 22
        return np.array([round(x, ndigits) for x in values.tolist()])
    scale = 10.0 ** ndigits
    with np.errstate(invalid='ignore', over='ignore'):
        y = values * scale
        out = np.rint(y) / scale
        near_half = np.abs(y - np.floor(y) - 0.5) <= 4 * np.abs(np.spacing(y))
        suspect = near_half | (np.abs(y) >= 2.0 ** 52)
    for i in np.flatnonzero(suspect):
        out[i] = round(float(values[i]), ndigits)
    return out


class YahooFinanceCSVData(CSVDataBase):
    """A Yahoo CSV download: prices adjusted by ``Adj Close`` unless ``adjclose=False``.

    Rows holding a ``null`` field are skipped (with one warning). Bars are
    stamped at ``sessionend``. ``reverse=True`` reads files stored newest
    first. Prices are rounded to ``decimals`` after the adjustment when
    ``round`` is set, and volume to ``roundvolume`` decimals always.
    """

    lines = ('adjclose',)

    params = (
        ('reverse', False),
        ('adjclose', True),
        ('adjvolume', True),
        ('round', True),
        ('decimals', 2),
        ('roundvolume', False),
        ('swapcloses', False),
    )

    def start(self) -> None:
        super().start()
        if self.f is not None and self.p.reverse:  # bar by bar: read the rows backwards
            rows = self.f.readlines()
            self.f.close()
            self.f = io.StringIO(''.join(r if r.endswith('\n') else r + '\n'
                                         for r in reversed(rows)))

    def _loadline(self, linetokens: list) -> bool:
        """One row into the lines (used only by subclasses overriding this)."""
        p = self.p
        while 'null' in linetokens[1:]:
            linetokens = self._getnextline()
            if not linetokens:
                return False
        text = linetokens[0]
        day = datetime.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
        self.lines.datetime[0] = date2num(datetime.datetime.combine(day, p.sessionend))
        o, h, lo, c, adj = (float(x) for x in linetokens[1:6])
        try:
            v = float(linetokens[6])
        except (IndexError, ValueError):
            v = 0.0
        if p.swapcloses:
            c, adj = adj, c
        factor = c / adj
        if p.adjclose:
            o, h, lo, c = o / factor, h / factor, lo / factor, adj
            if p.adjvolume:
                v *= factor
        if p.round:
            o, h, lo, c = (round(x, p.decimals) for x in (o, h, lo, c))
        lines = self.lines
        lines.open[0], lines.high[0], lines.low[0], lines.close[0] = o, h, lo, c
        lines.volume[0] = round(v, p.roundvolume or 0)
        lines.openinterest[0] = 0.0
        lines.adjclose[0] = adj
        return True

    def _loadcolumns(self) -> dict:
        p = self.p
        src = self._source_name()
        cols = self._read_table(_COLUMNS, {}, optional=('volume',))
        rows = self._srcrows
        null = np.zeros(len(rows), dtype=bool)
        for name in _COLUMNS:
            if name != 'date':
                null |= cols[name] == 'null'
        if null.any():
            warnings.warn(f'{src}: skipped {int(null.sum())} row(s) with null fields '
                          f'(first: row {rows[np.flatnonzero(null)[0]]})', stacklevel=4)
            keep = ~null
            cols = {k: v[keep] for k, v in cols.items()}
            rows = self._srcrows = rows[keep]
        if p.reverse:
            cols = {k: v[::-1] for k, v in cols.items()}
            rows = self._srcrows = rows[::-1]

        o, h, lo, c, adj = (self._prices(cols[k], k) for k in
                           ('open', 'high', 'low', 'close', 'adjclose'))
        # backtrader takes a volume it cannot read (missing, blank) as 0
        vol = cols['volume']
        blank = np.char.strip(vol.astype(str)) == ''
        v = np.zeros(len(vol))
        if (~blank).any():
            v[~blank] = self._tofloats(vol[~blank], 'volume', rownums=rows[~blank])

        if p.swapcloses:
            c, adj = adj, c
        if p.adjclose:
            # backtrader dies on ZeroDivisionError here; numpy would give inf/0 bars
            zero = np.flatnonzero((c == 0) | (adj == 0))
            if len(zero):
                raise FeedDataError(f'{src}: row {rows[zero[0]]}: close or adjusted close is 0, '
                                    'prices cannot be adjusted (pass adjclose=False)')
        with np.errstate(divide='ignore', invalid='ignore'):
            factor = c / adj
            if p.adjclose:
                o = o / factor
                h = h / factor
                lo = lo / factor
                c = adj.copy()  # lines use their arrays as storage: no sharing
                if p.adjvolume:
                    v = v * factor
        if p.round:
            o, h, lo, c = (pyround(x, p.decimals) for x in (o, h, lo, c))
        v = pyround(v, p.roundvolume or 0)

        days = self._dates(cols['date'])
        end = p.sessionend
        endus = ((end.hour * 60 + end.minute) * 60 + end.second) * 1000000 + end.microsecond
        dt = dates2num(days.astype('datetime64[us]') + np.timedelta64(endus, 'us'))
        if not p.reverse and len(dt) > 2 and (np.diff(dt) < 0).all():
            raise FeedDataError(f'{src}: rows are newest first (row {rows[0]} is '
                                f'{cols["date"][0]!r}); pass reverse=True')
        return {'datetime': dt, 'open': o, 'high': h, 'low': lo, 'close': c, 'volume': v,
                'openinterest': np.zeros(len(dt)), 'adjclose': adj}

    def _prices(self, values: np.ndarray, name: str) -> np.ndarray:
        blank = np.flatnonzero(np.char.strip(values.astype(str)) == '')
        if len(blank):
            raise FeedDataError(f'{self._source_name()}: row {self._srcrows[blank[0]]}: '
                                f'{name} is empty')
        return self._tofloats(values, name)

    def _dates(self, values: np.ndarray) -> np.ndarray:
        """Day of each row from characters 0-3, 5-6 and 8-9, as backtrader reads them."""
        n = len(values)
        days = np.empty(n, dtype='datetime64[D]')
        if not n:
            return days
        # fast path: rows whose ten first characters are digits at those places
        text = np.asarray(values, dtype='U10')
        codes = text.view(np.uint32).reshape(n, 10).copy()
        digit_at = [0, 1, 2, 3, 5, 6, 8, 9]
        strict = ((codes[:, digit_at] >= 48) & (codes[:, digit_at] <= 57)).all(axis=1)
        codes[:, [4, 7]] = ord('-')
        iso = codes.view('U10').reshape(n)
        try:
            days[strict] = iso[strict].astype('datetime64[D]')
            todo = np.flatnonzero(~strict)
        except ValueError:  # an impossible day: find it below
            todo = np.arange(n)
        for i in todo:
            s = values[i]
            try:
                days[i] = datetime.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))
            except (ValueError, TypeError):
                raise FeedDataError(f'{self._source_name()}: row {self._srcrows[i]}: '
                                    f'date {s!r} is not YYYY-MM-DD') from None
        return days


class YahooLegacyCSV(YahooFinanceCSVData):
    """Files downloaded before Yahoo's May 2017 change (parsed the same way)."""

    params = (('version', ''),)


class YahooFinanceCSV(CSVFeedBase):
    DataCls = YahooFinanceCSVData


# -- backtrader's online download: kept by name only ------------------------------
from ..unsupported import Unsupported  # noqa: E402


class YahooFinanceData(Unsupported, YahooFinanceCSVData):
    """backtrader's download from Yahoo's web site."""

    _why = ("downloads from Yahoo's v7 CSV endpoint, which Yahoo no longer serves and "
            'backtrader_ib does not call: save the data as a CSV file and read it with '
            'bt.feeds.YahooFinanceCSVData')
    params = (('proxies', {}), ('period', 'd'), ('reverse', False),
              ('urlhist', 'https://finance.yahoo.com/quote/{}/history'),
              ('urldown', 'https://query1.finance.yahoo.com/v7/finance/download'),
              ('retries', 3))


class YahooFinance(CSVFeedBase):
    DataCls = YahooFinanceData
