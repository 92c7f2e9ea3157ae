"""IBData tick-by-tick mode (``ticks=``) against ibsim with both client libraries:
ticks stamped with IB's time equal the historical ticks of the same seconds,
backfills from historical ticks, a disconnection mid-stream backfilled with
no tick lost or repeated, the subscription limit (10190) notified."""
from __future__ import annotations

import datetime as dt
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.feeds.ibdata import IBBidAskData
from backtrader_ib.ibsim.history import tick_rows
from backtrader_ib.stores.ibtickstream import TickSeam, epoch_num, overlap
from backtrader_ib.utils.date import num2date

from .conftest import START, drain, live_feed, pull, pull_notes, pull_until, storekw

T0 = int(START.timestamp())


def model(sim, what, a, b, symbol='AAPL'):
    """ibsim's ticks of epoch seconds [a, b) (its own tick model, one second at a time)."""
    inst = next(i for i in sim.gateway.catalog if i.symbol == symbol and i.secType == 'STK')
    return tick_rows(sim.gateway.quotes(inst), what, a, b, False, 10**9, from_end=False)


def row_of(data, what):
    """The feed's current bar as a historical tick row (epoch, values...)."""
    ln = data.lines
    t = round((ln.datetime[0] - epoch_num(0)) * 86400)
    if what == 'TRADES':
        return (t, ln.close[0], ln.volume[0])
    if what == 'BID_ASK':
        return (t, ln.bid[0], ln.ask[0], ln.bidsize[0], ln.asksize[0])
    return (t, ln.close[0])


def collect(data, what, until, seen, timeout=10.0, lives=None):
    """Pull ticks until one at epoch second ``until`` or later arrives (or the
    ``lives``-th LIVE status)."""
    rows = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = pull(data)
        seen += [data._getstatusname(n[0]) for n in data.get_notifications()]
        if r:
            rows.append(row_of(data, what))
            if until is not None and rows[-1][0] >= until:
                return rows
        elif r is False:
            break
        if lives is not None and seen.count('LIVE') >= lives:
            return rows
    if until is None and lives is None:
        return rows   # whatever came in ``timeout``
    raise AssertionError(f'timed out at {rows[-1] if rows else None}; statuses {seen}')


def is_live(seen):
    return bool(seen) and seen[-1] == 'LIVE'


# -- the seam (no connection) -------------------------------------------------------------

def test_overlap_matches_tail_to_head():
    a, b, c = (5, 1.0, 1.0), (5, 2.0, 1.0), (5, 3.0, 1.0)
    assert overlap([a, b], [a, b, c]) == 2
    assert overlap([a, a], [a, a, a]) == 2          # repeated ticks: by position
    assert overlap([b], [c]) == 0
    assert overlap([], [a]) == 0


def test_seam_drops_what_was_delivered_and_keeps_the_rest():
    seam = TickSeam()
    for r in [(4, 9.0, 1.0), (5, 1.0, 1.0), (5, 1.0, 1.0)]:
        seam.add(r)
    # history from second 5: the two ticks of second 5 were had, the third is new
    hist = [(5, 1.0, 1.0), (5, 1.0, 1.0), (5, 1.0, 1.0), (6, 2.0, 3.0)]
    assert seam.take(hist) == [(5, 1.0, 1.0), (6, 2.0, 3.0)]
    # a live stash that overlaps the history's last second and goes on
    assert seam.take([(5, 1.0, 1.0), (6, 2.0, 3.0), (6, 2.5, 1.0), (7, 3.0, 1.0)]) == \
        [(6, 2.5, 1.0), (7, 3.0, 1.0)]
    assert seam.second == 7 and seam.rows == [(7, 3.0, 1.0)]


def test_params_and_lines():
    data = bt.feeds.IBData(dataname='AAPL', ticks='bidask')
    assert isinstance(data, IBBidAskData) and data._timeframe == bt.TimeFrame.Ticks
    assert {'bid', 'ask', 'bidsize', 'asksize'} <= set(data.lines.getlinealiases())
    assert bt.feeds.IBData(dataname='AAPL', ticks='AllLast')._kind == 'AllLast'
    with pytest.raises(ValueError, match="ticks='Trades'"):
        bt.feeds.IBData(dataname='AAPL', ticks='Trades')
    with pytest.raises(ValueError, match='timeframe Ticks'):
        bt.feeds.IBData(dataname='AAPL', ticks='Last', timeframe=bt.TimeFrame.Minutes)
    with pytest.raises(ValueError, match='fromdate is needed'):
        bt.feeds.IBData(dataname='AAPL', ticks='Last', historical=True)


