"""Building whole bars (values in line order) for filters to queue."""
from __future__ import annotations

import datetime

from ..dataseries import TimeFrame

# the spacing of one bar of each intraday time frame
BAR_UNITS = {
    TimeFrame.Minutes: datetime.timedelta(minutes=1),
    TimeFrame.Seconds: datetime.timedelta(seconds=1),
    TimeFrame.MicroSeconds: datetime.timedelta(microseconds=1),
}


def bar_unit(data, who: str) -> datetime.timedelta:
    """The spacing of ``data``'s bars (an error for non-intraday data)."""
    try:
        unit = BAR_UNITS[data._timeframe]
    except KeyError:
        raise ValueError(f'{who} fills intraday bars (minutes, seconds, microseconds); '
                         f'{data!r} has timeframe {TimeFrame.getname(data._timeframe)}') from None
    return unit * data._compression


def flat_bar(data, num: float, price: float, volume: float, openinterest: float) -> list:
    """A bar at day number ``num`` with O=H=L=C=``price``; extra lines of the
    feed keep their current values."""
    bar = [line[0] for line in data.lines]
    bar[data.DateTime] = num
    for i in (data.Open, data.High, data.Low, data.Close):
        bar[i] = price
    bar[data.Volume] = volume
    bar[data.OpenInterest] = openinterest
    return bar
