"""IBData live against ibsim: backfill, live sources, states (notes b.3/b.4, d, e) and faults."""
import datetime as dt
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.utils.date import date2num

from backtrader_ib.stores import IBConnectionLost, IBStore

from .conftest import START, drain, live_feed, pull, pull_notes, pull_until, storekw

S5 = 5 / 86400.0
NOW = date2num(START.replace(tzinfo=None))


def is_live(seen):
    return seen and seen[-1] == 'LIVE'


def steps_of(times, step):
    return {round((b - a) / step, 3) for a, b in zip(times, times[1:])}


def test_backfill_runs_to_now_without_ticks_then_rtvolume(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 0))
    seen = []
    bars = pull_until(data, is_live, seen=seen)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE']       # CONNECTED is delivered
    assert len(bars) == 60 and bars[-1] == pytest.approx(NOW)  # no tick needed to backfill
    assert data._load() is None                           # nothing yet: None, not False
    sim.advance(20)
    ticks = drain(data)
    assert len(ticks) >= 15
    assert all(NOW < t <= NOW + 20 / 86400 + 1e-9 for t in ticks)   # exchange time stamps
    assert ticks == sorted(ticks)
    assert data.lines.close[0] == data.lines.open[0] and data.lines.volume[0] > 0


def test_rtbars_continue_backfill_without_gap_or_duplicate(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     fromdate=dt.datetime(2024, 3, 5, 9, 58))
    seen = []
    times = pull_until(data, is_live, seen=seen)
    sim.advance(30)
    times += drain(data, until=NOW + 30 / 86400)
    assert times[0] == pytest.approx(NOW - 120 / 86400 + S5)
    assert times[-1] == pytest.approx(NOW + 30 / 86400)
    assert steps_of(times, S5) == {1.0}


