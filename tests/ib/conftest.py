"""Fixtures: ibsim (stepped clock) and a fresh IBStore per test, on both client libraries."""
from __future__ import annotations

import logging
import time
from datetime import datetime

import pytest

import backtrader_ib as bt
from backtrader_ib.stores import IBStore
from ibsim.conftest import LIBS, START, make_sim  # noqa: F401  (fixture reused)


@pytest.fixture
def sim(make_sim):  # noqa: F811
    s = make_sim()
    s.set_pacing(False)  # its pacing runs on the stepped clock, which stands still
    return s


@pytest.fixture(params=LIBS)
def client(request):
    return request.param


@pytest.fixture(autouse=True)
def journal_dir(tmp_path, monkeypatch):
    """Order journals (ib_journal.sqlite) go to the test's own directory."""
    monkeypatch.setenv('BTIB_JOURNAL_DIR', str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_store():
    IBStore.reset()
    yield
    store = IBStore.__dict__.get('_singleton')
    if store is not None:
        store.stop()
    IBStore.reset()


def storekw(sim, client, kw=None, **more):
    """Store params for tests (fast retries, no pacing); store keys are moved out of ``kw``."""
    kw = dict(more, **{k: kw.pop(k) for k in list(kw or {}) if k in IBStore.params._getkeys()})
    kw.setdefault('port', sim.port)
    kw.setdefault('clientId', 7)
    kw.setdefault('client', client)
    kw.setdefault('timeout', 0.05)
    kw.setdefault('reconnect', 40)
    kw.setdefault('maxbackoff', 0.2)
    kw.setdefault('pacingbackoff', 0.05)
    kw.setdefault('histtimeout', 5.0)
    kw.setdefault('pacing', False)
    return kw


def pull(data) -> bool | None:
    """One ``_load`` the way the live loop calls it: True, False or None."""
    data._tl.forward()
    r = data._load()
    if not r:
        data._tl.backwards()
    return r


def statuses(data) -> list:
    return [data._getstatusname(n[0]) for n in data.get_notifications()]


def pull_notes(data, until=None, timeout: float = 5.0) -> list:
    """Pull until the feed ends (or ``until(notes)`` holds); returns its raw
    notifications, (status, args, kwargs) tuples."""
    notes: list = []
    end = time.monotonic() + timeout
    while time.monotonic() < end and not (until and until(notes)):
        r = pull(data)
        notes += data.get_notifications()
        if r is False:
            break
    return notes


def pull_until(data, cond, timeout: float = 5.0, seen: list | None = None) -> list:
    """Pull bars until ``cond(seen_statuses)`` holds; returns the bar times (day numbers)."""
    seen = seen if seen is not None else []
    times = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = pull(data)
        seen += statuses(data)
        if r:
            times.append(data.lines.datetime[0])
        if cond(seen):
            return times
        if r is False:
            break
    raise AssertionError(f'timed out; statuses so far {seen}, {len(times)} bars')


def drain(data, quiet: float = 0.4, timeout: float = 5.0, seen: list | None = None,
          until: float | None = None) -> list:
    """Pull bars; returns their times. Stops once a bar reaches ``until`` (a day
    number) if given, else when nothing has arrived for ``quiet`` seconds."""
    seen = seen if seen is not None else []
    times = []
    last = time.monotonic()
    end = last + timeout
    while time.monotonic() < end:
        if until is None and time.monotonic() - last >= quiet:
            break
        r = pull(data)
        seen += statuses(data)
        if r:
            times.append(data.lines.datetime[0])
            last = time.monotonic()
            if until is not None and times[-1] >= until - 1e-9:
                break
        elif r is False:
            break
    return times


def naive(dt: datetime) -> datetime:
    return dt.replace(tzinfo=None)


def live_feed(sim, client, dataname='AAPL', **kw):
    kw.setdefault('qcheck', 0.05)
    data = bt.feeds.IBData(dataname=dataname, **storekw(sim, client, kw), **kw)
    data._start()
    data.do_qcheck(True, 0)
    return data


logging.getLogger('ib_insync').setLevel(logging.CRITICAL)
logging.getLogger('ib_async').setLevel(logging.CRITICAL)
