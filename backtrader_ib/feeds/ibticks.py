"""A feed of tick files, as ``backtrader-ib download --ticks`` writes them.

Each tick is a bar: open, high, low and close hold its price, volume its size
(TRADES files, ``datetime,price,size``; MIDPOINT files, ``datetime,price``, have
volume 0). For BID_ASK files (``datetime,bid,ask,bidsize,asksize``) the price
is taken from the quote by ``price`` ('mid', 'bid' or 'ask'), volume 0;
:class:`IBTickBidAskData` has ``bid``, ``ask``, ``bidsize`` and ``asksize``
lines as well. (IBTickData keeps backtrader's standard lines so resampling
takes the vectorised path.) CSV or Parquet (by the file suffix) or a
DataFrame with those columns. ``timeframe`` is Ticks, so ticks may share a
timestamp; resample or replay them to bars.
"""
from __future__ import annotations

import csv
import os
from typing import Any

import numpy as np

from ..dataseries import TimeFrame
from ..feed import DataBase, FeedDataError
from ..utils.date import dates2num
from .pandafeed import _stamps_to_num

__all__ = ('IBTickData', 'IBTickCSVData', 'IBTickBidAskData')

KINDS = {'TRADES': ('price', 'size'), 'BID_ASK': ('bid', 'ask', 'bidsize', 'asksize'),
         'MIDPOINT': ('price',)}


class IBTickData(DataBase):
    """Ticks from a CSV/Parquet file (or DataFrame) of historical IB ticks."""

    params = (
        ('timeframe', TimeFrame.Ticks),
        ('what', None),       # 'TRADES', 'BID_ASK', 'MIDPOINT'; None: from the columns
        ('price', 'mid'),     # BID_ASK files: the price of a tick: 'mid', 'bid' or 'ask'
    )

    def _source_name(self) -> str:
        d = self.p.dataname
        return self.p.name or (os.fspath(d) if isinstance(d, (str, os.PathLike)) else 'DataFrame')

    def _source_desc(self) -> str:
        return self._source_name()

    def _rowlabel(self, row) -> str:
        # CSV: the file's line number (the header is line 1)
        return str(int(row) + 2) if self._csv else str(int(row))

    def _frame(self) -> Any:
        import pandas as pd
        d = self.p.dataname
        self._csv = False
        if hasattr(d, 'columns'):
            return d
        path = os.fspath(d)
        if not os.path.exists(path):
            raise FileNotFoundError(f'{type(self).__name__}: no file {path!r}')
        if path.lower().endswith(('.parquet', '.pq')):
            return pd.read_parquet(path)
        self._csv = True
        return pd.read_csv(path, dtype={'datetime': str})

    def _arrow_columns(self) -> dict | None:
        """A CSV file's columns read by pyarrow (lower-cased names, numpy
        arrays; times as datetime64 in UTC), or None where the pandas reader
        must do it: no pyarrow, not a CSV file, or a column pyarrow did not
        read as times or numbers without gaps (the pandas path names a bad
        row). Much faster, and holds no Python object per row."""
        d = self.p.dataname
        if hasattr(d, 'columns'):
            return None
        path = os.fspath(d)
        if not os.path.exists(path) or path.lower().endswith(('.parquet', '.pq')):
            return None
        try:
            import pyarrow as pa
            import pyarrow.csv as pacsv
        except ImportError:
            return None
        # values as float64 whatever the first block holds (integer prices
        # there would make a later "100.25" a conversion error)
        try:
            with open(path, newline='') as f:
                header = next(csv.reader([f.readline()]), [])
        except (OSError, UnicodeDecodeError):
            return None
        floats = {h: pa.float64() for h in header if h.strip().lower() != 'datetime'}
        try:  # one thread, the system allocator: a lower peak of memory, less CPU
            table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=False),
                                   convert_options=pacsv.ConvertOptions(column_types=floats),
                                   memory_pool=pa.system_memory_pool())
        except pa.ArrowException:
            return None  # e.g. a value that is not a number: the pandas path names it
        names = [str(n).lower() for n in table.column_names]
        if len(set(names)) != len(names) or not table.num_rows:
            return None
        out: dict = {}
        for name, col in zip(names, table.columns):
            values = _arrow_values(pa, col, name == 'datetime')
            if values is None:
                return None
            out[name] = values
        self._csv = True
        return out

    def _kind(self, cols: list) -> str:
        what = self.p.what
        if what is None:
            what = ('BID_ASK' if {'bid', 'ask'} <= set(cols) else
                    'TRADES' if 'size' in cols else 'MIDPOINT')
        what = str(what).upper()
        if what not in KINDS:
            raise ValueError(f'{type(self).__name__}: what={self.p.what!r}: use TRADES, '
                             'BID_ASK or MIDPOINT')
        missing = [c for c in ('datetime',) + KINDS[what] if c not in cols]
        if missing:
            raise FeedDataError(f'{self._source_name()}: a {what} tick file needs the '
                                f'column(s) {", ".join(missing)}; it has {", ".join(cols)}')
        return what

    def _loadarrays(self) -> dict:
        if self.p.price not in ('mid', 'bid', 'ask'):
            raise ValueError(f"{type(self).__name__}: price={self.p.price!r}: use 'mid', 'bid' or 'ask'")
        arrow = self._arrow_columns()
        if arrow is not None:
            what = self._kind(list(arrow))
            n = len(arrow['datetime'])
            out: dict = {'datetime': dates2num(arrow['datetime'])}
            values = {name: arrow[name] for name in KINDS[what]}
        else:
            out, values, what = self._pandas_columns()
            n = len(out['datetime'])
        self._srcrows = np.arange(n)
        if what == 'BID_ASK':
            bid, ask = values['bid'], values['ask']
            price = {'mid': (bid + ask) / 2, 'bid': bid, 'ask': ask}[self.p.price]
            size = np.zeros(n)
            if 'bid' in self.getlinealiases():
                out.update(bid=bid, ask=ask, bidsize=values['bidsize'],
                           asksize=values['asksize'])
        else:
            price = values['price']
            size = values.get('size', np.zeros(n))
        out.update(open=price, high=price, low=price, close=price, volume=size,
                   openinterest=np.zeros(n))
        self._absent = {'openinterest': True}
        return out

    def _pandas_columns(self) -> tuple:
        """(datetime column, value columns, kind) read by pandas: a DataFrame,
        Parquet, or a CSV file pyarrow could not read as times and numbers."""
        import pandas as pd
        df = self._frame()
        cols = [str(c).lower() for c in df.columns]
        df = df.set_axis(cols, axis=1)
        what = self._kind(cols)
        self._srcrows = np.arange(len(df))
        try:
            stamps = pd.to_datetime(df['datetime'], format='ISO8601')
        except (TypeError, ValueError) as e:
            raise FeedDataError(f'{self._source_name()}: the datetime column is not made of '
                                f'dates: {e}') from None
        values = {}
        for name in KINDS[what]:
            col = pd.to_numeric(df[name], errors='coerce').to_numpy(dtype=float)
            bad = np.flatnonzero(np.isnan(col) & df[name].notna().to_numpy())
            if len(bad):
                raise FeedDataError(f'{self._source_name()}: row {self._rowname(bad[0])}: '
                                    f'{name} value {df[name].iloc[bad[0]]!r} is not a number')
            values[name] = col
        return {'datetime': _stamps_to_num(stamps)}, values, what


