"""IBData historical=True and the store's download against ibsim, on both client libraries.

Covers the notes' table a (requests, chunking, boundary bars, 162, timeouts),
b.3's historical path and g's contract check / connection failures."""
import asyncio
import datetime as dt
import importlib
import random
import re

import pytest

import backtrader_ib as bt
from backtrader_ib.utils.date import date2num

from .conftest import START, statuses, storekw

UTC = dt.timezone.utc
PACING = ('Historical Market Data Service error message:Historical data request pacing '
          'violation')


@pytest.fixture
def ref(sim, client):
    """A plain client (the test's own loop) to ask ibsim for reference bars."""
    lib = importlib.import_module(client)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    ib = lib.IB()
    ib.connect('127.0.0.1', sim.port, clientId=99)
    yield ib
    ib.disconnect()
    loop.close()
    asyncio.set_event_loop(None)


def ref_bars(ib, symbol, end, duration, barsize, secs):
    c = ib.qualifyContracts(importlib.import_module(type(ib).__module__.split('.')[0]).Stock(
        symbol, 'SMART', 'USD'))[0]
    bars = ib.reqHistoricalData(c, end, duration, barsize, 'TRADES', False, formatDate=2)
    out = []
    for b in bars:
        if isinstance(b.date, dt.datetime):
            t = date2num(b.date.astimezone(UTC).replace(tzinfo=None) + dt.timedelta(seconds=secs))
        else:
            t = b.date
        out.append((t, b.open, b.high, b.low, b.close, float(b.volume)))
    return out


def hist(sim, client, dataname='AAPL', **kw):
    data = bt.feeds.IBData(dataname=dataname, historical=True, **storekw(sim, client, kw), **kw)
    data._start()
    return data


def load_all(data):
    rows = []
    while data.load():
        ln = data.lines
        rows.append((ln.datetime[0], ln.open[0], ln.high[0], ln.low[0], ln.close[0],
                     ln.volume[0]))
    return rows


def test_minute_download_equals_gateway_bars(sim, client, ref):
    # 1-min bars over 4+ days: five requests, two of them on the weekend (162 no data)
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes, compression=1,
                fromdate=dt.datetime(2024, 3, 1))
    rows = load_all(data)
    assert statuses(data) == ['CONNECTED', 'DELAYED', 'DISCONNECTED']
    times = [r[0] for r in rows]
    assert times == sorted(set(times)), 'duplicated or unordered bars'
    # fromdate 2024-03-01 00:00 New York = 05:00 UTC; the last bar ends at the gateway's now
    assert data.num2date(times[0]) > dt.datetime(2024, 3, 1)
    assert bt.num2date(times[-1]) == START.replace(tzinfo=None)
    want = [r for r in ref_bars(ref, 'AAPL', START, '1 W', '1 min', 60)
            if r[0] > date2num(dt.datetime(2024, 3, 1, 5))]
    assert rows == want
    ends = [next(f for f in r if re.fullmatch(r'\d{8}-\d\d:\d\d:\d\d', f))
            for r in sim.requests(20, client_id=7)]
    assert ends == ['20240302-05:00:00', '20240303-05:00:00', '20240304-05:00:00',
                    '20240305-05:00:00', '20240305-15:00:00']


def test_daily_bars_keep_today_and_stamp_sessionend(sim, client, ref):
    data = hist(sim, client, fromdate=dt.datetime(2024, 1, 10))
    rows = load_all(data)
    days = [data.num2date(r[0]) for r in rows]
    assert days[-1].date() == dt.date(2024, 3, 5)          # today's (partial) bar is kept
    assert all(d.time() == dt.time(23, 59, 59) for d in days)
    want = [r for r in ref_bars(ref, 'AAPL', START, '6 M', '1 day', 0)
            if r[0] >= dt.date(2024, 1, 10)]
    assert [(d.date(),) + r[1:] for d, r in zip(days, rows)] == \
        [(r[0],) + r[1:] for r in want]


def test_pacing_storm_is_retried(sim, client):
    sim.fail_next(20, 162, PACING, count=4)
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 3, 4))
    rows = load_all(data)
    assert len(rows) == 960 + 360                    # Monday 04:00-20:00 + Tuesday to 10:00
    notes = [str(m) for m, *_ in data.ib.get_notifications()]
    assert sum('Pacing violation (162), retrying' in n for n in notes) == 4
    assert len(sim.requests(20, client_id=7)) == 2 + 4


