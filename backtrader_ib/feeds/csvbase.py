"""CSV parsing for file feeds (``CSVDataBase``).

The file is read whole and parsed by column: pandas' C parser on regular
files, a row-by-row reader for anything else and to name the bad row. Kept
apart from ``feed.py`` (the life cycle every feed shares); backtrader code
still imports these names from ``backtrader_ib.feed``.
"""
from __future__ import annotations

import csv
import io
import os

import numpy as np

from ..feed import DataBase, FeedBase, FeedDataError
from ..linebuffer import NAN
from ..utils.overrides import overridden_below

__all__ = ('CSVDataBase', 'CSVFeedBase')


class CSVDataBase(DataBase):
    """Base of CSV feeds: the file is read whole and parsed by column.

    Subclasses call ``_read_table`` (vectorised, pandas' C parser on regular
    files) or ``_read_rows`` plus ``_column``/``_floats`` (row lists). Both set
    ``self._srcrows``, the file line number of every data row, for messages.

    A subclass without ``_loadarrays`` loads bar by bar as in backtrader:
    ``start`` opens ``self.f`` and skips the header, and every line's fields
    go to ``_loadline(linetokens)``, which fills ``self.lines.x[0]``.
    """

    params = (('headers', True), ('separator', ','))
    f = None

    def _preinit(self, args, kwargs):
        args, kwargs = super()._preinit(args, kwargs)
        name = self.p.dataname
        if not self._name and isinstance(name, (str, os.PathLike)):
            # named after the file, as in backtrader
            self._name = os.path.splitext(os.path.basename(name))[0]
        return args, kwargs

    @property
    def _loadarrays(self):
        # The class's vectorised loader (_loadcolumns), unless a subclass below
        # it parses rows itself (its own _loadline): bar by bar through that.
        cls = type(self)
        if not hasattr(cls, '_loadcolumns') or overridden_below(cls, '_loadline',
                                                                 '_loadcolumns'):
            raise AttributeError('_loadarrays')
        return self._loadcolumns

    # -- bar by bar (subclasses implementing _loadline) -------------------
    def start(self) -> None:
        super().start()
        if hasattr(self, '_loadarrays'):
            return  # the file is read whole by _loadarrays
        if self.f is None:
            name = self.p.dataname
            if hasattr(name, 'readline'):
                self.f = name
            else:
                try:
                    self.f = open(name, 'r')
                except OSError as e:
                    raise FileNotFoundError(f'{name}: cannot open data file: '
                                            f'{e.strerror}') from None
        if self.p.headers:
            self.f.readline()
        self.separator = self.p.separator

    def stop(self) -> None:
        super().stop()
        if self.f is not None:
            self.f.close()
            self.f = None

    def _getnextline(self) -> list | None:
        """The next line's fields, None at the end of the file."""
        if self.f is None:
            return None
        line = self.f.readline()
        if not line:
            return None
        return line.rstrip('\n').split(self.separator)

    def _load(self) -> bool:
        if self._src is not None:  # read whole by _loadarrays (a subclass's super()._load())
            return super()._load()
        tokens = self._getnextline()
        if tokens is None:
            return False
        return self._loadline(tokens)

    def _loadline(self, linetokens: list) -> bool:
        raise NotImplementedError(f'{type(self).__name__} must implement '
                                  '_loadline(linetokens) or _loadarrays()')

    # -- whole file --------------------------------------------------------

    def _read_text(self) -> tuple[str, int]:
        """The text after the header line ('\\n' line ends) and its first line number."""
        name = self.p.dataname
        if hasattr(name, 'read'):
            text = name.read()
            if isinstance(text, bytes):
                text = text.decode('utf-8')
        else:
            try:
                with open(name, 'r') as f:  # universal newlines, like backtrader
                    text = f.read()
            except OSError as e:
                raise FileNotFoundError(f'{name}: cannot open data file: {e.strerror}') from None
        if '\r' in text:
            text = text.replace('\r\n', '\n').replace('\r', '\n')
        if self.p.headers:
            return text.partition('\n')[2], 2
        return text, 1

    def _read_rows(self, text: str | None = None, first: int = 1) -> list:
        """The data rows as lists of fields (blank lines skipped; sets ``_srcrows``)."""
        if text is None:
            text, first = self._read_text()
        sep = self.p.separator
        rows = []
        numbers = []
        for n, line in enumerate(text.split('\n'), start=first):
            if not line.strip():
                continue
            rows.append(line.split(sep))  # fields keep their spaces, as in backtrader
            numbers.append(n)
        self._srcrows = np.array(numbers, dtype=np.int64)
        return rows

    def _column(self, rows: list, idx: int, col: str | None = None,
                optional: bool = False) -> list:
        """Field ``idx`` of every row ('' where an ``optional`` field is missing)."""
        try:
            return [r[idx] for r in rows]
        except IndexError:
            if optional:
                return [r[idx] if len(r) > idx else '' for r in rows]
            for r, n in zip(rows, self._srcrows):
                if len(r) <= idx:
                    what = f'{col} (field {idx})' if col else f'field {idx}'
                    raise FeedDataError(f'{self._source_name()}: row {n}: no {what}: expected '
                                        f'at least {idx + 1} fields, found {len(r)}') from None
            raise

    def _floats(self, rows: list, idx: int, col: str, nullvalue: float = NAN) -> np.ndarray:
        """Column ``idx`` as floats; empty cells become ``nullvalue``."""
        return self._tofloats(self._column(rows, idx, col), col, nullvalue)

    def _tofloats(self, values, col: str, nullvalue: float = NAN,
                  rownums: np.ndarray | None = None) -> np.ndarray:
        """Strings as floats (Python's ``float`` rules); blank ones become ``nullvalue``."""
        rownums = self._srcrows if rownums is None else rownums
        stripped = np.char.strip(np.asarray(values, dtype=str))
        empty = stripped == ''
        out = np.full(len(stripped), nullvalue, dtype=float)
        try:
            out[~empty] = stripped[~empty].astype(float)
        except ValueError:
            for i in np.flatnonzero(~empty):
                try:
                    out[i] = float(stripped[i])
                except ValueError:
                    raise FeedDataError(f'{self._source_name()}: row {rownums[i]}: '
                                        f'{col} value {str(values[i])!r} is not a number') from None
        return out

    def _read_table(self, strcols: dict, numcols: dict, nullvalue: float = NAN,
                    optional: tuple = ()) -> dict:
        """Named columns of the file: ``{name: field index}`` in, ``{name: array}`` out.

        ``strcols`` come back as object arrays of str, ``numcols`` as float64
        (blank cells become ``nullvalue``). Names in ``optional`` may be missing
        from a row (a blank cell then); a missing required field is an error
        naming the row. Regular files (same field count on every line) go
        through pandas' C parser; anything else, and any file that parser
        rejects, through ``_read_rows``, which also pins down the bad row.
        """
        text, first = self._read_text()
        out = self._fast_table(text, first, strcols, numcols, nullvalue, set(optional))
        if out is not None:
            return out
        rows = self._read_rows(text, first)
        out = {}
        for name, idx in strcols.items():
            out[name] = np.array(self._column(rows, idx, name, name in optional), dtype=object)
        for name, idx in numcols.items():
            out[name] = self._tofloats(self._column(rows, idx, name, name in optional),
                                       name, nullvalue)
        return out

    def _fast_table(self, text: str, first: int, strcols: dict, numcols: dict,
                    nullvalue: float, optional: set) -> dict | None:
        """``_read_table`` via pandas, or None when the row-by-row reader must decide."""
        sep = self.p.separator
        if len(sep) != 1 or not sep.isascii() or sep == '\n':
            return None
        # Field count of every line from the separator positions, so short rows
        # (which pandas would pad) and row numbers are known without a loop.
        buf = np.frombuffer(text.encode('utf-8'), dtype=np.uint8)
        ends = np.flatnonzero(buf == 10)
        if len(buf) and buf[-1] != 10:
            ends = np.append(ends, len(buf))
        starts = np.concatenate(([0], ends[:-1] + 1))
        nonblank = ends > starts
        nfields = np.bincount(np.searchsorted(ends, np.flatnonzero(buf == ord(sep))),
                              minlength=len(ends))[nonblank] + 1
        linenos = first + np.flatnonzero(nonblank)
        wanted = {**strcols, **numcols}
        need = max((i for k, i in wanted.items() if k not in optional), default=-1) + 1
        if not len(linenos):
            self._srcrows = linenos
            return {k: np.empty(0, dtype=object if k in strcols else float) for k in wanted}
        nf = int(nfields[0])
        if nf < need or (nfields != nf).any():
            return None
        import pandas as pd  # lazy: pandas is optional (the fast path only)
        strset = {i for i in strcols.values() if i < nf}
        usecols = sorted({i for i in wanted.values() if i < nf})
        numset = set(usecols) - strset
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=range(nf),
                             usecols=usecols, index_col=False, engine='c',
                             quoting=csv.QUOTE_NONE, skip_blank_lines=True,
                             keep_default_na=False, na_values={i: [''] for i in numset},
                             dtype={i: (object if i in strset else np.float64) for i in usecols})
        except (ValueError, TypeError, pd.errors.ParserError):
            return None
        n = len(linenos)
        if len(df) != n:  # pandas skipped lines we count (e.g. whitespace only)
            return None
        self._srcrows = linenos
        out = {}
        for name, idx in strcols.items():
            out[name] = df[idx].to_numpy(dtype=object) if idx < nf else np.full(n, '', dtype=object)
        for name, idx in numcols.items():
            if idx >= nf:
                out[name] = np.full(n, nullvalue)
            elif idx in strset:
                out[name] = self._tofloats(df[idx].to_numpy(dtype=object), name, nullvalue)
            else:
                a = df[idx].to_numpy(dtype=np.float64)
                # a NaN here can only come from a blank cell ('nan' text is left
                # to the row reader by na_values/keep_default_na)
                if nullvalue == nullvalue:
                    a = np.where(np.isnan(a), nullvalue, a)
                out[name] = a
        return out


CSVFeedBase = FeedBase
