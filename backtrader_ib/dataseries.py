"""Time frames and the OHLC line layout shared by every data feed."""
from __future__ import annotations

from collections import OrderedDict

from .lineseries import LineSeries
from .utils.date import num2date

__all__ = ('TimeFrame', 'DataSeries', 'OHLC', 'OHLCDateTime', 'SimpleFilterWrapper')


class TimeFrame:
    """Bar time frames (values are backtrader's)."""

    (Ticks, MicroSeconds, Seconds, Minutes, Days, Weeks, Months, Years,
     NoTimeFrame) = range(1, 10)

    Names = ['', 'Ticks', 'MicroSeconds', 'Seconds', 'Minutes', 'Days',
             'Weeks', 'Months', 'Years', 'NoTimeFrame']

    names = Names

    @classmethod
    def getname(cls, tframe: int, compression: int | None = None) -> str:
        name = cls.Names[tframe]
        if (compression or 1) > 1 or tframe == cls.NoTimeFrame:
            return name
        return name[:-1]  # singular

    @classmethod
    def TFrame(cls, name: str) -> int:
        return getattr(cls, name)

    @classmethod
    def TName(cls, tframe: int) -> str:
        return cls.Names[tframe]


class DataSeries(LineSeries):
    """Lines of a price series in backtrader's index order."""

    _name = ''
    _compression = 1
    _timeframe = TimeFrame.Days

    Close, Low, High, Open, Volume, OpenInterest, DateTime = range(7)
    LineOrder = [DateTime, Open, High, Low, Close, Volume, OpenInterest]

    plotinfo = dict(plot=True, plotind=True, plotylimited=True)

    def getwriterheaders(self) -> list:
        headers = [self._name, 'len']
        for lo in self.LineOrder:
            headers.append(self._getlinealias(lo))
        morelines = self.getlinealiases()[len(self.LineOrder):]
        headers.extend(morelines)
        return headers

    def getwritervalues(self) -> list:
        values = [self._name, len(self)]
        if not len(self):  # a feed that has not delivered a bar yet: empty cells
            values.extend([''] * self.lines.size())
            return values
        dtstr = num2date(self.datetime[0], tz=self.datetime._tz)
        values.append(dtstr)
        for lo in self.LineOrder[1:]:
            values.append(self.lines[lo][0])
        for i in range(len(self.LineOrder), self.lines.size()):
            values.append(self.lines[i][0])
        return values

    def getwriterinfo(self) -> dict:
        info = OrderedDict()
        info['Name'] = self._name
        info['Timeframe'] = TimeFrame.TName(self._timeframe)
        info['Compression'] = self._compression
        return info


class OHLC(DataSeries):
    lines = ('close', 'low', 'high', 'open', 'volume', 'openinterest')


class OHLCDateTime(OHLC):
    lines = ('datetime',)


class SimpleFilterWrapper:
    """A filter callable ``f(data, *args, **kwargs)`` (or a class, built with
    ``(data, *args, **kwargs)``) made a processor: a true answer takes the
    current bar out of the stream (``data.backwards()``)."""

    def __init__(self, data, ffilter, *args, **kwargs) -> None:
        if isinstance(ffilter, type):
            ffilter, args, kwargs = ffilter(data, *args, **kwargs), (), {}
        self.ffilter = ffilter
        self.args = args
        self.kwargs = kwargs

    def __call__(self, data) -> bool:
        if self.ffilter(data, *self.args, **self.kwargs):
            data.backwards()
            return True
        return False
