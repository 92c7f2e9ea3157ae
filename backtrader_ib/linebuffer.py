"""Lines as contiguous NumPy arrays read through a shared moving index.

A :class:`Timeline` is the index that a group of lines advances together: a
data feed's lines, and every indicator and operation computed on that feed,
share one, so moving to the next bar is a single integer increment however
many lines hang on it. ``line[0]`` reads the slot at the index, ``line[-n]``
the bars before it.

Memory: unbounded timelines grow by doubling; bounded ones (``exactbars``)
keep only the last ``keep`` bars, sliding them to the front of the array now
and then instead of shifting on every bar.
"""
from __future__ import annotations

import array as _array
import math
import operator
from collections import OrderedDict
from typing import Any

import numpy as np

from .lineroot import LineMultiple, LineRoot, LineSingle
from .metabase import current_owner, make_info_class
from .utils.date import num2date, time2num
from .utils.identity import remove_item

__all__ = ('Timeline', 'LineBuffer', 'LineActions', 'LinesOperation',
           'LineOwnOperation', 'LineDelay', 'LineForward', 'LineNum', 'PseudoArray', 'NAN')

NAN = float('nan')
_EMPTY = np.empty(0)


class Timeline:
    """The moving index shared by lines that advance together."""

    __slots__ = ('idx', 'count', 'end', 'ext', 'capacity', 'keep', 'buffers',
                 '__weakref__')

    def __init__(self) -> None:
        self.idx = -1        # array slot of the current bar
        self.count = 0       # bars seen so far: len() of every line here
        self.end = 0         # slots in use (bars loaded + lookahead slots)
        self.ext = 0         # lookahead slots at the end
        self.capacity = 0    # allocated slots
        self.keep = 0        # 0: keep everything; n: keep at least n bars
        self.buffers: list[LineBuffer] = []

    def register(self, buf: 'LineBuffer') -> None:
        buf._resize(self.capacity)
        self.buffers.append(buf)

    def reserve(self, need: int) -> None:
        """Make room for ``need`` slots in every line."""
        if need <= self.capacity:
            return
        cap = max(need, 2 * self.keep + 256) if self.keep else \
            max(need, 2 * self.capacity, 64)
        for buf in self.buffers:
            buf._resize(cap)
        self.capacity = cap

    def _compact(self) -> None:
        """Bounded mode: slide the last ``keep`` bars to the front."""
        first = self.idx + 1 - self.keep
        for buf in self.buffers:
            arr = buf._arr
            arr[:self.end - first] = arr[first:self.end]
            arr[self.end - first:] = NAN
        self.idx -= first
        self.end -= first

    def forward(self, size: int = 1) -> None:
        """Open ``size`` new bars (growing or compacting the arrays)."""
        self.idx += size
        self.count += size
        need = self.idx + 1 + self.ext  # lookahead slots stay after the bar
        if need > self.end:
            if need > self.capacity:
                if self.keep and self.idx + 1 > self.keep:
                    self._compact()
                self.reserve(self.idx + 1 + self.ext)
            self.end = self.idx + 1 + self.ext

    def backwards(self, size: int = 1, force: bool = False) -> None:
        """Drop the last ``size`` bars (a bar loaded then filtered out)."""
        end = self.end
        if size == 1 and end > 0:  # the usual case: a scalar store is ~5x cheaper
            last = end - 1
            for buf in self.buffers:
                buf._arr[last] = NAN
        else:
            for buf in self.buffers:
                buf._arr[end - size:end] = NAN
        self.idx -= size
        self.count -= size
        self.end -= size

    def advance(self, size: int = 1) -> None:
        self.idx += size
        self.count += size

    def rewind(self, size: int = 1) -> None:
        self.idx -= size
        self.count -= size

    def home(self) -> None:
        self.idx = -1
        self.count = 0

    def extend(self, size: int = 0) -> None:
        """Add ``size`` slots past the end without moving (lookahead)."""
        self.reserve(self.end + size)
        self.end += size
        self.ext += size

    def adopt(self, arrays: list, size: int) -> None:
        """Preload ``size`` bars, using each given array as its line's storage.

        Arrays are used as they are (no copy; read-only views of a DataFrame
        are copied on first write). A None entry gets a NaN-filled line.
        """
        self.capacity = size + self.ext
        adopted: list = []
        for buf, values in zip(self.buffers, arrays):
            if (values is not None and not self.ext and len(values) == size
                    and values.dtype == np.float64 and values.flags.c_contiguous
                    and not any(np.may_share_memory(values, a) for a in adopted)):
                adopted.append(values)
                view = values.view()
                view.flags.writeable = False  # writes copy first: never into the source
                buf._arr = view
                buf._mv = memoryview(view)
            elif values is None and not self.ext:
                # a line the source lacks: all NaN, stored in no memory at all
                # (copied on the first write)
                buf._arr = np.broadcast_to(NAN, size)
                buf._mv = memoryview(buf._arr)
            else:
                buf._arr = _EMPTY
                buf._resize(self.capacity)
                if values is not None:
                    buf._arr[:size] = values
        for buf in self.buffers[len(arrays):]:
            buf._resize(self.capacity)
        self.end = size + self.ext

    def allocate(self, size: int) -> None:
        """Preload: make exactly ``size`` bars (plus lookahead) available."""
        self.reserve(size + self.ext)
        self.end = size + self.ext

    def reset(self) -> None:
        self.idx, self.count, self.end, self.ext = -1, 0, 0, 0
        self.capacity = 0
        for buf in self.buffers:
            buf._arr = _EMPTY  # fresh storage: the old may be a read-only view
            buf._mv = memoryview(_EMPTY)

    def buflen(self) -> int:
        return self.end - self.ext


