"""The bar-by-bar Resampler's per-tick time arithmetic (issue 18 part 4): the
fast paths give exactly what the datetime-based ones give, and a live feed
resampled tick by tick gives the same bars as backtrader."""
import datetime as dt
import queue
import random

import pytest

import backtrader_ib as bt
from backtrader_ib.resamplerfilter import Resampler, _hms
from backtrader_ib.utils.date import date2num, num2date, tzparse


def numbers(n, seed=1):
    rnd = random.Random(seed)
    for k in range(n):
        x = 738000 + rnd.random() * 1000
        if k % 2:
            x = round(x * 86400) / 86400          # whole seconds
        if k % 5 == 0:
            x = round(x * 1440) / 1440            # whole minutes
        yield x


def test_hms_is_num2date_time():
    for x in numbers(100_000):
        t = num2date(x).time()
        assert _hms(x) == (t.hour, t.minute, t.second, t.microsecond), x


class _Line:
    """A feed's datetime line at one value (what _localpoint reads)."""

    def __init__(self, x, tz):
        self.x, self._tz = x, tz

    def __getitem__(self, ago):
        return self.x

    def time(self):
        return num2date(self.x, self._tz).time()


@pytest.mark.parametrize('tzname', ['US/Eastern', 'America/St_Johns', 'Australia/Lord_Howe',
                                    'Asia/Kathmandu', 'Europe/London'])
@pytest.mark.parametrize('tf, comp', [(bt.TimeFrame.Minutes, 1), (bt.TimeFrame.Seconds, 5),
                                      (bt.TimeFrame.Minutes, 15)])
def test_local_point_is_the_zone_time_across_dst_changes(tzname, tf, comp):
    tz = tzparse(tzname)
    r = Resampler(bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks), timeframe=tf,
                  compression=comp)
    rnd = random.Random(3)
    for month, day in ((3, 10), (3, 31), (4, 7), (10, 6), (10, 27), (11, 3)):
        base = date2num(dt.datetime(2024, month, day))
        for k in range(600):
            x = base + rnd.random() * 1.5
            if k % 3 == 0:
                x = round(x * 86400) / 86400
            line = _Line(x, tz)
            assert r._localpoint(line) == r._tmpoint(line.time()), (tzname, num2date(x))


def ticks(n, start, step, seed=5):
    rnd = random.Random(seed)
    out, px = [], 100.0
    for i in range(n):
        px = round(px + rnd.choice((-0.01, 0, 0.01)), 2)
        out.append((start + dt.timedelta(seconds=step * (i + 1)), px, float(rnd.randint(1, 9))))
    return out


def run_live(pkg, rows, tz):
    """Ticks queued before the run, resampled to 1 minute live; the bars seen."""
    if pkg == 'backtrader':
        bt_ = pytest.importorskip('backtrader')

        class Feed(bt_.feed.DataBase):
            def __init__(self):
                self.q = queue.Queue()

            def islive(self):
                return True

            def _load(self):
                item = self.q.get()
                if item is None:
                    return False
                t, p, s = item
                self.lines.datetime[0] = bt_.date2num(t)
                for name in ('open', 'high', 'low', 'close'):
                    getattr(self.lines, name)[0] = p
                self.lines.volume[0] = s
                self.lines.openinterest[0] = 0.0
                return True

        data = Feed(timeframe=bt_.TimeFrame.Ticks, tz=tz)
        put = data.q.put
    else:
        bt_ = bt
        data = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, tz=tz,
                                  clock=lambda: rows[-1][0])

        def put(item):
            if item is None:
                data.end()
            else:
                data.put_tick(*item)
    for row in rows:
        put(row)
    put(None)
    seen = []

    class S(bt_.Strategy):
        def next(self):
            d = self.data
            seen.append((d.datetime.datetime(0), d.open[0], d.high[0], d.low[0], d.close[0],
                         d.volume[0]))

    cerebro = bt_.Cerebro(stdstats=False)
    cerebro.resampledata(data, timeframe=bt_.TimeFrame.Minutes, compression=1)
    cerebro.addstrategy(S)
    cerebro.run()
    return seen


@pytest.mark.parametrize('tz', [None, 'US/Eastern'])
def test_live_ticks_to_minutes_as_backtrader(tz):
    # across New York's spring-forward change (2024-03-10 07:00 UTC)
    rows = ticks(3000, dt.datetime(2024, 3, 10, 6, 30), 1.7)
    ours, ref = run_live('backtrader_ib', rows, tz), run_live('backtrader', rows, tz)
    assert len(ours) > 80 and ours == ref
