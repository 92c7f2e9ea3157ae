"""Time zones of feeds and strategies (tz, tzinput, Cerebro(tz=)) match backtrader."""
from __future__ import annotations

import datetime

import pytest

from conftest import shared_file
from difftools import reference

CASES = [
    (dict(tz='US/Eastern'), {}),
    (dict(tzinput='Europe/Berlin'), {}),
    (dict(tzinput='Europe/Berlin', tz='Asia/Tokyo'), dict(tz='US/Central')),
    ({}, dict(tz=0)),
    (dict(tz='US/Eastern', fromdate=datetime.datetime(2006, 1, 3, 10),
          todate=datetime.datetime(2006, 1, 20, 12)), {}),
]


def collect(bt, dkw, ckw):
    out = []

    class S(bt.Strategy):
        def next(self):
            out.append((self.data.datetime.datetime(0), self.data.datetime[0],
                        self.datetime.datetime(0), self.datetime[0]))

    c = bt.Cerebro(**ckw)
    c.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-min-005.txt'),
                                         timeframe=bt.TimeFrame.Minutes, compression=5, **dkw))
    c.addstrategy(S)
    c.run()
    return out


@pytest.mark.parametrize('dkw,ckw', CASES)
def test_same_datetimes_as_backtrader(dkw, ckw):
    import backtrader_ib
    ref = collect(reference(), dkw, ckw)
    assert len(ref) > 100
    assert collect(backtrader_ib, dkw, ckw) == ref