class LineBuffer(LineSingle):
    """One line: values in a NumPy array, read relative to its timeline."""

    _tz = None
    # a line has no params; code walking indicators and operations alike reads them
    params = p = make_info_class('LineBuffer_params', OrderedDict())()

    def __init__(self, timeline: Timeline | None = None) -> None:
        self._tl = timeline if timeline is not None else Timeline()
        self._arr = _EMPTY
        self._mv = memoryview(_EMPTY)
        self.bindings: list = []
        self._tl.register(self)

    # -- storage ------------------------------------------------------------
    def _resize(self, capacity: int) -> None:
        old = self._arr
        arr = np.full(capacity, NAN)
        n = min(len(old), capacity)
        arr[:n] = old[:n]
        self._arr = arr
        self._mv = memoryview(arr)

    def _settimeline(self, timeline: Timeline) -> None:
        """Move this line onto another timeline (values are not kept)."""
        if timeline is self._tl:
            return
        try:
            remove_item(self._tl.buffers, self)  # (== on lines builds an operation)
        except ValueError:
            pass
        self._tl = timeline
        self._arr = _EMPTY
        timeline.register(self)

    @property
    def array(self) -> np.ndarray:
        """The values stored so far (a view; index 0 is the oldest kept bar)."""
        return self._arr[:self._tl.end]

    @array.setter
    def array(self, values) -> None:
        values = np.asarray(values, dtype=float)
        tl = self._tl
        if len(values) > tl.capacity:
            tl.reserve(len(values))
        self._arr[:len(values)] = values
        if len(values) > tl.end:
            tl.end = len(values)

    @property
    def lines(self) -> tuple:
        """A line is its own only line (as in backtrader: ``line.lines[0]``)."""
        return (self,)

    @property
    def extension(self) -> int:
        """Lookahead slots past the last bar."""
        return self._tl.ext

    @property
    def idx(self) -> int:
        return self._tl.idx

    @idx.setter
    def idx(self, value: int) -> None:
        self._tl.idx = value

    @property
    def lencount(self) -> int:
        return self._tl.count

    # -- access ---------------------------------------------------------------
    def __getitem__(self, ago: int) -> float:
        i = self._tl.idx + ago
        if i < 0:
            return self._before_start(ago)
        return self._mv[i]

    def _before_start(self, ago: int) -> float:
        # backtrader wraps around to the end of the array here (a silent wrong
        # value). Before the first bar there is no value: NaN. In bounded
        # memory mode, bars that were dropped are an error.
        tl = self._tl
        if tl.count > tl.idx + 1 and tl.count + ago > 0:
            raise IndexError(
                f'bar {ago} is no longer kept: memory-saving mode (exactbars) '
                f'keeps the last {tl.idx + 1} bars of this line')
        return NAN

    def __setitem__(self, ago: int, value: float) -> None:
        try:
            self._arr[self._tl.idx + ago] = value
        except ValueError:
            if self._arr.flags.writeable:
                raise
            self._own()
            self._arr[self._tl.idx + ago] = value

    def _own(self) -> None:
        """Copy adopted read-only storage before the first write."""
        self._arr = np.array(self._arr, dtype=np.float64)  # contiguous, writable
        self._mv = memoryview(self._arr)

    def set(self, value: float, ago: int = 0) -> None:
        self._arr[self._tl.idx + ago] = value

    def get(self, ago: int = 0, size: int = 1) -> _array.array:
        """The ``size`` values ending ``ago`` bars back, oldest first."""
        end = self._tl.idx + ago + 1
        start = end - size
        out = _array.array('d')
        if start >= 0:
            out.frombytes(self._arr[start:end].tobytes())
        return out

    def getzeroval(self, idx: int = 0) -> float:
        """The value in slot ``idx`` counted from the start of the buffer."""
        return self._arr[idx]

    def getzero(self, idx: int = 0, size: int = 1) -> _array.array:
        """``size`` values from slot ``idx`` counted from the start of the buffer."""
        out = _array.array('d')
        out.frombytes(self._arr[idx:min(idx + size, self._tl.end)].tobytes())
        return out

    def plot(self, idx: int = 0, size: int | None = None) -> _array.array:
        """Values from slot ``idx`` on (all bars seen by default)."""
        return self.getzero(idx, size or len(self))

    def plotrange(self, start: int, end: int) -> np.ndarray:
        return self.array[start:end]

    def getindicators(self) -> list:
        """A line has no sub-indicators (the LineIterator method, for uniform code)."""
        return []

    # buffer modes, as backtrader names them; ``mode`` reports which applies
    UnBounded, QBuffer = 0, 1

    @property
    def mode(self) -> int:
        return self.QBuffer if self._tl.keep else self.UnBounded

    def get_idx(self) -> int:
        return self._tl.idx

    def set_idx(self, idx: int, force: bool = False) -> None:
        self._tl.idx = idx

    def __len__(self) -> int:
        return self._tl.count

    def buflen(self) -> int:
        return self._tl.end - self._tl.ext

    def __iter__(self):
        return iter(self.array.tolist())

    # -- moving (these move every line on the same timeline) ----------------
    def forward(self, value: float = NAN, size: int = 1) -> None:
        self._tl.forward(size)

    def backwards(self, size: int = 1, force: bool = False) -> None:
        self._tl.backwards(size)

    def advance(self, size: int = 1) -> None:
        self._tl.advance(size)

    def rewind(self, size: int = 1) -> None:
        self._tl.rewind(size)

    def home(self) -> None:
        self._tl.home()

    def extend(self, value: float = NAN, size: int = 0) -> None:
        self._tl.extend(size)

    def reset(self) -> None:
        self._tl.reset()

    def qbuffer(self, savemem: int = 0, extrasize: int = 0) -> None:
        self._tl.keep = max(self._tl.keep, self._minperiod + extrasize, 1)

    def minbuffer(self, size: int) -> None:
        if self._tl.keep:
            self._tl.keep = max(self._tl.keep, size)

    def addbinding(self, binding: 'LineBuffer') -> None:
        self.bindings.append(binding)
        binding.updateminperiod(self._minperiod)

    bind2line = bind2lines = addbinding

    def oncebinding(self) -> None:
        for b in self.bindings:
            b._arr[:self._tl.end] = self._arr[:self._tl.end]

    # -- datetime helpers (meaningful on a feed's datetime line) ------------
    def datetime(self, ago: int = 0, tz: Any = None, naive: bool = True):
        return num2date(self[ago], tz=tz or self._tz, naive=naive)

    def date(self, ago: int = 0, tz: Any = None, naive: bool = True):
        return num2date(self[ago], tz=tz or self._tz, naive=naive).date()

    def time(self, ago: int = 0, tz: Any = None, naive: bool = True):
        return num2date(self[ago], tz=tz or self._tz, naive=naive).time()

    def dt(self, ago: int = 0) -> int:
        """The day part of the datetime number (an int)."""
        return math.trunc(self[ago])

    def tm_raw(self, ago: int = 0) -> float:
        """The fraction-of-day part of the datetime number, as stored."""
        return math.modf(self[ago])[0]

    def tm(self, ago: int = 0) -> float:
        """The time of day as a number, rounded through a ``datetime.time``
        (so it compares equal to ``time2num`` of the same time)."""
        return time2num(num2date(self[ago]).time())

    # time-of-day comparisons: ``other`` (a fraction of a day) is placed on
    # the bar's day before comparing, which avoids rounding in the fraction
    def tm_lt(self, other: float, ago: int = 0) -> bool:
        v = self[ago]
        return v < math.trunc(v) + other

    def tm_le(self, other: float, ago: int = 0) -> bool:
        v = self[ago]
        return v <= math.trunc(v) + other

    def tm_eq(self, other: float, ago: int = 0) -> bool:
        v = self[ago]
        return v == math.trunc(v) + other

    def tm_gt(self, other: float, ago: int = 0) -> bool:
        v = self[ago]
        return v > math.trunc(v) + other

    def tm_ge(self, other: float, ago: int = 0) -> bool:
        v = self[ago]
        return v >= math.trunc(v) + other

    def tm2dtime(self, tm: float, ago: int = 0) -> float:
        """Time-of-day number ``tm`` on the day of the bar ``ago``."""
        return int(self[ago]) + tm

    def tm2datetime(self, tm: float, ago: int = 0):
        return num2date(int(self[ago]) + tm)

    def _settz(self, tz: Any) -> None:
        self._tz = tz

    # -- delays and coupling ------------------------------------------------
    def __call__(self, ago: int | None = None, line: int = -1):
        """``line(-n)``: this line n bars ago; ``line(+n)``: n bars ahead."""
        if ago is None or isinstance(ago, LineRoot):
            return self._LinesCoupler(self, ago)
        if ago > 0:
            return LineForward(self, ago)
        return LineDelay(self, ago)

    def _line0(self):
        return self

    def __repr__(self):
        return f'<{type(self).__name__} len={len(self)}>'


