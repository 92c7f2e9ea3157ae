"""Writers: a CSV stream of every bar and a summary of the run."""
from __future__ import annotations

import collections.abc
import io
import itertools
import sys

from .lineseries import LineSeries
from .metabase import ParamsBase

__all__ = ('WriterBase', 'WriterFile', 'WriterStringIO')


class WriterBase(ParamsBase):
    pass


class WriterFile(WriterBase):
    """Writes to ``out`` (stdout, a file name or a stream) in backtrader's layout."""

    params = (
        ('out', None),
        ('close_out', False),
        ('csv', False),
        ('csvsep', ','),
        ('csv_filternan', True),
        ('csv_counter', True),
        ('indent', 2),
        ('separators', ['=', '-', '+', '*', '.', '~', '"', '^', '#']),
        ('seplen', 79),
        ('rounding', None),
    )

    def __init__(self) -> None:
        self._len = itertools.count(1)
        self.headers: list = []
        self.values: list = []

    def _start_output(self) -> None:
        if not getattr(self, 'out', None):
            if self.p.out is None:
                self.out = sys.stdout
                self.close_out = False
            elif isinstance(self.p.out, str):
                self.out = open(self.p.out, 'w')
                self.close_out = True
            else:
                self.out = self.p.out
                self.close_out = self.p.close_out

    def start(self) -> None:
        self._start_output()
        if self.p.csv:
            self.writelineseparator()
            self.writeiterable(self.headers, counter='Id')

    def stop(self) -> None:
        if self.close_out:
            self.out.close()

    def next(self) -> None:
        if self.p.csv:
            self.writeiterable(self.values, func=str, counter=next(self._len))
            self.values = []

    def addheaders(self, headers) -> None:
        if self.p.csv:
            self.headers.extend(headers)

    def addvalues(self, values) -> None:
        if self.p.csv:
            if self.p.csv_filternan:
                values = (x if x == x else '' for x in values)
            self.values.extend(values)

    def writeiterable(self, iterable, func=None, counter='') -> None:
        if self.p.csv_counter:
            iterable = itertools.chain([counter], iterable)
        if func is not None:
            iterable = map(func, iterable)
        self.writeline(self.p.csvsep.join(iterable))

    def writeline(self, line: str) -> None:
        self.out.write(line + '\n')

    def writelines(self, lines) -> None:
        for line in lines:
            self.out.write(line + '\n')

    def writelineseparator(self, level: int = 0) -> None:
        sep = self.p.separators[level % len(self.p.separators)]
        line = ' ' * (level * self.p.indent)
        line += sep * (self.p.seplen - (level * self.p.indent))
        self.writeline(line)

    def writedict(self, dct, level: int = 0, recurse: bool = False) -> None:
        if not recurse:
            self.writelineseparator(level)
        indent0 = level * self.p.indent
        for key, val in dct.items():
            kline = ' ' * indent0
            if recurse:
                kline += '- '
            kline += str(key) + ':'
            if isinstance(val, type) and issubclass(val, LineSeries):
                self.writeline(kline + ' ' + val.__name__)
            elif isinstance(val, str):
                self.writeline(kline + ' ' + val)
            elif isinstance(val, int):
                self.writeline(kline + ' ' + str(val))
            elif isinstance(val, float):
                if self.p.rounding is not None:
                    val = round(val, self.p.rounding)
                self.writeline(kline + ' ' + str(val))
            elif isinstance(val, dict):
                if recurse:
                    self.writelineseparator(level=level)
                self.writeline(kline)
                self.writedict(val, level=level + 1, recurse=True)
            elif isinstance(val, (list, tuple, collections.abc.Iterable)):
                self.writeline(kline + ' ' + ', '.join(map(str, val)))
            else:
                self.writeline(kline + ' ' + str(val))


class WriterStringIO(WriterFile):
    """A writer into an in-memory ``io.StringIO`` (``writer.out``)."""

    params = (('out', io.StringIO),)

    def _start_output(self) -> None:
        super()._start_output()
        self.out = self.out()

    def stop(self) -> None:
        super().stop()
        self.out.seek(0)
