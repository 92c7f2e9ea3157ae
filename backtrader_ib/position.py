"""A position in one data: size and average price."""
from __future__ import annotations

from .utils.date import num2date

__all__ = ('Position',)


class Position:
    """Size and average price, updated by fills."""

    def __init__(self, size: float = 0, price: float = 0.0) -> None:
        self.size = size
        self.price = price if size else 0.0
        self.price_orig = self.price
        self.adjbase = None
        self.upopened = size
        self.upclosed: float = 0
        self.updt = None
        self._dt = None
        self._dtnum: tuple | None = None  # (day number, tz) not converted yet

    # The time of the last change, as a datetime. A backtest's fill stores the
    # day number and converts it when read: most runs never read it, and the
    # conversion was ~3% of a default-mode run (bench/workloads.py single-default).
    @property
    def datetime(self):
        stamp = self._dtnum
        if stamp is not None:
            self._dt = num2date(stamp[0], tz=stamp[1], naive=True)
            self._dtnum = None
        return self._dt

    @datetime.setter
    def datetime(self, value) -> None:
        self._dt = value
        self._dtnum = None

    def stamp(self, num: float, tz=None) -> None:
        """Set the time to day number ``num`` (in ``tz``), converted when read."""
        self._dtnum = (num, tz)

    def __str__(self):
        return '\n'.join(['--- Position Begin', f'- Size: {self.size}',
                          f'- Price: {self.price}', f'- Price orig: {self.price_orig}',
                          f'- Closed: {self.upclosed}', f'- Opened: {self.upopened}',
                          f'- Adjbase: {self.adjbase}', '--- Position End'])

    def __repr__(self):
        return f'Position(size={self.size}, price={self.price})'

    def fix(self, size: float, price: float) -> bool:
        oldsize = self.size
        self.size = size
        self.price = price
        return self.size == oldsize

    def set(self, size: float, price: float):
        """Set size and price outright (as a broker report would)."""
        if self.size > 0:
            if size > self.size:
                self.upopened, self.upclosed = size - self.size, 0
            else:
                self.upopened = min(0, size)
                self.upclosed = min(self.size, self.size - size)
        elif self.size < 0:
            if size < self.size:
                self.upopened, self.upclosed = size - self.size, 0
            else:
                self.upopened = max(0, size)
                self.upclosed = max(self.size, self.size - size)
        else:
            self.upopened, self.upclosed = self.size, 0
        self.size = size
        self.price_orig = self.price
        self.price = price if size else 0.0
        return self.size, self.price, self.upopened, self.upclosed

    def __len__(self) -> int:
        return abs(self.size)  # type: ignore[return-value]  # len() refuses fractional sizes

    def __bool__(self) -> bool:
        return self.size != 0

    def clone(self) -> 'Position':
        return Position(size=self.size, price=self.price)

    def pseudoupdate(self, size: float, price: float):
        return Position(self.size, self.price).update(size, price)

    def update(self, size: float, price: float, dt=None):
        """Apply a fill; returns (size, price, opened, closed).

        ``opened`` and ``closed`` split ``size`` (same sign) into the part that
        opened or increased the position and the part that reduced it.
        """
        self._dt, self._dtnum = dt, None  # (the datetime setter, without the call)
        self.price_orig = self.price
        oldsize = self.size
        self.size += size
        opened: float
        closed: float
        if not self.size:
            opened, closed = 0, size
            self.price = 0.0
        elif not oldsize:
            opened, closed = size, 0
            self.price = price
        elif oldsize > 0:
            if size > 0:
                opened, closed = size, 0
                self.price = (self.price * oldsize + size * price) / self.size
            elif self.size > 0:
                opened, closed = 0, size
            else:  # long reversed into short
                opened, closed = self.size, -oldsize
                self.price = price
        else:
            if size < 0:
                opened, closed = size, 0
                self.price = (self.price * oldsize + size * price) / self.size
            elif self.size < 0:
                opened, closed = 0, size
            else:  # short reversed into long
                opened, closed = self.size, -oldsize
                self.price = price
        self.upopened = opened
        self.upclosed = closed
        return self.size, self.price, opened, closed