_current_owner = current_owner  # the object being built in this thread/task


def _operand_array(x: Any, start: int, end: int):
    """Values of an operand over [start, end): an array slice or a constant."""
    if isinstance(x, LineBuffer):
        a = x._arr[start:end]
        if len(a) < end - start:  # a shorter line (other timeline): pad
            a = np.concatenate([a, np.full(end - start - len(a), NAN)])
        return a
    if isinstance(x, LineRoot):
        return np.array([x[i - x._tl.idx] for i in range(start, end)])
    return x


def _safe(op):
    """A scalar version of ``op`` that gives NumPy's inf/nan instead of raising.

    Vectorised (runonce) and bar-by-bar runs must agree, and NumPy does not
    raise on a division by zero.
    """
    if op not in (operator.truediv, operator.floordiv, operator.mod,
                  operator.pow):
        return op

    def safe(a, b):
        try:
            out = op(a, b)
        except (ZeroDivisionError, OverflowError, ValueError):
            with np.errstate(all='ignore'):
                return float(op(np.float64(a), np.float64(b)))
        if isinstance(out, complex):
            return NAN
        return out
    return safe


class LineActions(LineBuffer):
    """A line computed from other lines; its owner runs it every bar.

    Subclasses define ``next`` (one bar) and ``once(start, end)`` (a range,
    vectorised). Values before the min period stay NaN.
    """

    _ltype = LineRoot.IndType

    def _setup(self, *operands: Any) -> None:
        ops = [o._line0() if isinstance(o, LineMultiple) else o for o in operands]
        lines = [o for o in ops if isinstance(o, LineRoot)]
        self._clock = lines[0] if lines else None
        LineBuffer.__init__(self, lines[0]._tl if lines else None)
        self._minperiod = max([o._minperiod for o in lines] or [1])
        self._datas = lines
        self._owner = _current_owner()
        if self._owner is not None:
            self._owner.addindicator(self)
        return ops

    @staticmethod
    def arrayize(obj: Any) -> Any:
        """A line-like view of ``obj``: a line as is, a line series' first
        line, anything else wrapped (indexable like a line's array)."""
        if isinstance(obj, LineRoot):
            return obj._line0() if isinstance(obj, LineMultiple) else obj
        return PseudoArray(obj)

    def size(self) -> int:
        return 1

    def _next(self) -> None:
        n = self._tl.count
        if n > self._minperiod:
            self.next()
        elif n == self._minperiod:
            self.nextstart()
        else:
            self.prenext()

    def _once(self) -> None:
        mp = self._minperiod
        end = self._tl.end
        self.preonce(0, mp - 1)
        self.oncestart(mp - 1, mp)
        self.once(mp, end)
        self.oncebinding()

    def _stage2(self) -> None:
        self._opstage = 2

    def _stage1(self) -> None:
        self._opstage = 1


