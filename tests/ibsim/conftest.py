"""Fixtures: a stepped-clock ibsim and real ib_insync / ib_async clients."""
from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
from datetime import datetime, timezone

import pytest

from backtrader_ib.ibsim import IBSim

START = datetime(2024, 3, 5, 15, 0, tzinfo=timezone.utc)      # Tuesday 10:00 New York
def _installed(*names: str) -> list:
    """Client libraries as test params; one not installed (the ib_async-only
    tox env) is skipped, naming it."""
    return [pytest.param(n, marks=pytest.mark.skipif(importlib.util.find_spec(n) is None,
                                                    reason=f"{n} is not installed"))
            for n in names]


LIBS = _installed("ib_insync", "ib_async")
VERSIONS = [157, 176]


@pytest.fixture(autouse=True)
def _event_loop():
    # both clients run on the thread's current asyncio loop
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def make_sim():
    sims = []

    def make(**kw) -> IBSim:
        kw.setdefault("start", START)
        kw.setdefault("seed", 1)
        sim = IBSim(**kw).start()
        sims.append(sim)
        return sim
    yield make
    for sim in sims:
        sim.stop()


@pytest.fixture
def sim(make_sim) -> IBSim:
    return make_sim()


@pytest.fixture(params=LIBS)
def lib(request):
    return importlib.import_module(request.param)


@pytest.fixture
def connect(lib):
    clients = []

    def make(sim: IBSim, client_id: int = 1, **kw):
        ib = lib.IB()
        ib.RaiseRequestErrors = kw.pop("raise_errors", False)
        ib.connect("127.0.0.1", sim.port, clientId=client_id, timeout=kw.pop("timeout", 5), **kw)
        clients.append(ib)
        return ib
    yield make
    for ib in clients:
        ib.disconnect()


@pytest.fixture
def ib(sim, connect):
    return connect(sim)


def pump(ib, sim=None, seconds: float = 0):
    """Advance the simulated clock and wait until the client has read what it caused.

    A round trip (reqCurrentTime) before advancing makes sure the gateway has
    handled every request sent so far; one after it makes sure the client has
    processed every message the step produced, since TWS answers in order."""
    ib.reqCurrentTime()
    if sim is not None and seconds:
        sim.advance(seconds)
        ib.reqCurrentTime()


def errors_of(ib):
    """Collect (reqId, code) of every error event the client sees."""
    seen = []
    ib.errorEvent += lambda req_id, code, *rest: seen.append((req_id, code))
    return seen


logging.getLogger("ib_insync").setLevel(logging.CRITICAL)
logging.getLogger("ib_async").setLevel(logging.CRITICAL)