# -- live against ibsim --------------------------------------------------------------------

@pytest.mark.parametrize('ticks,what', [('AllLast', 'TRADES'), ('BidAsk', 'BID_ASK'),
                                        ('MidPoint', 'MIDPOINT')])
def test_live_ticks_equal_historical_ticks(sim, client, ticks, what):
    data = live_feed(sim, client, ticks=ticks, fromdate=dt.datetime(2024, 3, 5, 9, 58))
    seen = []
    pull_until(data, is_live, seen=seen)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE']
    rows = [row_of(data, what)]
    sim.advance(40)
    rows += collect(data, what, T0 + 40, seen)
    # the backfill from 09:58 New York (14:58 UTC), then live ticks up to now
    want = model(sim, what, T0 - 120, T0 + 41)
    got = [r for r in rows if r[0] >= want[-40][0]]
    assert got == want[-len(got):] and len(got) >= 30
    assert data._stream.backfilled > 50 and data._stream.subscriptions == 1
    # IB's time, shown in the contract's zone (10:00:40 New York is now + 40 s)
    assert num2date(data.lines.datetime[0]) == dt.datetime(2024, 3, 5, 15, 0, 40)
    assert data.datetime.datetime(0) == dt.datetime(2024, 3, 5, 10, 0, 40)


@pytest.mark.parametrize('fault', ['restart', 'connectivity'])
@pytest.mark.parametrize('ticks,what,prints', [('AllLast', 'TRADES', 1), ('AllLast', 'TRADES', 3),
                                               ('BidAsk', 'BID_ASK', 1)])
def test_disconnection_is_backfilled_with_no_tick_lost_or_repeated(make_sim, client, fault,
                                                                    ticks, what, prints):
    # prints=3: three trades a second, two of them alike, so ticks share their
    # second at the seam and are told apart by their position
    sim = make_sim(trades_per_second=prints)
    sim.set_pacing(False)
    data = live_feed(sim, client, ticks=ticks, backfill_start=False)
    seen = []
    pull_until(data, is_live, seen=seen)
    sim.advance(20)
    rows = collect(data, what, T0 + 20, seen)
    if fault == 'restart':
        sim.restart(down_for=0.2)
    else:
        sim.connectivity_lost()
    sim.advance(45)                                 # ticks nobody received
    if fault == 'connectivity':
        sim.connectivity_restored(data_lost=True)
    rows += collect(data, what, None, seen, lives=2)
    sim.advance(20)
    rows += collect(data, what, T0 + 85, seen)
    rows += collect(data, what, None, seen, timeout=0.5) if prints > 1 else []  # the rest of 85
    want = model(sim, what, rows[0][0], T0 + 86)
    assert rows == want                              # nothing lost, nothing twice
    expected = (['CONNECTED', 'LIVE', 'CONNBROKEN', 'DELAYED', 'LIVE'] if fault == 'restart'
                else ['CONNECTED', 'LIVE', 'DELAYED', 'LIVE'])
    assert seen == expected
    assert data._stream.subscriptions == 2 and data._stream.backfilled >= 40


def test_subscription_limit_10190_is_notified(make_sim, client):
    sim = make_sim(max_tick_by_tick=1)
    sim.set_pacing(False)
    one = live_feed(sim, client, ticks='Last', backfill_start=False)
    pull_until(one, is_live)
    two = bt.feeds.IBData(dataname='SPY', ticks='MidPoint', qcheck=0.05,
                          **storekw(sim, client))
    two._start()
    notes = pull_notes(two)
    names = [two._getstatusname(n[0]) for n in notes]
    assert names[-1] == 'NOTSUBSCRIBED' and notes[-1][1][0] == 10190
    assert 'tick-by-tick subscriptions' in notes[-1][1][1]
    assert pull(two) is False                        # the feed ended, loudly
    msgs = [str(m) for m, *_ in two.ib.get_notifications()]
    assert any('MidPoint refused' in m and '10190' in m for m in msgs)
    sim.advance(5)
    assert drain(one)                                # the first feed goes on