def test_unanswered_request_times_out(sim, client):
    sim.withhold(17)                                 # historicalData never comes
    data = hist(sim, client, fromdate=dt.datetime(2024, 3, 5), histtimeout=0.3,
                timeframe=bt.TimeFrame.Minutes)
    assert load_all(data) == []
    assert statuses(data) == ['CONNECTED', 'DELAYED', 'DISCONNECTED']
    assert any('timed out after 0.3 s' in str(m) for m, *_ in data.ib.get_notifications())


def test_gateway_killed_during_download_resumes(sim, client, ref):
    want = [r[0] for r in ref_bars(ref, 'AAPL', START, '2 W', '1 min', 60)
            if r[0] > date2num(dt.datetime(2024, 2, 27, 5))]
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 2, 27))
    rows = []
    while len(rows) < 10:                            # the first request has been answered
        assert data.load()
        rows.append(data.lines.datetime[0])
    sim.withhold(17)                                 # the next request hangs...
    sim.restart(down_for=0.3)                        # ...and the gateway goes away
    sim.release(17)
    while data.load():
        rows.append(data.lines.datetime[0])
    assert data.ib.connections == 2
    assert rows == want                              # nothing lost, nothing twice


def test_unsupported_timeframe_ends_with_notification(sim, client):
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes, compression=7)
    assert load_all(data) == []
    assert statuses(data)[-1] == 'NOTSUPPORTED_TIMEFRAME'
    assert any('compression 7' in str(m) for m, *_ in data.ib.get_notifications())


@pytest.mark.parametrize('name, words', [('SAP', '2 contracts match'),
                                         ('NOPE', 'no contract matches')])
def test_contract_check(sim, client, name, words):
    data = hist(sim, client, dataname=name)
    assert data.load() is False
    assert statuses(data) == ['CONNECTED', 'DISCONNECTED']
    msgs = [str(m) for m, *_ in data.ib.get_notifications() if isinstance(m, str)]
    assert any(words in m and name in m for m in msgs), msgs
    if name == 'SAP':
        assert any('IBIS' in m and 'NYSE' in m for m in msgs)


def test_no_gateway_ends_the_feed(client):
    data = bt.feeds.IBData(dataname='AAPL', historical=True, port=1, client=client, reconnect=0,
                           timeout=0.01)
    data._start()
    assert data.load() is False
    assert statuses(data) == ['DISCONNECTED']
    assert any('cannot connect' in str(m) for m, *_ in data.ib.get_notifications())


def test_client_id_in_use_picks_another(sim, client, ref, monkeypatch):
    ids = iter([99, 1234])                           # the first random id is taken by `ref`
    monkeypatch.setattr(random, 'randint', lambda a, b: next(ids))
    data = hist(sim, client, clientId=None, fromdate=dt.datetime(2024, 3, 4))
    assert len(load_all(data)) == 2
    assert data.ib.clientId == 1234
    assert any('client id 99 is in use' in str(m) for m, *_ in data.ib.get_notifications())


def test_store_is_a_singleton(sim, client):
    a = bt.stores.IBStore(port=sim.port, client=client)
    assert bt.stores.IBStore(port=1) is a and a.p.port == sim.port
    d = bt.feeds.IBData(dataname='AAPL')
    assert d.ib is a
    assert isinstance(a.getdata(dataname='AAPL'), bt.feeds.IBData)
    assert isinstance(a.getbroker(), bt.brokers.IBBroker)


def test_cache_avoids_downloading_again(sim, client, tmp_path):
    kw = dict(timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 2, 28),
              todate=dt.datetime(2024, 3, 2), cache=str(tmp_path))
    first = load_all(hist(sim, client, **kw))
    sent = len(sim.requests(20))
    assert sent == 3 and len(list(tmp_path.iterdir())) == 3
    bt.stores.IBStore.__dict__['_singleton'].stop()
    bt.stores.IBStore.reset()
    again = load_all(hist(sim, client, **kw))
    assert again == first and len(first) == 3 * 960
    assert len(sim.requests(20)) == sent                       # nothing downloaded again
    # answers that may still change (ending less than a day ago) are not kept
    load_all(hist(sim, client, timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 3, 4),
                  cache=str(tmp_path)))
    assert len(list(tmp_path.iterdir())) == 3


def test_notifyall_queues_every_message(sim, client):
    data = hist(sim, client, fromdate=dt.datetime(2024, 3, 4), notifyall=True)
    assert len(load_all(data)) == 2
    msgs = [m for m, *_ in data.ib.get_notifications()]
    ids = {m.msgId for m in msgs if isinstance(m, bt.stores.ibstore.IBMessage)}
    assert {9, 15, 10, 17} <= ids            # nextValidId, managedAccounts, details, history
    assert sum(isinstance(m, bt.stores.ibstore.IBError) and m.code == 2104 for m in msgs) == 1


