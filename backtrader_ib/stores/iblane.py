"""The order lane: a thread that runs the store's order work in the order it was posted.

The strategy thread must not block or make a system call in ``buy()``: a
system call gives up the interpreter lock, and taking it back from the store's
loop thread (busy decoding ticks) waits up to the switch interval (5 ms). So
``buy()`` only appends to the lane; the lane thread writes the journal (on disk,
fsync), then hands the send to the loop (``call_soon_threadsafe``), and the
journal's other writes (statuses, executions) run there too, in order.

``post`` appends a job and wakes the lane only if it sleeps (a lock it holds
for no system call). Jobs run one at a time, first posted first run; ``flush``
waits until every job posted before it has run.
"""
from __future__ import annotations

import atexit
import collections
import logging
import threading
from typing import Callable

__all__ = ('OrderLane',)

log = logging.getLogger('backtrader_ib.iblane')


def _STOP() -> None:
    """Posted by ``close``: the lane ends after the jobs before it."""


class OrderLane:
    """One worker thread running posted callables in order (any thread may post)."""

    def __init__(self, name: str = 'ibstore-orders') -> None:
        self._jobs: collections.deque = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        self._sleeping = False
        self._posting = threading.Lock()    # numbers jobs in the order they are queued
        self._last = 0                      # the number of the last job posted
        self._done = 0                      # the number of the last job run
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        # a daemon thread stops dead at exit: run what was posted first (journal writes)
        atexit.register(self._at_exit)

    def _at_exit(self) -> None:
        self.flush(10.0)

    def on_lane(self) -> bool:
        return threading.current_thread() is self._thread

    def alive(self) -> bool:
        return self._thread.is_alive()

    def post(self, job: Callable[[], object]) -> None:
        """Run ``job()`` on the lane after the jobs posted before it; returns at once."""
        with self._posting:  # uncontended unless two threads post at once: no wait
            self._jobs.append(job)
            self._last += 1
        if self._sleeping:  # set before the lane's last look at the deque: it is woken
            with self._cond:
                self._cond.notify()

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until the jobs posted so far have run (True), or ``timeout`` (False)."""
        if self.on_lane() or self._done >= self._last or not self.alive():
            return True
        done = threading.Event()
        self.post(done.set)
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Run what was posted, then end the thread."""
        atexit.unregister(self._at_exit)
        if self.alive() and not self.on_lane():
            self.post(_STOP)
            self._thread.join(timeout)

    def _run(self) -> None:
        jobs, cond = self._jobs, self._cond
        while True:
            if not jobs:
                with cond:
                    self._sleeping = True
                    try:
                        while not jobs:  # looked at after _sleeping is set
                            cond.wait()
                    finally:
                        self._sleeping = False
            job = jobs.popleft()
            if job is _STOP:
                self._done += 1
                return
            try:
                job()
            except Exception:  # a job reports its own failures; this is a bug
                log.exception('IBStore order lane: a job failed')
            self._done += 1