def test_fx_uses_bid_quotes_stamped_locally(sim, client):
    data = live_feed(sim, client, 'EUR.USD-CASH-IDEALPRO', timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    assert data.ib.tmoffset.total_seconds() == pytest.approx(
        (START - dt.datetime.now(dt.timezone.utc)).total_seconds(), abs=5)
    sim.advance(10)
    ticks = drain(data)
    assert ticks and data.lines.volume[0] == 0
    # stamped with the gateway's clock (local time + offset), not the machine's
    assert abs(ticks[-1] - (NOW + 10 / 86400)) < 30 / 86400
    assert data.lines.close[0] < 2  # a EUR.USD quote


def test_index_gets_last_prices(sim, client):
    data = live_feed(sim, client, 'SPX-IND-CBOE', timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    sim.advance(10)
    assert drain(data), 'backtrader delivers no live data for indices'
    assert data.lines.close[0] > 1000


def test_not_subscribed_ends_with_a_hint(sim, client):
    sim.unsubscribe(265598)                        # no market data subscription for AAPL
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    notes = pull_notes(data)
    names = [data._getstatusname(n[0]) for n in notes]
    assert names[0] == 'CONNECTED' and names[-1] == 'NOTSUBSCRIBED'
    code, hint = notes[-1][1]
    assert code == 354 and "marketdatatype='delayed'" in hint
    assert data._load() is False


def test_gateway_restart_reconnects_and_fills_the_gap(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     fromdate=dt.datetime(2024, 3, 5, 9, 59))
    seen = []
    times = pull_until(data, is_live, seen=seen)
    sim.advance(20)
    times += drain(data, seen=seen, until=NOW + 20 / 86400)
    sim.restart(down_for=0.2)
    sim.advance(40)                                # bars formed while nobody listened
    times += pull_until(data, lambda s: s.count('LIVE') == 2, seen=seen, timeout=10)
    sim.advance(20)
    times += drain(data, seen=seen, until=NOW + 80 / 86400)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE', 'CONNBROKEN', 'DELAYED', 'LIVE']
    assert steps_of(times, S5) == {1.0}            # zero lost, zero duplicated
    assert times[-1] == pytest.approx(NOW + 80 / 86400)
    assert data.ib.connections == 2
    msgs = [str(m) for m, *_ in data.ib.get_notifications()]
    assert any('lost; reconnecting' in m for m in msgs) and any('reconnected' in m for m in msgs)


@pytest.mark.parametrize('fault', ['farm', 'hmds', 'connectivity', 'bust'])
def test_data_faults_resubscribe_with_gap_backfill(sim, client, fault):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     fromdate=dt.datetime(2024, 3, 5, 9, 59))
    seen = []
    times = pull_until(data, is_live, seen=seen)
    stream = data._stream
    if fault == 'farm':
        sim.send_error(2103, 'Market data farm connection is broken:usfarm')
        time.sleep(0.1)
        sim.advance(20)
        sim.send_error(2104, 'Market data farm connection is OK:usfarm')
    elif fault == 'hmds':
        sim.send_error(2105, 'HMDS data farm connection is broken:ushmds')
        time.sleep(0.1)
        sim.advance(20)
        sim.send_error(2106, 'HMDS data farm connection is OK:ushmds')
    elif fault == 'connectivity':
        sim.connectivity_lost()
        sim.advance(20)
        sim.connectivity_restored(data_lost=True)
    else:
        sim.bust_event()
        sim.advance(20)
    times += pull_until(data, lambda s: s.count('LIVE') == 2, seen=seen)
    sim.advance(20)
    times += drain(data, seen=seen, until=NOW + 40 / 86400)
    assert stream.subscriptions == 2
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE', 'DELAYED', 'LIVE']
    assert steps_of(times, S5) == {1.0}
    assert times[-1] == pytest.approx(NOW + 40 / 86400)


def test_delayed_market_data_when_chosen(sim, client):
    sim.unsubscribe(265598)                        # no real-time subscription...
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, marketdatatype='delayed',
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    seen = []
    pull_until(data, is_live, seen=seen)
    sim.advance(20)
    ticks = drain(data, seen=seen)
    assert ticks and seen == ['CONNECTED', 'DELAYED', 'LIVE']   # ...but delayed data flows
    assert any(getattr(m, 'code', 0) == 10167 for m, *_ in data.ib.get_notifications())


DELAY = 900 / 86400                                # ibsim's delayed data lags 15 minutes


def test_delayed_ticks_carry_the_trade_time(sim, client):
    sim.unsubscribe(265598)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, marketdatatype='delayed',
                     fromdate=dt.datetime(2024, 3, 5, 9, 30))
    seen = []
    bars = pull_until(data, is_live, seen=seen)
    # the backfill ends where the delayed feed starts (its first trade time),
    # then the snapshot's last trade
    assert len(bars) == 16 and bars[14] == pytest.approx(NOW - DELAY)
    assert bars[15] == pytest.approx(NOW - DELAY)
    sim.advance(20)
    ticks = drain(data, seen=seen)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE']
    # stamped by tick 88 (the trade's time, 15 minutes back), not the local clock
    assert len(ticks) >= 15 and ticks == sorted(ticks)
    assert all(NOW - DELAY < t <= NOW - DELAY + 20 / 86400 + 1e-9 for t in ticks)
    assert all(abs(t * 86400 - round(t * 86400)) < 1e-3 for t in ticks)   # whole seconds
    assert data.lines.volume[0] > 0                          # the last trade's size


def test_delayed_ticks_without_time_stamps_use_the_clock(sim, client, monkeypatch):
    from backtrader_ib.stores import ibstream
    monkeypatch.setattr(ibstream, 'FIRST_STAMP_WAIT', 0.2)
    monkeypatch.setattr(ibstream, 'STAMP_WAIT', 0.1)
    sim.unsubscribe(265598)
    sim.withhold(46)                               # no tickString: no tick 88
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, marketdatatype='delayed',
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    bars = pull_until(data, is_live)
    assert bars[4] == pytest.approx(NOW)                     # backfilled to now
    assert len(bars) <= 6                                    # and the snapshot's price
    sim.advance(20)
    ticks = drain(data)
    assert ticks and all(abs(t - NOW) < 30 / 86400 for t in ticks)   # gateway clock


