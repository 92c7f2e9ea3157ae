"""A VisualChart market code read from the data folder of the VChartFile store."""
from __future__ import annotations

import os

import numpy as np

from ..dataseries import TimeFrame
from ..feed import DataBase
from ..stores.vchartfile import VChartFile as VChartFileStore
from .vchart import read_vchart

__all__ = ('VChartFile', 'MetaVChartFile')


class MetaVChartFile(type(DataBase)):
    """Makes each new VChartFile class the store's data class (as backtrader)."""

    def __init__(cls, name, bases, dct):
        super().__init__(name, bases, dct)
        VChartFileStore.DataCls = cls


class VChartFile(DataBase, metaclass=MetaVChartFile):
    """``dataname`` is a market code as VisualChart shows it (``015ES``): the
    file is ``<store path>/0015/010015ES.fd`` (days and longer) or ``.min``
    (minutes). Daily bars are stamped at ``sessionend``. Seconds and ticks
    (VisualChart's ``.tck`` files) are not supported."""

    def start(self) -> None:
        super().start()
        if self.p.timeframe < TimeFrame.Minutes:
            raise ValueError(f'VChartFile {self.p.dataname}: timeframe '
                             f'{TimeFrame.getname(self.p.timeframe)} needs VisualChart tick '
                             'files (.tck), which are not supported: use Minutes or longer')
        if self._store is None:
            self._store = VChartFileStore()
        self._store.start(data=self)
        code = self.p.dataname
        ext = '.min' if self.p.timeframe < TimeFrame.Days else '.fd'
        self._vcpath = os.path.join(self._store.get_datapath(), '0' + code[0:3],
                                    '010' + code + ext)

    def _source_name(self) -> str:
        return getattr(self, '_vcpath', None) or str(self.p.dataname)

    def _loadarrays(self) -> dict:
        intraday = self.p.timeframe < TimeFrame.Days
        out = read_vchart(self._vcpath, intraday, self._vcpath,
                          None if intraday else self.p.sessionend)
        self._srcrows = np.arange(1, len(out['datetime']) + 1)  # record numbers
        return out
