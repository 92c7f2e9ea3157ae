"""Feeds reading a pandas DataFrame, column by column."""
from __future__ import annotations

import numpy as np

from ..feed import PRICE_LINES, DataBase, FeedDataError
from ..utils.date import dates2num

__all__ = ('PandasData', 'PandasDirectData')


def _stamps_to_num(values) -> np.ndarray:
    """Day numbers of a datetime index/column (aware values are taken to UTC)."""
    import pandas as pd
    idx = pd.DatetimeIndex(values)
    if idx.tz is not None:
        idx = idx.tz_convert('UTC').tz_localize(None)
    return dates2num(idx.to_numpy(dtype='datetime64[us]'))


class PandasData(DataBase):
    """Columns found by name (``-1``), position (int), name (str) or absent (None)."""

    params = (
        ('nocase', True),
        ('datetime', None),
        ('open', -1),
        ('high', -1),
        ('low', -1),
        ('close', -1),
        ('volume', -1),
        ('openinterest', -1),
    )

    datafields = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest']

    def _colmap(self) -> dict:
        """line name -> column position (None: absent; 'index' for datetime)."""
        df = self.p.dataname
        cols = list(df.columns)
        low = [c.lower() if isinstance(c, str) else c for c in cols]
        out = {}
        for name in self.getlinealiases():
            spec = getattr(self.p, name, None)
            if name == 'datetime' and spec is None:
                out[name] = 'index'
                continue
            if spec is None:
                out[name] = None
            elif isinstance(spec, bool):
                raise ValueError(f'PandasData: param {name}={spec!r} must be a column '
                                 'name, position, -1 or None')
            elif isinstance(spec, int) and spec < 0:
                want = name.lower() if self.p.nocase else name
                pool = low if self.p.nocase else cols
                out[name] = pool.index(want) if want in pool else None
            elif isinstance(spec, int):
                if spec >= len(cols):
                    raise ValueError(f'PandasData: param {name}={spec} but the DataFrame '
                                     f'has only {len(cols)} columns')
                out[name] = spec
            else:
                pool = low if self.p.nocase else cols
                key = spec.lower() if self.p.nocase and isinstance(spec, str) else spec
                if key not in pool:
                    raise ValueError(f'PandasData: param {name}={spec!r}: no such column; '
                                     f'columns are {cols}')
                out[name] = pool.index(key)
        missing = [k for k in PRICE_LINES if out.get(k) is None and _autodetect(getattr(self.p, k))]
        if missing:
            # backtrader runs with NaN prices on every bar: no trade, no warning
            raise ValueError(
                f'{type(self).__name__}: no column for {", ".join(missing)} '
                f'(looked for {", ".join(map(repr, missing))}'
                f'{", any case" if self.p.nocase else ""}); the DataFrame has columns '
                f'{cols}. Name the column ({missing[0]}=\'...\'), give its position, '
                f'or pass {missing[0]}=None if the data has none')
        return out

    def _loadarrays(self) -> dict:
        df = self.p.dataname
        if not hasattr(df, 'iloc') or not hasattr(df, 'columns'):
            raise TypeError(f'{type(self).__name__}: dataname must be a pandas DataFrame, '
                            f'got {type(df).__name__}')
        if not len(df):
            raise FeedDataError(f'{type(self).__name__}: {self._source_desc()} has no data rows')
        cmap = self._colmap()
        self._absent = {k: v is None for k, v in cmap.items()}
        n = len(df)
        where = cmap['datetime']
        stamps = df.index if where == 'index' else df.iloc[:, where]
        if self.p.tzinput is not None and getattr(getattr(stamps, 'dt', stamps), 'tz', None):
            # backtrader reads the (UTC) times as tzinput local times: hours off
            raise ValueError(f'{type(self).__name__}: tzinput={self.p.tzinput!r} with a '
                             'time-zone-aware datetime '
                             f'{"index" if where == "index" else "column"}; the times already '
                             'carry their zone: drop tzinput')
        try:
            dt = _stamps_to_num(stamps)
        except (TypeError, ValueError) as e:
            raise FeedDataError(f'{self._source_name()}: the datetime '
                                f'{"index" if where == "index" else "column"} '
                                f'is not made of dates: {e}') from None
        self._srcrows = np.arange(n)  # positions; named lazily by _rowlabel
        out = {'datetime': dt}
        for name, pos in cmap.items():
            if name == 'datetime' or pos is None:
                continue
            col = df.iloc[:, pos]
            try:
                values = col.to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError):
                conv = [_tofloat(v) for v in col.tolist()]
                bad = [i for i, v in enumerate(conv) if v is None]
                raise FeedDataError(f'{self._source_name()}: row {self._rowname(bad[0])}: '
                                    f'{name} value {col.iloc[bad[0]]!r} is not a number') from None
            out[name] = values
        for name in self.getlinealiases():
            out.setdefault(name, None)
        return {k: v for k, v in out.items() if v is not None} | {'datetime': dt}

    def _source_name(self) -> str:
        return self.p.name or 'DataFrame'

    def _source_desc(self) -> str:
        return f'the DataFrame {self.p.name!r}' if self.p.name else 'the DataFrame'

    def _rowlabel(self, row) -> str:
        return str(self.p.dataname.index[int(row)])


def _autodetect(spec) -> bool:
    """A column param asking to find the column by its line's name (-1)."""
    return isinstance(spec, int) and not isinstance(spec, bool) and spec < 0


def _tofloat(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


class PandasDirectData(DataBase):
    """Rows in DataFrame order: the index is the datetime, columns by position."""

    params = (
        ('datetime', 0),
        ('open', 1),
        ('high', 2),
        ('low', 3),
        ('close', 4),
        ('volume', 5),
        ('openinterest', 6),
    )

    datafields = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest']

    def _loadarrays(self) -> dict:
        df = self.p.dataname
        self._srcrows = np.arange(len(df))
        out = {'datetime': _stamps_to_num(df.index)}
        # itertuples() puts the index at 0, so columns are shifted by one
        for name in self.getlinealiases():
            if name == 'datetime':
                continue
            pos = getattr(self.p, name, -1)
            if pos is None or pos < 1 or pos > df.shape[1]:
                continue
            out[name] = df.iloc[:, pos - 1].to_numpy(dtype=np.float64, na_value=np.nan)
        return out

    def _source_name(self) -> str:
        return self.p.name or 'DataFrame'

    def _source_desc(self) -> str:
        return f'the DataFrame {self.p.name!r}' if self.p.name else 'the DataFrame'

    def _rowlabel(self, row) -> str:
        return str(self.p.dataname.index[int(row)])