class LinesOperation(LineActions):
    """``a op b`` for two lines or a line and a number."""

    def __init__(self, a: Any, b: Any, op, r: bool = False) -> None:
        self.a, self.b = self._setup(a, b)
        self.operation = op
        self.r = r
        self._op = _safe(op)

    def next(self) -> None:
        a, b = self.a, self.b
        av = a[0] if isinstance(a, LineRoot) else a
        bv = b[0] if isinstance(b, LineRoot) else b
        self[0] = self._op(bv, av) if self.r else self._op(av, bv)

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        av = _operand_array(self.a, start, end)
        bv = _operand_array(self.b, start, end)
        if self.r:
            av, bv = bv, av
        if self.operation is operator.pow:
            # NumPy's power is not the C library's pow (last-bit differences):
            # compute each value exactly as the bar-by-bar path does
            n = end - start
            xs = av.tolist() if isinstance(av, np.ndarray) else [av] * n
            ys = bv.tolist() if isinstance(bv, np.ndarray) else [bv] * n
            self._arr[start:end] = [self._op(x, y) for x, y in zip(xs, ys)]
            return
        with np.errstate(all='ignore'):
            self._arr[start:end] = self.operation(av, bv)


class LineOwnOperation(LineActions):
    """``op(a)`` for one line (abs, neg, ...)."""

    def __init__(self, a: Any, op) -> None:
        (self.a,) = self._setup(a)
        self.operation = op

    def next(self) -> None:
        self[0] = self.operation(self.a[0])

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        if end > start:
            with np.errstate(all='ignore'):
                self._arr[start:end] = self.operation(
                    _operand_array(self.a, start, end))