def test_backfill_from_a_file_first(sim, client):
    import pandas as pd
    idx = pd.date_range('2024-03-05 14:50', periods=5, freq='1min')   # bar ends, UTC
    old = pd.DataFrame({'open': 1.0, 'high': 2.0, 'low': 0.5, 'close': 1.5, 'volume': 9.0},
                       index=idx)
    src = bt.feeds.PandasData(dataname=old, timeframe=bt.TimeFrame.Minutes)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, backfill_from=src, tz='UTC')
    times = pull_until(data, is_live)
    assert len(times) == 11                        # 5 from the file, then IB 14:55 to 15:00
    assert [round((b - a) * 1440, 3) for a, b in zip(times, times[1:])] == [1.0] * 10
    assert data.lines.close[-5] != 1.5 and data.lines.close[-6] == 1.5


def test_connectivity_restored_with_data_kept_resubscribes(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     fromdate=dt.datetime(2024, 3, 5, 9, 59))
    seen = []
    times = pull_until(data, is_live, seen=seen)
    sim.connectivity_lost()                        # 1100: no notification (as backtrader)
    sim.advance(20)
    sim.connectivity_restored(data_lost=False)     # 1102
    times += pull_until(data, lambda s: s.count('LIVE') == 2, seen=seen)
    sim.advance(10)
    times += drain(data, seen=seen, until=NOW + 30 / 86400)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE', 'DELAYED', 'LIVE']
    assert steps_of(times, S5) == {1.0} and times[-1] == pytest.approx(NOW + 30 / 86400)


def test_pacing_scheduler_keeps_the_gateway_happy(make_sim):
    # ibsim enforces IB's pacing on a real-time clock here: no 162 may come back
    # (real time, so one client library: whichever is installed)
    import importlib.util
    import threading
    lib = 'ib_insync' if importlib.util.find_spec('ib_insync') else 'ib_async'
    sim = make_sim(speed=1)
    data = bt.feeds.IBData(dataname='AAPL', historical=True, timeframe=bt.TimeFrame.Seconds,
                           compression=1, fromdate=dt.datetime(2024, 3, 5, 6, 30),
                           todate=dt.datetime(2024, 3, 5, 9, 59, 59),
                           **dict(storekw(sim, lib), pacing=True))
    data._start()
    n = 0
    t0 = time.monotonic()
    while data.load():
        n += 1
    assert n == 12599                              # 3.5 h of 1-second bars, in 7 requests
    assert 1.5 < time.monotonic() - t0 < 10        # the 6th waited for the 2-second window
    assert not any('162' in str(m) for m, *_ in data.ib.get_notifications())
    data.ib.stop()
    assert all(t.daemon for t in threading.enumerate() if t is not threading.main_thread())


def test_fx_ask_quotes_with_what_ask(sim, client):
    bid = live_feed(sim, client, 'EUR.USD-CASH-IDEALPRO', timeframe=bt.TimeFrame.Minutes,
                    backfill_start=False)
    ask = bt.feeds.IBData(dataname='EUR/USD.IDEALPRO', what='ASK', qcheck=0.05,
                          timeframe=bt.TimeFrame.Minutes, backfill_start=False)
    ask._start()
    seen = []
    pull_until(bid, is_live, seen=seen)
    assert seen == ['CONNECTED', 'LIVE']                   # no backfill: no DELAYED
    pull_until(ask, is_live)
    sim.advance(30)
    assert drain(bid) and drain(ask)
    assert ask.lines.close[0] > bid.lines.close[0]        # asks above bids


def test_rtbar_below_five_seconds_uses_rtvolume(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=1, rtbar=True,
                     backfill_start=False)
    pull_until(data, is_live)
    assert data._stream.source == 'rtvolume'
    sim.advance(5)
    assert drain(data)