def test_timeoffset_off_keeps_the_local_clock(sim, client):
    data = hist(sim, client, fromdate=dt.datetime(2024, 3, 5), timeoffset=False)
    load_all(data)
    assert data.ib.tmoffset == dt.timedelta() and data._timeoffset() == dt.timedelta()


def test_what_and_useRTH_go_on_the_wire(sim, client):
    # CASH defaults to BID (notes a.2); `what` and useRTH are sent as given
    data = hist(sim, client, dataname='EUR.USD-CASH-IDEALPRO', timeframe=bt.TimeFrame.Minutes,
                compression=5, fromdate=dt.datetime(2024, 3, 5, 9), useRTH=True)
    assert len(load_all(data)) == 12
    req = sim.requests(20, client_id=7)[-1]
    assert req[-7:-3] == ['5 mins', '3600 S', '1', 'BID']
    ask = hist(sim, client, dataname='EUR.USD-CASH-IDEALPRO', timeframe=bt.TimeFrame.Minutes,
               compression=5, fromdate=dt.datetime(2024, 3, 5, 9), what='MIDPOINT')
    assert len(load_all(ask)) == 12
    assert sim.requests(20, client_id=7)[-1][-5:-3] == ['0', 'MIDPOINT']
    stk = hist(sim, client, timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 3, 5, 9))
    load_all(stk)
    assert sim.requests(20, client_id=7)[-1][-4] == 'TRADES'


def test_no_fromdate_is_one_request_of_the_longest_duration(sim, client):
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes, compression=60)
    rows = load_all(data)
    reqs = sim.requests(20, client_id=7)
    assert len(reqs) == 1 and reqs[0][-7:-5] == ['1 hour', '1 M']
    assert len(rows) > 100 and bt.num2date(rows[-1][0]) == START.replace(tzinfo=None)


def test_no_permission_for_history_is_notsubscribed(sim, client):
    sim.fail_next(20, 354, 'Requested market data is not subscribed.')
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 3, 5))
    assert load_all(data) == []
    notes = data.get_notifications()
    assert [data._getstatusname(n[0]) for n in notes] == ['CONNECTED', 'DELAYED',
                                                          'NOTSUBSCRIBED']
    assert notes[-1][1][0] == 354


def test_other_history_errors_end_the_download_with_a_reason(sim, client):
    sim.fail_next(20, 321, "Error validating request.-'bP' : cause - Invalid bar size")
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 3, 5),
                histtimeout=0.5)
    assert load_all(data) == []
    assert statuses(data) == ['CONNECTED', 'DELAYED', 'DISCONNECTED']
    msgs = [m for m, *_ in data.ib.get_notifications()]
    assert any(getattr(m, 'code', 0) == 321 for m in msgs)
    # ib_async counts 321 as a warning and leaves the request open: it times out
    why = 'Historical request failed (321' if client == 'ib_insync' else 'timed out after 0.5 s'
    assert any(why in str(m) for m in msgs)


def test_security_not_allowed_203_fails_the_contract_check(sim, client):
    sim.fail_next(9, 203, 'The security <AAPL> is not available or allowed for this account.')
    data = hist(sim, client, timeframe=bt.TimeFrame.Minutes)
    assert data.load() is False
    assert statuses(data) == ['CONNECTED', 'DISCONNECTED']
    msgs = [m for m, *_ in data.ib.get_notifications()]
    assert any(getattr(m, 'code', 0) == 203 for m in msgs)
    assert any('no contract matches' in str(m) for m in msgs)


def test_initial_connection_attempts(client):
    # reconnect=N: the first attempt plus N retries (backtrader's count), then give up
    data = bt.feeds.IBData(dataname='AAPL', historical=True, port=1, client=client,
                           reconnect=2, timeout=0.01, maxbackoff=0.02)
    data._start()
    assert data.load() is False
    msgs = [str(m) for m, *_ in data.ib.get_notifications()]
    assert any('cannot connect to 127.0.0.1:1 after 3 attempt(s)' in m for m in msgs)


def test_debug_prints_messages(sim, client, capsys):
    data = hist(sim, client, fromdate=dt.datetime(2024, 3, 4), _debug=True)
    load_all(data)
    assert 'IB error 2104 (reqId -1): Market data farm connection is OK' in capsys.readouterr().out


def test_time_offset_is_refreshed(sim, client):
    import time
    data = hist(sim, client, fromdate=dt.datetime(2024, 3, 4), timerefresh=0.1)
    load_all(data)
    before = len(sim.requests(49, client_id=7))        # reqCurrentTime
    time.sleep(0.5)
    assert len(sim.requests(49, client_id=7)) >= before + 2