class LineDelay(LineActions):
    """``line(-n)``: the line as it was ``n`` bars ago."""

    def __init__(self, a: Any, ago: int) -> None:
        (self.a,) = self._setup(a)
        self.ago = ago
        self._minperiod += -ago

    def next(self) -> None:
        self[0] = self.a[self.ago]

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        if end > start:
            ago = self.ago
            src = _operand_array(self.a, start + ago, end + ago)
            self._arr[start:end] = src


class LineForward(LineActions):
    """``line(+n)``: each bar shows the source's value ``n`` bars later.

    That value is only known once the later bar is seen, so it is written
    ``n`` bars back; the last ``n`` bars stay NaN.
    """

    def __init__(self, a: Any, ago: int) -> None:
        (self.a,) = self._setup(a)
        self.ago = ago
        if ago > self.a._minperiod:
            self._minperiod += ago - self.a._minperiod

    def next(self) -> None:
        self[-self.ago] = self.a[0]

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        if end > start:
            ago = self.ago
            lo = max(start - ago, 0)
            self._arr[lo:end - ago] = self.a._arr[lo + ago:end]


class LineNum(LineSingle):
    """A constant seen as a line."""

    def __init__(self, num: float) -> None:
        self.num = float(num)

    def __getitem__(self, ago: int) -> float:
        return self.num

    def __len__(self) -> int:
        return 0

    def get(self, ago: int = 0, size: int = 1):
        return _array.array('d', [self.num] * size)

    def _line0(self):
        return self


class PseudoArray:
    """A constant indexed like a line's array: every index gives the value."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def __getitem__(self, key):
        return self.wrapped

    @property
    def array(self):
        return self

# Operators on any line (lineroot.py, a module below) build these
LineRoot._LinesOperation = LinesOperation
LineRoot._LineOwnOperation = LineOwnOperation

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaLineActions = type(LineActions)