def test_every_feed_resubscribes_after_a_restart(sim, client):
    feeds = [live_feed(sim, client, name, timeframe=bt.TimeFrame.Seconds, compression=5,
                       rtbar=True, fromdate=dt.datetime(2024, 3, 5, 9, 59))
             for name in ('AAPL', 'MSFT', 'IBM')]
    t0 = time.monotonic()
    times = {id(d): pull_until(d, is_live) for d in feeds}
    sim.restart(down_for=0.2)
    sim.advance(30)
    for d in feeds:
        times[id(d)] += pull_until(d, lambda s: s.count('LIVE') == 1 and 'CONNBROKEN' in s,
                                   timeout=10)
    # the three gap backfills asked the gateway's time at once: one shared request,
    # no 5-second wait for an orphaned answer
    assert time.monotonic() - t0 < 4.5
    sim.advance(10)
    for d in feeds:
        t = times[id(d)] + drain(d, until=NOW + 40 / 86400)
        assert steps_of(t, S5) == {1.0} and t[-1] == pytest.approx(NOW + 40 / 86400)
    assert feeds[0].ib.connections == 2


def test_other_stream_errors_are_unknown(make_sim, client):
    sim = make_sim(max_tickers=0)                  # 101: max number of tickers reached
    sim.set_pacing(False)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, backfill_start=False)
    notes = pull_notes(data, until=lambda notes: any(n[0] == data.UNKNOWN for n in notes))
    unknown = [n for n in notes if n[0] == data.UNKNOWN]
    assert unknown and unknown[0][1][0] == 101


def test_reconnection_gives_up_with_disconnected(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     backfill_start=False, reconnect=1)
    seen = []
    pull_until(data, is_live, seen=seen)
    sim.stop()                                     # the gateway never comes back
    # the run ends loudly (issue 19): IBConnectionLost, not a normal end of data
    with pytest.raises(IBConnectionLost, match='gave up reconnecting'):
        pull_until(data, lambda s: False, seen=seen, timeout=10)
    assert seen + [data._getstatusname(n[0]) for n in data.get_notifications()] == \
        ['CONNECTED', 'LIVE', 'CONNBROKEN']
    assert any('cannot connect' in str(m) for m, *_ in data.ib.get_notifications())


def test_no_realtime_bar_permission_420_is_notsubscribed(sim, client):
    sim.fail_next(50, 420, 'Invalid Real-time Query:No market data permissions for ISLAND STK')
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     backfill_start=False)
    notes = pull_notes(data)
    assert [data._getstatusname(n[0]) for n in notes][-1] == 'NOTSUBSCRIBED'
    assert notes[-1][1][0] == 420


def test_fx_realtime_bars_honour_what(sim, client):
    # backtrader always asks TRADES, which IB does not serve for FX
    data = live_feed(sim, client, 'EUR.USD-CASH-IDEALPRO', timeframe=bt.TimeFrame.Seconds,
                     compression=5, rtbar=True, backfill_start=False)
    pull_until(data, is_live)
    assert sim.requests(50, client_id=7)[-1][-4:-1] == ['5', 'BID', '0']   # size, what, useRTH
    sim.advance(10)
    assert len(drain(data, until=NOW + 10 / 86400)) == 2
    assert data.lines.close[0] < 2


def test_params_default_as_backtrader():
    # notes b.1; the inherited timeframe/compression are Days/1 as in backtrader
    p = bt.feeds.IBData.params
    defaults = dict(p._getitems())
    assert {k: defaults[k] for k in ('sectype', 'exchange', 'currency', 'rtbar', 'historical',
                                     'what', 'useRTH', 'qcheck', 'backfill_start', 'backfill',
                                     'backfill_from', 'latethrough', 'tradename')} == dict(
        sectype='STK', exchange='SMART', currency='', rtbar=False, historical=False, what=None,
        useRTH=False, qcheck=0.5, backfill_start=True, backfill=True, backfill_from=None,
        latethrough=False, tradename=None)
    assert (defaults['timeframe'], defaults['compression']) == (bt.TimeFrame.Days, 1)
    s = dict(bt.stores.IBStore.params._getitems())
    assert {k: s[k] for k in ('host', 'port', 'clientId', 'notifyall', '_debug', 'reconnect',
                              'timeout', 'timeoffset', 'timerefresh', 'indcash')} == dict(
        host='127.0.0.1', port=7497, clientId=None, notifyall=False, _debug=False, reconnect=-1,
        timeout=3.0, timeoffset=True, timerefresh=60.0, indcash=True)