def _arrow_values(pa, col, times: bool) -> np.ndarray | None:
    """A pyarrow array or column as a numpy copy (float; datetime64 for ``times``)
    read straight from its buffers (``to_numpy`` would import pandas), or
    None: another type, or missing values."""
    t = col.type
    if col.null_count:
        return None
    if times:
        if not pa.types.is_timestamp(t):
            return None
        dtype = np.dtype(np.int64)
    elif pa.types.is_floating(t) or pa.types.is_integer(t):
        kind = 'f' if pa.types.is_floating(t) else 'i' if pa.types.is_signed_integer(t) else 'u'
        dtype = np.dtype(f'{kind}{t.bit_width // 8}')
    else:
        return None
    parts = [np.frombuffer(c.buffers()[1], dtype=dtype, count=len(c),
                           offset=c.offset * dtype.itemsize)
             for c in getattr(col, 'chunks', [col])]
    values = np.concatenate(parts) if parts else np.empty(0, dtype=dtype)  # a copy
    if times:  # values in the column's unit since the epoch, UTC when zoned
        return values.view(f'datetime64[{t.unit}]')
    return values.astype(np.float64)


class IBTickBidAskData(IBTickData):
    """IBTickData with the quote's lines: ``bid``, ``ask``, ``bidsize``, ``asksize``
    (BID_ASK files; NaN for other files)."""

    lines = ('bid', 'ask', 'bidsize', 'asksize')


#: the name backtrader's CSV feeds suggest
IBTickCSVData = IBTickData
