"""Historical ticks of any range (stores/ibticks.py, ``download --ticks``)
against ibsim with both client libraries: 1,000-tick pages tiled with nothing
lost or repeated, IB's pacing, a dropped connection, the cache, resuming."""
from __future__ import annotations

import csv
import datetime as dt
import threading
import time

import pytest

from backtrader_ib import cli
from backtrader_ib.stores import ibticks
from backtrader_ib.stores.ibticks import download_ticks

from .conftest import storekw

# Monday 2024-03-04, New York time: the simulated now is Tuesday 10:00
FROM, TO = '2024-03-04T09:30', '2024-03-04T10:05'
SECONDS = 35 * 60


def expected(sim, client, what, fromdate=FROM, todate=TO):
    """The same range from ibsim one second at a time (its tick model)."""
    import pandas as pd
    from backtrader_ib.ibsim.history import tick_rows
    gw = sim.gateway
    inst = next(i for i in gw.catalog if i.symbol == "AAPL" and i.secType == "STK")
    q = gw.quotes(inst)
    a = int(pd.Timestamp(fromdate, tz='US/Eastern').timestamp())
    b = int(pd.Timestamp(todate, tz='US/Eastern').timestamp())
    return tick_rows(q, what, a, b, False, 10**9, from_end=False)


@pytest.mark.parametrize('what', ['TRADES', 'BID_ASK', 'MIDPOINT'])
def test_range_is_tiled_by_pages(sim, client, what):
    got = download_ticks('AAPL', FROM, TO, what=what, **storekw(sim, client))
    assert got.complete and got.messages == []
    want = expected(sim, client, what)
    assert len(want) > ibticks.PAGE          # more than one page
    assert got.rows == want
    assert len(sim.requests(96)) == len(want) // ibticks.PAGE + 1


def test_frame_and_csv(sim, client, tmp_path):
    got = download_ticks('AAPL', FROM, '2024-03-04T09:31', what='BID_ASK', **storekw(sim, client))
    out = tmp_path / 't.csv'
    ibticks.write_ticks(got, str(out))
    rows = list(csv.reader(open(out)))
    assert rows[0] == ['datetime', 'bid', 'ask', 'bidsize', 'asksize']
    assert rows[1][0] == '2024-03-04 09:30:00' and len(rows) == len(got) + 1
    df = got.to_frame()
    assert list(df.columns) == ['datetime', 'bid', 'ask', 'bidsize', 'asksize']
    assert str(df.datetime.iloc[0]) == '2024-03-04 09:30:00'


def test_pacing_violations_are_retried(sim, client):
    clean = download_ticks('AAPL', FROM, TO, **storekw(sim, client))
    sim.fail_next(96, 162, 'Historical Market Data Service error message:Historical data '
                  'request pacing violation', count=2)
    got = download_ticks('AAPL', FROM, TO, **storekw(sim, client))
    assert got.rows == clean.rows
    assert sum('Pacing violation (162)' in m for m in got.messages) == 2


def test_gateway_pacing_with_the_real_clock(make_sim, client):
    # a real-time gateway enforcing IB's rules and our pacer: BID_ASK counts
    # twice, so the third page must wait for the two-second window
    sim = make_sim(speed=1, start=dt.datetime(2024, 3, 5, 15, tzinfo=dt.timezone.utc))
    t0 = time.monotonic()
    got = download_ticks('AAPL', FROM, '2024-03-04T10:20', what='BID_ASK',
                         **storekw(sim, client, pacing=True))
    assert got.complete and len(sim.requests(96)) >= 3
    assert not [m for m in got.messages if '162' in m]      # paced: no violation
    assert time.monotonic() - t0 >= 1.9


def test_dropped_connection_resumes_without_loss(sim, client):
    clean = download_ticks('AAPL', FROM, '2024-03-04T11:00', **storekw(sim, client))
    sim.set_latency(0.15)
    def drop():
        while len(sim.requests(96)) < len(clean.rows) // 1000 + 3:
            time.sleep(0.01)
        sim.drop_clients()
    threading.Thread(target=drop, daemon=True).start()
    got = download_ticks('AAPL', FROM, '2024-03-04T11:00', **storekw(sim, client))
    assert got.complete and got.rows == clean.rows