def test_cfd_uses_bid_quotes(sim, client):
    data = live_feed(sim, client, 'IBUS500-CFD', timeframe=bt.TimeFrame.Minutes,
                     backfill_start=False)
    pull_until(data, is_live)
    assert data._stream.source == 'tickprice' and data._stream.tickfields == (1, 66)
    sim.advance(10)
    assert drain(data) and data.lines.volume[0] == 0


def test_tz_object_overrides_the_contracts_zone(sim, client):
    from zoneinfo import ZoneInfo
    berlin = ZoneInfo('Europe/Berlin')
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, tz=berlin,
                     fromdate=dt.datetime(2024, 3, 5, 15, 55))   # read in Berlin time
    bars = pull_until(data, is_live)
    assert len(bars) == 5                          # 14:55-15:00 UTC
    assert data.datetime.datetime(0) == dt.datetime(2024, 3, 5, 16, 0)


def test_a_failed_store_construction_leaves_no_half_built_singleton(sim, client):
    with pytest.raises(ValueError, match="marketdatatype=9"):
        IBStore(**storekw(sim, client), marketdatatype=9)
    store = IBStore(**storekw(sim, client), marketdatatype='delayed')
    assert store.mdt == 3 and store is IBStore()


def test_data_error_above_2100_on_the_feed_is_notified(sim, client):
    # issue 19 item 7: 10197 (competing live session) used to leave the feed LIVE, silent
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, backfill_start=False)
    seen = []
    pull_until(data, is_live, seen=seen)
    store = data.ib
    (req_id,) = [r for r, s in store._reqid_stream.items() if s is data._stream]
    sim.send_error(10197, 'No market data during competing live session', req_id=req_id)
    notes = pull_notes(data, until=lambda notes: any(n[0] == data.UNKNOWN for n in notes))
    unknown = [n for n in notes if n[0] == data.UNKNOWN]
    assert unknown and unknown[0][1][0] == 10197
    assert data._stream.stale
    sim.send_error(2104)                       # data farm OK: resubscribed
    pull_until(data, lambda s: s[-1:] == ['LIVE'], seen=seen)
    assert not data._stream.stale


def test_tick_feed_gap_backfill_never_overlaps_delivered_ticks(sim, client):
    # issue 19 item 6: after a reconnection the gap backfill started at the last
    # tick, and a 5-s bar covering ticks already delivered was delivered too
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5,
                     backfill_start=False)
    seen = []
    pull_until(data, is_live, seen=seen)
    sim.advance(7)                                  # ticks up to mid-bar
    data.ib.call(data.ib.server_time(), timeout=10)  # every tick sent has arrived
    ticks = drain(data, seen=seen, quiet=0.5)
    assert ticks
    last = ticks[-1]
    assert data._stream.last == last
    sim.restart(down_for=0.2)
    sim.advance(30)                                 # bars formed while nobody listened
    got = []
    end = time.monotonic() + 10
    while time.monotonic() < end and seen.count('LIVE') < 2:
        r = pull(data)
        seen += [data._getstatusname(n[0]) for n in data.get_notifications()]
        if r:
            got.append((data.lines.datetime[0], data.lines.volume[0]))
    assert seen.count('LIVE') == 2
    bars = [t for t, _ in got]
    assert bars and all(t - 5 / 86400 >= last - 1e-9 for t in bars)   # none overlaps
    assert bars == sorted(set(bars))
    msgs = [str(m) for m, *_ in data.ib.get_notifications()]
    assert any('overlaps data already delivered' in m and 'are missing' in m for m in msgs)