def test_live_ticks_of_the_seam_second_after_the_history_are_joined():
    """The history (asked after subscribing) may hold ticks of its last second
    that the live stream sends only later: they are held and joined, not repeated."""
    import asyncio

    from backtrader_ib.stores.ibtickstream import TickStream
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        got = []
        s = TickStream(None, None, got.append, kind='AllLast', useRTH=False, begin=None)
        hist = [(10, 1.0, 5.0), (11, 1.1, 5.0), (11, 1.2, 7.0)]
        for row in s.seam.take(hist):
            s._put(row)
        s.joining = s.seam.second                       # as _open leaves it
        s.first = True
        s.on_tick((11, 1.2, 7.0))                       # had from history
        s.on_tick((11, 1.3, 1.0))                       # new in that second
        assert len(got) == 3                            # held until a later tick
        s.on_tick((12, 1.4, 2.0))
        s.on_tick((12, 1.4, 2.0))                       # a real repeat: a trade like the last
        assert [(round((i.dt - epoch_num(0)) * 86400), i.price, i.size) for i in got] == \
            hist + [(11, 1.3, 1.0), (12, 1.4, 2.0), (12, 1.4, 2.0)]
        # a quiet market: the held ticks go out after JOIN_WAIT
        s.joining = s.seam.second
        s.on_tick((12, 1.5, 1.0))
        loop.run_until_complete(asyncio.sleep(1.2))
        assert got[-1].price == 1.5 and s.joining is None
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_backfill_from_a_tick_file_goes_on_without_repeats(sim, client, tmp_path):
    from backtrader_ib.feeds.ibticks import IBTickCSVData
    from backtrader_ib.stores.ibticks import download_ticks, write_ticks
    got = download_ticks('AAPL', dt.datetime(2024, 3, 5, 14, 58), dt.datetime(2024, 3, 5, 14, 59, 30),
                         timezone='UTC', **storekw(sim, client))
    bt.stores.IBStore.reset()
    path = tmp_path / 'ticks.csv'
    write_ticks(got, str(path))
    data = live_feed(sim, client, ticks='AllLast', tz='UTC',
                     backfill_from=IBTickCSVData(dataname=str(path)))
    seen = []
    rows = collect(data, 'TRADES', None, seen, lives=1)
    sim.advance(10)
    rows += collect(data, 'TRADES', T0 + 10, seen)
    assert rows == model(sim, 'TRADES', T0 - 120, T0 + 11)     # the file, the gap, live
    assert rows[len(got) - 1] == got.rows[-1] and data._stream.backfilled >= 25


def test_historical_tick_feed_with_pages_cut_inside_a_second(make_sim, client):
    """historical=True over 1,000-tick pages that end inside a second (three
    prints a second): every tick once, in IB's order."""
    sim = make_sim(trades_per_second=3)
    sim.set_pacing(False)
    data = bt.feeds.IBData(dataname='AAPL', ticks='Last', historical=True, tz='UTC',
                           fromdate=dt.datetime(2024, 3, 5, 14, 30),
                           todate=dt.datetime(2024, 3, 5, 14, 50), **storekw(sim, client))
    data._start()
    seen, rows = [], []
    while True:
        r = pull(data)
        seen += [data._getstatusname(n[0]) for n in data.get_notifications()]
        if not r:
            break
        rows.append(row_of(data, 'TRADES'))
    want = model(sim, 'TRADES', T0 - 1800, T0 - 600)
    assert rows == want and len(want) > 3000
    assert seen == ['CONNECTED', 'DELAYED', 'DISCONNECTED']
    assert len(sim.requests(96)) >= len(want) // 1000 + 1


def test_a_stopped_tick_feed_frees_its_subscription(make_sim, client):
    sim = make_sim(max_tick_by_tick=1)
    sim.set_pacing(False)
    one = live_feed(sim, client, ticks='AllLast', backfill_start=False)
    pull_until(one, is_live)
    one.stop()                                       # cancelTickByTickData
    two = live_feed(sim, client, ticks='MidPoint', backfill_start=False)
    pull_until(two, is_live)
    sim.advance(5)
    assert drain(two) and len(sim.requests(98)) == 1


def test_no_trades_for_the_contract_10189_is_notified(sim, client):
    data = live_feed(sim, client, 'EUR.USD-CASH-IDEALPRO', ticks='Last', backfill_start=False)
    notes = pull_notes(data)
    assert data._getstatusname(notes[-1][0]) == 'NOTSUBSCRIBED' and notes[-1][1][0] == 10189
    fx = live_feed(sim, client, 'EUR.USD-CASH-IDEALPRO', ticks='BidAsk', backfill_start=False)
    pull_until(fx, is_live)
    sim.advance(5)
    assert drain(fx) and fx.lines.ask[0] > fx.lines.bid[0] > 0
