"""IB's historical-data pacing rules as a scheduler: how long to wait before a request.

IB answers error 162 "pacing violation" when, for small bars (30 s or less),
a client makes an identical request within 15 s, six or more requests for
one contract/exchange/whatToShow within 2 s, or more than 60 requests in ten
minutes (BID_ASK counts twice). The identical and sixty-in-ten-minutes rules
are applied to small bars only, where IB documents them; the six-in-two-
seconds one to every request (a cheap precaution). The clock is injectable.
"""
from __future__ import annotations

import collections
import time
from typing import Callable

__all__ = ('HistoricalPacer',)

IDENTICAL_GAP = 15.0
BURST_WINDOW, BURST_MAX = 2.0, 5        # at most 5 per contract in any 2 s
LONG_WINDOW, LONG_MAX = 600.0, 60


class HistoricalPacer:
    """Keeps the recent requests; ``delay`` says how long the next one must wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, margin: float = 0.1):
        self.clock = clock
        self.margin = margin
        self._log: collections.deque = collections.deque()  # (t, weight, contract key, full key, small)

    def _trim(self, now: float) -> None:
        log = self._log
        while log and now - log[0][0] > LONG_WINDOW:
            log.popleft()

    def delay(self, contract_key: tuple, full_key: tuple, weight: int = 1,
              small: bool = True) -> float:
        """Seconds to wait before sending this request (0: send now)."""
        now = self.clock()
        self._trim(now)
        wait = 0.0
        for t, _, _, key, s in self._log:
            if small and s and key == full_key:
                wait = max(wait, t + IDENTICAL_GAP - now)
        recent = [(t, w) for t, w, ck, _, _ in self._log
                  if ck == contract_key and now - t < BURST_WINDOW]
        if sum(w for _, w in recent) + weight > BURST_MAX:
            # wait until enough of the burst has left the window
            excess = sum(w for _, w in recent) + weight - BURST_MAX
            for t, w in recent:
                excess -= w
                if excess <= 0:
                    wait = max(wait, t + BURST_WINDOW - now)
                    break
        if small:
            smalls = [(t, w) for t, w, _, _, s in self._log if s]
            total = sum(w for _, w in smalls) + weight
            if total > LONG_MAX:
                excess = total - LONG_MAX
                for t, w in smalls:
                    excess -= w
                    if excess <= 0:
                        wait = max(wait, t + LONG_WINDOW - now)
                        break
        return wait + self.margin if wait > 0 else 0.0

    def record(self, contract_key: tuple, full_key: tuple, weight: int = 1,
               small: bool = True) -> None:
        """Note a request just sent."""
        self._log.append((self.clock(), weight, contract_key, full_key, small))
