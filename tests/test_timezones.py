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


# -- a zone given as a name, a pytz zone or a zoneinfo zone, across DST -----------
ZONES = {
    # zone, first day, local session (DST: NY 8 Mar / 1 Nov 2026, Frankfurt 29 Mar / 25 Oct)
    'new-york-spring': ('America/New_York', datetime.date(2026, 3, 5), (9, 30), (16, 0)),
    'new-york-autumn': ('America/New_York', datetime.date(2026, 10, 29), (9, 30), (16, 0)),
    'frankfurt-spring': ('Europe/Berlin', datetime.date(2026, 3, 26), (9, 0), (17, 30)),
    'frankfurt-autumn': ('Europe/Berlin', datetime.date(2026, 10, 22), (9, 0), (17, 30)),
}


def dst_file(tmp_path, first, start, end, days=8, step=15):
    """Bars every ``step`` minutes from ``start`` to ``end`` (local wall clock)."""
    rows, px = ['Date,Time,Open,High,Low,Close,Volume,OpenInterest'], 50.0
    for d in range(days):
        day = first + datetime.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        t = datetime.datetime.combine(day, datetime.time(*start))
        while t.time() <= datetime.time(*end):
            px += 0.5 if (t.minute + d) % 3 else -0.75
            rows.append(f'{t:%Y-%m-%d},{t:%H:%M:%S},{px:.2f},{px + 1:.2f},{px - 1:.2f},'
                        f'{px + 0.5:.2f},{t.hour * 100 + t.minute},0')
            t += datetime.timedelta(minutes=step)
    path = tmp_path / 'dst.txt'
    path.write_text('\n'.join(rows) + '\n')
    return str(path)


def zone_as(form, name):
    import zoneinfo

    import pytz
    return {'name': name, 'pytz': pytz.timezone(name), 'zoneinfo': zoneinfo.ZoneInfo(name)}[form]


def run_local(bt, path, tz, tzinput, ctz=None, timer=False):
    """Every bar's local time, its day number, the strategy's clock; timer calls."""
    out = []

    class S(bt.Strategy):
        def __init__(self):
            if timer:
                self.add_timer(when=datetime.time(10), tzdata=self.data)

        def notify_timer(self, t, when, *args, **kwargs):
            out.append(('timer', when, self.data.datetime.datetime(0)))

        def next(self):
            out.append((self.data.datetime.datetime(0), self.data.datetime[0],
                        self.datetime.datetime(0)))

    c = bt.Cerebro(stdstats=False, **({} if ctz is None else dict(tz=ctz)))
    c.adddata(bt.feeds.BacktraderCSVData(dataname=path, timeframe=bt.TimeFrame.Minutes,
                                         compression=15, tz=tz, tzinput=tzinput))
    c.addstrategy(S)
    c.run()
    return out


@pytest.mark.parametrize('form', ['name', 'pytz', 'zoneinfo'])
@pytest.mark.parametrize('case', ZONES)
def test_intraday_across_dst_in_every_zone_form(tmp_path, case, form):
    import backtrader_ib
    name, first, start, end = ZONES[case]
    path = dst_file(tmp_path, first, start, end)
    zone = zone_as(form, name)
    ref = run_local(reference(), path, name, name, ctz='UTC', timer=True)
    got = run_local(backtrader_ib, path, zone, zone, ctz='UTC', timer=True)
    assert got == ref
    # the local session stays put across the switch; UTC moves by an hour
    bars = [e for e in got if e[0] != 'timer']
    assert min(b[0].time() for b in bars) == datetime.time(*start)
    assert max(b[0].time() for b in bars) == datetime.time(*end)
    assert len({b[2].time() for b in bars if b[0].time() == datetime.time(*start)}) == 2
    timers = [e for e in got if e[0] == 'timer']
    assert timers and all(w.time() == datetime.time(10) and b.time() == datetime.time(10)
                          for _, w, b in timers)


@pytest.mark.parametrize('form', ['name', 'pytz', 'zoneinfo'])
def test_strategy_clock_in_a_zone_from_cerebro(tmp_path, form):
    import backtrader_ib
    name, first, start, end = ZONES['frankfurt-autumn']
    path = dst_file(tmp_path, first, start, end)
    ref = run_local(reference(), path, None, name, ctz='Asia/Tokyo')
    for how in ('init', 'addtz'):
        out = []

        class S(backtrader_ib.Strategy):
            def next(self):
                out.append(self.datetime.datetime(0))
        c = backtrader_ib.Cerebro(**({'tz': zone_as(form, 'Asia/Tokyo')} if how == 'init' else {}))
        if how == 'addtz':
            c.addtz(zone_as(form, 'Asia/Tokyo'))
        c.adddata(backtrader_ib.feeds.BacktraderCSVData(
            dataname=path, timeframe=backtrader_ib.TimeFrame.Minutes, compression=15,
            tzinput=zone_as(form, name)))
        c.addstrategy(S)
        c.run()
        assert out == [e[2] for e in ref]


