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
        self._dtline = None  # a datetime line whose current bar is the time

    # The time of the last change, as a datetime. backtrader's broker sets it
    # to the data's time on every bar a position is open; a backtest here
    # links an open position to its data's datetime line instead (``follow``)
    # and converts on read: most runs never read it, and num2date per fill
    # or per bar was several % of a default-mode run.
    @property
    def datetime(self):
        line = self._dtline
        if line is not None:
            return num2date(line[0], tz=line._tz, naive=True)
        stamp = self._dtnum
        if stamp is not None:
            self._dt = num2date(stamp[0], tz=stamp[1], naive=True)
            self._dtnum = None
        return self._dt

    @datetime.setter
    def datetime(self, value) -> None:
        self._dt = value
        self._dtnum = self._dtline = None

    def follow(self, dtline) -> None:
        """The time is ``dtline``'s current bar while the position is open;
        a closed position keeps the bar it closed on."""
        if self.size:
            self._dtnum, self._dtline = None, dtline
        else:
            self._dtnum, self._dtline = (dtline[0], dtline._tz), None

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
        self._dt, self._dtnum, self._dtline = dt, None, None  # (the setter, without the call)
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
