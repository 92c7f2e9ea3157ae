"""Objects made of named lines: the ``lines`` declaration and its container.

A class declares ``lines = ('a', 'b')``; subclasses append their own names.
At class level ``Cls.lines`` is a :class:`Lines` subclass describing the
names; on an instance ``self.lines`` holds one :class:`LineBuffer` per name,
reachable by index (``self.lines[0]``) or name (``self.lines.a``, and as a
shortcut ``self.a``). Assigning a line expression to a line name inside
``__init__`` binds it: the declared line then carries the expression's values.
"""
from __future__ import annotations

import sys
from typing import Any

from .linebuffer import LineBuffer, LineNum, Timeline
from .lineroot import LineMultiple, LineRoot, LineSingle
from .metabase import AutoInfoClass, ParamsBase, _pairs_of, merge_info

__all__ = ('Lines', 'LineSeries', 'LineSeriesStub', 'LineSeriesMaker',
           'LineAlias')


class Lines:
    """The container of an object's lines (one class per declaring class)."""

    _lines: tuple = ()
    _owner: Any                 # set in __init__ (object.__setattr__)
    _buffers: list[LineBuffer]

    @classmethod
    def _getlines(cls) -> tuple:
        return cls._lines

    @classmethod
    def getlinealiases(cls) -> tuple:
        return cls._lines

    @classmethod
    def _getlinealias(cls, i: int) -> str:
        try:
            return cls._lines[i]
        except IndexError:
            return ''

    @classmethod
    def _getlinesextra(cls) -> int:
        return 0

    @classmethod
    def _getlinesbase(cls) -> tuple:
        return cls._lines

    @classmethod
    def _derive(cls, name: str, lines: tuple, extralines: int = 0,
                otherbases: tuple = (), linesoverride: bool = False,
                lalias: Any = None) -> type:
        names = () if linesoverride else cls._lines
        for base in otherbases:
            names += tuple(n for n in base._getlines() if n not in names)
        names += tuple(n for n in lines if n not in names)
        return type(f'Lines_{name}', (Lines,), {'_lines': names})

    def __init__(self, timeline: Timeline, owner: Any = None) -> None:
        object.__setattr__(self, '_owner', owner)
        bufs = [LineBuffer(timeline) for _ in self._lines]
        object.__setattr__(self, '_buffers', bufs)
        for name, buf in zip(self._lines, bufs):
            object.__setattr__(self, name, buf)

    def __getitem__(self, i):
        return self._buffers[i]

    def __setitem__(self, i, value) -> None:
        self._bind(self._buffers[i], value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._lines:
            self._bind(getattr(self, name), value)
        else:
            object.__setattr__(self, name, value)

    def _bind(self, target: LineBuffer, value: Any) -> None:
        """``self.lines.x = expr``: ``x`` carries ``expr``'s values."""
        if isinstance(value, LineMultiple):
            value = value.lines[0]
        elif not isinstance(value, LineRoot):
            value = LineNum(value)
        if value is target:
            return
        owner = self._owner
        if owner is not None and hasattr(owner, '_addbinding'):
            owner._addbinding(value, target)
        target.updateminperiod(value._minperiod)

    def __len__(self) -> int:
        return len(self._buffers)

    def __iter__(self):
        return iter(self._buffers)

    def size(self) -> int:
        return len(self._buffers)

    def fullsize(self) -> int:
        return len(self._buffers)

    def extrasize(self) -> int:
        return 0

    def itersize(self):
        return iter(self._buffers)

    def get(self, ago: int = 0, size: int = 1, line: int = 0):
        return self._buffers[line].get(ago, size)

    # moving delegates to the timeline of the lines
    def _tl(self) -> Timeline | None:
        return self._buffers[0]._tl if self._buffers else None

    def forward(self, value=float('nan'), size: int = 1) -> None:
        if self._buffers:
            self._buffers[0]._tl.forward(size)

    def backwards(self, size: int = 1, force: bool = False) -> None:
        if self._buffers:
            self._buffers[0]._tl.backwards(size)

    def rewind(self, size: int = 1) -> None:
        if self._buffers:
            self._buffers[0]._tl.rewind(size)

    def advance(self, size: int = 1) -> None:
        if self._buffers:
            self._buffers[0]._tl.advance(size)

    def extend(self, value=float('nan'), size: int = 0) -> None:
        if self._buffers:
            self._buffers[0]._tl.extend(size)

    def home(self) -> None:
        if self._buffers:
            self._buffers[0]._tl.home()

    def reset(self) -> None:
        if self._buffers:
            self._buffers[0]._tl.reset()

    def buflen(self, line: int = 0) -> int:
        return self._buffers[line].buflen()

    def __repr__(self):
        return f'<Lines {self._lines}>'


class LineAlias:
    """Descriptor giving a line a second name (``linealias``)."""

    def __init__(self, index: int) -> None:
        self.index = index

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        return obj.lines[self.index]

    def __set__(self, obj, value) -> None:
        obj.lines[self.index] = value


_PLOTINFO_BASE = dict(plot=True, plotmaster=None, legendloc=None)


_LINE_ATTRS = frozenset(('array', 'idx', 'bindings', 'lencount'))


class LineSeries(LineMultiple, ParamsBase):
    """An object made of named lines (data feeds, indicators, strategies)."""

    lines: Any = Lines
    alias: Any = ()     # names of subclasses to create (``alias = ('SMA',)``)
    aliased = ''
    plotinfo: Any = dict(plot=True, plotmaster=None, legendloc=None)
    plotlines: Any = dict()
    csv = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        decl = cls.__dict__.get('lines')
        newlines: tuple = ()  # the lines this class declares itself
        if decl is None or not (isinstance(decl, type) and issubclass(decl, Lines)):
            # the first base's lines, then the other bases', then our own;
            # ``linesoverride = True`` (not inherited): only our own
            names: tuple = ()
            bases = () if cls.__dict__.get('linesoverride') else cls.__bases__
            for base in bases:
                blines = getattr(base, 'lines', None)
                if isinstance(blines, type) and issubclass(blines, Lines):
                    names += tuple(n for n in blines._lines if n not in names)
            if isinstance(decl, str):
                decl = (decl,)
            newlines = tuple(decl or ())
            names += tuple(n for n in newlines if n not in names)
            cls.lines = type(f'Lines_{cls.__name__}', (Lines,), {'_lines': names})
        cls.plotinfo = merge_info(cls, 'plotinfo')
        if newlines:
            # every declared line has a plotlines entry, empty if not given
            # (``ind.plotlines.rsi.color = 'red'`` works, as in backtrader)
            own = _pairs_of(cls.__dict__.get('plotlines'))
            for name in newlines:
                own.setdefault(name, {})
            cls.plotlines = own
        cls.plotlines = merge_info(cls, 'plotlines', nested=True)
        for i, spec in enumerate(cls.__dict__.get('linealias', ()) or ()):
            # ('name', 'alias') pairs or plain aliases of successive lines
            if isinstance(spec, str):
                setattr(cls, spec, LineAlias(i))
            else:
                setattr(cls, spec[1], LineAlias(cls.lines._lines.index(spec[0])))
        # Each alias is a subclass named after it (so class names in writer
        # output and plots read as the user wrote them), placed in the module.
        module = sys.modules.get(cls.__module__)
        for alias in cls.__dict__.get('alias', ()) or ():
            attrs = {'__doc__': cls.__doc__, '__module__': cls.__module__,
                     'aliased': cls.__name__, 'alias': ()}
            if not isinstance(alias, str):
                alias, plotname = alias[0], alias[1]
                attrs['plotinfo'] = dict(plotname=plotname)
            newcls = type(alias, (cls,), attrs)
            if module is not None:
                setattr(module, alias, newcls)

    # -- construction ----------------------------------------------------
    def _preinit(self, args, kwargs):
        args, kwargs = super()._preinit(args, kwargs)
        info = self.plotinfo()
        if kwargs:
            pairs = info._pairs
            rest = {}
            for key, value in kwargs.items():
                if key in pairs or key.startswith('plot') or key == 'subplot':
                    setattr(info, key, value)
                else:
                    rest[key] = value
            kwargs = rest
        self.plotinfo = info
        self.plotlines = type(self).plotlines()
        # each line's entry per instance: a style set on one indicator stays on it
        for key, value in self.plotlines._pairs.items():
            if isinstance(value, type) and issubclass(value, AutoInfoClass):
                setattr(self.plotlines, key, value())
        return args, kwargs

    def _makelines(self, timeline: Timeline) -> None:
        """Create this object's lines on ``timeline``."""
        self._tl = timeline
        lines = self._linescls()(timeline, self)
        self.lines = self.l = lines
        d = self.__dict__
        for name, buf in zip(lines._lines, lines._buffers):
            if name not in d:
                d[name] = buf
        if lines._buffers:
            self.line = lines._buffers[0]

    def _linescls(self) -> type:
        """The Lines class of this instance (per-instance for dynamic lines)."""
        return type(self).lines

    # -- access ----------------------------------------------------------
    def __getattr__(self, name: str):
        # Only reached when normal lookup fails: line shortcuts, then what
        # the first line offers (``array``), as backtrader resolves them.
        lines = self.__dict__.get('lines')
        if lines is not None and not name.startswith('__'):
            if name.startswith('line') and name[4:].lstrip('_').isdigit():
                return lines[int(name[4:].lstrip('_'))]
            if name in _LINE_ATTRS and len(lines):
                return getattr(lines[0], name)
        raise AttributeError(f'{type(self).__name__!r} object has no attribute {name!r}')

    def __getitem__(self, ago: int) -> float:
        return self.line[ago]

    def __setitem__(self, key: int, value: Any) -> None:
        self.lines[key] = value

    def __len__(self) -> int:
        return self._tl.count

    def size(self) -> int:
        return len(self.lines)

    def fullsize(self) -> int:
        return len(self.lines)

    def extrasize(self) -> int:
        return 0

    def buflen(self) -> int:
        return self._tl.end - self._tl.ext

    def getlinealiases(self) -> tuple:
        return self.lines.getlinealiases()

    def _getlinealias(self, i: int) -> str:
        return self.lines._getlinealias(i)

    getlinealias = _getlinealias

    def get(self, ago: int = 0, size: int = 1, line: int = 0):
        return self.lines[line].get(ago, size)

    def _line0(self):
        return self.lines[0]

    def _getline(self, line: int | str, minusall: bool = False):
        """A line by index or name; ``-1`` is the first line (or None, meaning
        all lines, with ``minusall``)."""
        if isinstance(line, str):
            return getattr(self.lines, line)
        if line == -1:
            if minusall:
                return None
            line = 0
        return self.lines[line]

    def __call__(self, ago: int | None = None, line: int = -1):
        """``obj(-n)``: the first line (or line ``line``) delayed by ``n``
        bars; ``obj()``: coupled to the clock of the object being built."""
        if ago is None or isinstance(ago, LineRoot):
            if line != -1:
                return self._LinesCoupler(self.lines[line] if isinstance(line, int)
                                          else getattr(self.lines, line), ago)
            return self._LinesCoupler(self, ago)
        return self.lines[0 if line == -1 else line](ago)

    def _plotlabel(self) -> str:
        label = self.plotinfo.plotname or type(self).__name__
        vals = self._plotlabel_values()
        return f'{label} ({", ".join(map(str, vals))})' if vals else label

    def _plotlabel_values(self) -> list:
        return [v for v in self.params._getvalues()
                if isinstance(v, (int, float, str)) and not isinstance(v, bool)]

    def plotlabel(self) -> str:
        return self._plotlabel()

    # moving: only the owner of a timeline moves it
    def forward(self, value=float('nan'), size: int = 1) -> None:
        self._tl.forward(size)

    def backwards(self, size: int = 1, force: bool = False) -> None:
        self._tl.backwards(size)

    def rewind(self, size: int = 1) -> None:
        self._tl.rewind(size)

    def advance(self, size: int = 1) -> None:
        self._tl.advance(size)

    def extend(self, value=float('nan'), size: int = 0) -> None:
        self._tl.extend(size)

    def home(self) -> None:
        self._tl.home()

    def reset(self) -> None:
        self._tl.reset()


class LineSeriesStub(LineSeries):
    """A single line dressed as a line series (an indicator's input)."""

    def __init__(self, line: LineSingle, slave: bool = False) -> None:
        self._tl = getattr(line, '_tl', None)  # type: ignore[assignment]  # none for a constant
        self.lines = self.l = _StubLines(line)
        self.line = line
        self.owner = self._owner = getattr(line, '_owner', None)
        self._minperiod = line._minperiod
        self._stub_line = line

    def _preinit(self, args, kwargs):
        self.params = self.p = self.__class__.params()
        self.plotinfo = self.__class__.plotinfo()
        return args, kwargs

    def __len__(self) -> int:
        return len(self._stub_line)

    @property
    def _name(self):
        return getattr(self._stub_line, '_name', '')

    def forward(self, value=float('nan'), size=1):
        pass

    def backwards(self, size=1, force=False):
        pass

    def rewind(self, size=1):
        pass

    def extend(self, value=float('nan'), size=0):
        pass

    def reset(self):
        pass

    def home(self):
        pass

    def advance(self, size=1):
        pass


class _StubLines:
    def __init__(self, line):
        self._buffers = [line]

    def __getitem__(self, i):
        return self._buffers[i]

    def __len__(self):
        return 1

    def __iter__(self):
        return iter(self._buffers)

    def _getlinealias(self, i):
        return ''

    def getlinealiases(self):
        return ()


def LineSeriesMaker(arg: Any, slave: bool = False) -> LineSeries:
    """A line series for ``arg``: itself if it is one, else a stub around it."""
    if isinstance(arg, LineSeries):
        return arg
    return LineSeriesStub(arg, slave=slave)

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaLineSeries = type(LineSeries)
