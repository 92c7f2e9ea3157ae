"""The gateway's clock: real time, accelerated, or stepped by a test."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


class Clock:
    """Simulated epoch seconds.

    ``speed=1`` runs in real time, ``speed=60`` runs a minute per second,
    ``speed=None`` stands still until :meth:`advance` is called.
    """

    def __init__(self, start: float | datetime | None = None, speed: float | None = 1.0):
        if isinstance(start, datetime):
            start = start.timestamp()
        self._base = time.time() if start is None else float(start)
        self._speed = speed
        self._real0 = time.monotonic()
        self._lock = threading.Lock()

    @property
    def stepped(self) -> bool:
        return self._speed is None

    @property
    def speed(self) -> float | None:
        return self._speed

    def now(self) -> float:
        with self._lock:
            if self._speed is None:
                return self._base
            return self._base + (time.monotonic() - self._real0) * self._speed

    def advance(self, seconds: float) -> float:
        """Move a stepped clock forward (an accelerated one jumps ahead)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._base += seconds
            return self._base if self._speed is None else self._base + (time.monotonic() - self._real0) * self._speed

    def set_speed(self, speed: float | None) -> None:
        now = self.now()
        with self._lock:
            self._base, self._real0, self._speed = now, time.monotonic(), speed

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), timezone.utc)
