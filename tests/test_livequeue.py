"""LiveQueueData, the base of queue-fed live feeds: its states, and a third
live feed written against it alone (a pretend websocket sending dicts)."""
from __future__ import annotations

import ast
import datetime
import importlib.util
from pathlib import Path

import pytest

import backtrader_ib as bt
from backtrader_ib.feeds.livequeue import FeedState, LiveQueueData
from backtrader_ib.utils.date import date2num

T0 = datetime.datetime(2026, 3, 2, 14, 30, 0)


class SocketData(LiveQueueData):
    """A live feed of messages ``{'t': datetime, 'p': price, 'q': size}``;
    ``{'end': True}`` closes it. Everything else comes from the base."""

    def start(self) -> None:
        super().start()
        self.states = []
        self._begin()

    def _launch(self) -> FeedState:
        self.put_notification(self.LIVE)
        return FeedState.LIVE

    def _handle(self, msg) -> bool | None:
        if msg.get('end'):
            return self._end(self.DISCONNECTED)
        if msg.get('p') is None:
            return None  # a heartbeat: nothing to deliver
        p = msg['p']
        self._fill(date2num(msg['t']), p, p, p, p, msg.get('q', 0.0), 0.0)
        return True

    def _load(self):
        self.states.append(self._state)
        return super()._load()


class Recorder(bt.Strategy):
    def __init__(self):
        self.bars = []
        self.statuses = []

    def notify_data(self, data, status, *args, **kwargs):
        self.statuses.append(data._getstatusname(status))

    def next(self):
        d = self.data
        self.bars.append((d.datetime.datetime(0), d.close[0], d.volume[0]))


def _history() -> bt.feeds.PandasData:
    pd = pytest.importorskip('pandas')
    idx = pd.date_range(T0 - datetime.timedelta(seconds=3), periods=3, freq='s')
    df = pd.DataFrame({'open': [99.0, 99.5, 100.0], 'high': [99.0, 99.5, 100.0],
                       'low': [99.0, 99.5, 100.0], 'close': [99.0, 99.5, 100.0],
                       'volume': [1.0, 1.0, 1.0], 'openinterest': [0.0] * 3}, index=idx)
    return bt.feeds.PandasData(dataname=df, timeframe=bt.TimeFrame.Ticks)


def test_a_third_live_feed_backfills_then_goes_live_then_ends():
    feed = SocketData(timeframe=bt.TimeFrame.Ticks, qcheck=0.01, backfill_from=_history())
    for msg in [{'t': T0, 'p': 101.0, 'q': 2}, {'hb': 1},
                {'t': T0 + datetime.timedelta(seconds=1), 'p': 102.0, 'q': 3}, {'end': True}]:
        feed._q.put(msg)  # the producer: here, everything is already there
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(feed)
    cerebro.addstrategy(Recorder)
    strat = cerebro.run()[0]
    assert [(dt.second, c, v) for dt, c, v in strat.bars] == [
        (57, 99.0, 1.0), (58, 99.5, 1.0), (59, 100.0, 1.0), (0, 101.0, 2.0), (1, 102.0, 3.0)]
    assert strat.statuses == ['LIVE', 'DISCONNECTED']
    # the state each _load started in: three backfill bars; the fourth call runs
    # out of backfill, starts the source and takes the first message; one call
    # skips the heartbeat and delivers; the last ends the feed
    assert [s.name for s in feed.states] == ['BACKFILL'] * 4 + ['LIVE'] * 2
    assert feed._state is FeedState.ENDED


def test_historical_state_ends_after_silence():
    class Download(SocketData):
        def _launch(self):
            return FeedState.HISTORICAL

        def _histwait(self):
            return 0.05

    feed = Download(timeframe=bt.TimeFrame.Ticks)
    feed._start()
    assert feed._state is FeedState.START
    assert feed._load() is False
    assert feed._state is FeedState.ENDED
    assert not feed.haslivedata()  # a download is never "live data queued"
    assert [feed._getstatusname(n[0]) for n in feed.get_notifications()] == ['DISCONNECTED']


def test_live_wait_returns_none_and_haslivedata_follows_the_queue():
    feed = SocketData(timeframe=bt.TimeFrame.Ticks, qcheck=0.01)
    feed._start()
    feed._tl.forward()
    assert feed._load() is None  # nothing yet: not the end
    assert feed._state is FeedState.LIVE and not feed.haslivedata()
    feed._q.put({'t': T0, 'p': 1.0})
    assert feed.haslivedata()
    assert feed._load() is True and feed.close[0] == 1.0


def _backtrader_state_names() -> list[str]:
    """backtrader's IBData ``_ST_*`` names in value order, read from its source
    (it cannot be imported without IbPy)."""
    spec = importlib.util.find_spec('backtrader')
    if spec is None or spec.origin is None:
        pytest.skip('backtrader (test-only reference) is not installed')
    src = Path(spec.origin).parent / 'feeds' / 'ibdata.py'
    for node in ast.walk(ast.parse(src.read_text())):
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple)
                and all(isinstance(e, ast.Name) and e.id.startswith('_ST_')
                        for e in node.targets[0].elts)):
            return [e.id for e in node.targets[0].elts]
    raise AssertionError('no _ST_ assignment in backtrader/feeds/ibdata.py')


def test_state_names_and_values_are_backtraders():
    names = _backtrader_state_names()
    for cls in (bt.feeds.IBData, bt.feeds.QueueData, LiveQueueData):
        assert [getattr(cls, n) for n in names] == list(range(len(names)))
    assert bt.feeds.IBData._ST_OVER is FeedState.ENDED


def test_live_queue_loses_nothing_between_threads():
    """LiveQueue (the feeds' queue): producers in threads, one consumer taking
    with short waits: every item once, each producer's in its order."""
    import queue as _queue
    import threading
    import time

    from backtrader_ib.feeds.livequeue import LiveQueue

    q = LiveQueue()
    with pytest.raises(_queue.Empty):
        q.get(timeout=0)                     # only what is there
    t0 = time.monotonic()
    with pytest.raises(_queue.Empty):
        q.get(timeout=0.05)
    assert time.monotonic() - t0 >= 0.04
    n, producers = 20_000, 3

    def produce(k):
        for i in range(n):
            q.put((k, i))
            if i % 997 == 0:
                time.sleep(0.001)            # the consumer catches up and waits
    threads = [threading.Thread(target=produce, args=(k,)) for k in range(producers)]
    for th in threads:
        th.start()
    got = []
    while len(got) < n * producers:
        try:
            got.append(q.get(timeout=0.01))
        except _queue.Empty:
            pass
    for th in threads:
        th.join()
    assert q.empty() and q.qsize() == 0
    for k in range(producers):
        assert [i for kk, i in got if kk == k] == list(range(n))