# -- bad zones ----------------------------------------------------------------
@pytest.mark.parametrize('where', ['tz', 'tzinput', 'cerebro', 'addtz', 'timer'])
@pytest.mark.parametrize('name,msg', [
    ('Mars/Olympus', "unknown time zone 'Mars/Olympus'"),
    ('PST', "unknown time zone 'PST'; did you mean 'America/Los_Angeles'"),
    ('EST', "'EST' is a fixed offset without daylight saving; use the market's zone, "
            "e.g. 'America/New_York'"),
])
def test_bad_zone_names_are_errors_naming_them(where, name, msg):
    import backtrader_ib as bt

    class S(bt.Strategy):
        def __init__(self):
            if where == 'timer':
                self.add_timer(when=datetime.time(10), tzdata=name)

    c = bt.Cerebro(**({'tz': name} if where == 'cerebro' else {}))
    if where == 'addtz':
        c.addtz(name)
    kw = {where: name} if where in ('tz', 'tzinput') else {}
    c.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'), **kw))
    c.addstrategy(S)
    with pytest.raises(ValueError, match=msg.replace('(', r'\(').replace(')', r'\)')):
        c.run()


def test_fixed_offsets_by_their_real_names_still_work():
    import backtrader_ib as bt
    assert bt.tzparse('Etc/GMT+5').utcoffset(datetime.datetime(2026, 7, 1)) == datetime.timedelta(hours=-5)
    assert str(bt.tzparse('CST')) == 'CST6CDT'  # backtrader's own mapping, with DST


# -- sessions over midnight ------------------------------------------------------
@pytest.mark.parametrize('tf', ['Days', 'Weeks'])
def test_overnight_session_is_accepted_like_backtrader(tf):
    """sessionend before sessionstart is an overnight session (futures:
    18:00-17:00), not an error: daily bars close at 17:00 as in backtrader."""
    import backtrader_ib

    def bars(bt):
        out = []

        class S(bt.Strategy):
            def next(self):
                out.append((len(self.data1), self.data1.datetime[0], self.data1.close[0],
                            self.data1.volume[0]))
        c = bt.Cerebro(stdstats=False)
        d = bt.feeds.BacktraderCSVData(dataname=shared_file('2006-min-005.txt'),
                                       timeframe=bt.TimeFrame.Minutes, compression=5,
                                       sessionstart=datetime.time(18), sessionend=datetime.time(17))
        c.adddata(d)
        c.resampledata(d, timeframe=getattr(bt.TimeFrame, tf))
        c.addstrategy(S)
        c.run()
        return out
    ref, new = bars(reference()), bars(backtrader_ib)
    if tf == 'Days':
        # the bar flushed at the end of the data closes at its own session's
        # end, the next day's 17:00 (backtrader: a day earlier)
        last_ref, last_new = ref.pop(), new.pop()
        assert last_new[0] == last_ref[0] and last_new[2:] == last_ref[2:]
        assert last_new[1] == last_ref[1] + 1
        assert {backtrader_ib.num2date(e[1]).time() for e in new[1:] + [last_new]} == \
            {datetime.time(17)}
    assert new == ref


@pytest.mark.parametrize('sessionend,first', [
    (None, datetime.datetime(2006, 1, 3, 0, 0)),       # the documented day-number rounding
    (datetime.time(16), datetime.datetime(2006, 1, 2, 16, 0)),
])
def test_daily_bars_with_tzinput_as_documented(sessionend, first):
    """docs/timezones.md: end-of-day stamps round to the next midnight, as in
    backtrader; a real sessionend keeps the date."""
    import backtrader_ib

    def firsts(bt):
        seen = []

        class S(bt.Strategy):
            def next(self):
                seen.append(self.data.datetime.datetime(0))

        kw = dict(tzinput='US/Eastern', tz='US/Eastern')
        if sessionend is not None:
            kw['sessionend'] = sessionend
        c = bt.Cerebro(stdstats=False)
        c.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'), **kw))
        c.addstrategy(S)
        c.run()
        return seen

    ours = firsts(backtrader_ib)
    assert ours == firsts(reference())
    assert ours[0] == first