def test_cache_serves_full_old_pages(sim, client, tmp_path):
    # Friday: its pages are more than a day old (the simulated now is Tuesday)
    fri = ('2024-03-01T09:30', '2024-03-01T10:05')
    first = download_ticks('AAPL', *fri, cache=str(tmp_path), **storekw(sim, client))
    n = len(sim.requests(96))
    again = download_ticks('AAPL', *fri, cache=str(tmp_path), **storekw(sim, client))
    assert again.rows == first.rows
    assert n == 3 and len(sim.requests(96)) == n      # every page from the cache


def test_more_ticks_in_a_second_than_a_page():
    # a gateway that puts 2,500 trades in one second: pages start at that
    # second and skip what they had
    class Tick:
        def __init__(self, t, i):
            self.time = dt.datetime.fromtimestamp(t, dt.timezone.utc)
            self.price, self.size = 100 + i / 1000, 1.0
    ticks = [Tick(10, i) for i in range(2500)] + [Tick(11 + i, i) for i in range(1500)]

    class IB:
        async def reqHistoricalTicksAsync(self, contract, start, end, n, what, rth):
            t = int(dt.datetime.strptime(start, '%Y%m%d-%H:%M:%S').replace(
                tzinfo=dt.timezone.utc).timestamp())
            rows = [x for x in ticks if x.time.timestamp() >= t]
            out = rows[:n]
            last = out[-1].time if out else None
            # IB completes the last second... unless the second alone exceeds the page
            return out + [x for x in rows[n:] if x.time == last and last.timestamp() != t]

    class Store:
        p = type('P', (), dict(pacing=False, pacingbackoff=0.1, maxbackoff=1, histtimeout=5))
        ib, lib = IB(), None
        async def wait_connected(self): return True
        def utcnow(self): return dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    import asyncio
    rows: list = []
    contract = type('C', (), dict(conId=1, exchange='SMART'))
    assert asyncio.run(ibticks.fetch_ticks(Store(), contract, 'TRADES', 0, 10**6, False,
                                           rows.append))
    assert [r[1] for r in rows] == [x.price for x in ticks]


def test_cli_ticks_and_resume(sim, client, tmp_path, capsys):
    out = tmp_path / 'ticks.csv'
    base = ['download', '--port', str(sim.port), '--client', client, '--data', 'AAPL',
            '--ticks', 'trades', '-o', str(out)]
    assert cli.main(base + ['--fromdate', FROM, '--todate', '2024-03-04T09:45']) == 0
    assert f'{15 * 60} TRADES ticks to' in capsys.readouterr().err
    assert cli.main(base + ['--fromdate', FROM, '--todate', TO, '--resume']) == 0
    rows = list(csv.reader(open(out)))
    assert rows[0] == ['datetime', 'price', 'size'] and len(rows) - 1 == SECONDS
    assert [r[0] for r in rows[1:]] == sorted(set(r[0] for r in rows[1:]))
    want = expected(sim, client, 'TRADES')
    assert [float(r[1]) for r in rows[1:]] == [w[1] for w in want]


def test_cli_parquet_builtin_ibsim(tmp_path):
    pytest.importorskip('pyarrow')
    import pandas as pd
    out = tmp_path / 'q.parquet'
    assert cli.main(['download', '--ibsim', '--data', 'AAPL', '--ticks', 'MIDPOINT',
                     '--fromdate', FROM, '--todate', '2024-03-04T09:40', '-o', str(out)]) == 0
    df = pd.read_parquet(out)
    assert list(df.columns) == ['datetime', 'price'] and len(df) > 100
    assert str(df.datetime.iloc[0]) == '2024-03-04 09:30:00'


def test_bad_what():
    with pytest.raises(ValueError, match="what='LAST'"):
        download_ticks('AAPL', FROM, TO, what='LAST')
