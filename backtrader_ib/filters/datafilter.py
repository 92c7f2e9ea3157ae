"""DataFilter: a data feed with the bars of another feed that a function keeps."""
from __future__ import annotations

from ..feed import AbstractDataBase

__all__ = ('DataFilter', 'DerivedFeed')


class DerivedFeed(AbstractDataBase):
    """A feed computed from another feed (``dataname``), which it reads on its
    own: that feed must not be added to Cerebro too."""

    def __init__(self):
        src = self.p.dataname
        if not isinstance(src, AbstractDataBase):
            raise ValueError(f'{type(self).__name__}: dataname must be a data feed, '
                             f'got {src!r}')
        self.src = src
        self._name = self._name or src._name
        self.p.timeframe = self._timeframe = src._timeframe
        self.p.compression = self._compression = src._compression
        self.p.sessionstart, self.p.sessionend = src.p.sessionstart, src.p.sessionend

    def start(self) -> None:
        super().start()
        src = self.src
        env = self._env
        if env is not None and any(d is src for d in env.datas):
            raise ValueError(f'{type(self).__name__}: its source {src!r} is added to '
                             'Cerebro too; add only the derived feed (or give it a '
                             'separate copy of the source)')
        src._start()
        src.preload()  # with the source's own filters and date range applied
        self.p.timeframe = self._timeframe = src._timeframe
        self.p.compression = self._compression = src._compression

    def _gettz(self):
        return self.src._tz if self.p.tz is None else super()._gettz()

    def _gettzinput(self):
        return None  # the source converted its input already

    def _copy(self) -> bool:
        for mine, theirs in zip(self.lines, self.src.lines):
            mine[0] = theirs[0]
        return True


class DataFilter(DerivedFeed):
    """The bars of ``dataname`` for which ``funcfilter(source)`` is true
    (the function sees the source positioned on the bar)."""

    params = (('funcfilter', None),)

    def __init__(self):
        super().__init__()
        if not callable(self.p.funcfilter):
            raise ValueError(f'DataFilter: funcfilter must be a function of the source, '
                             f'got {self.p.funcfilter!r}')

    def _load(self) -> bool:
        src, keep = self.src, self.p.funcfilter
        while src.next():
            if keep(src):
                return self._copy()
        return False
