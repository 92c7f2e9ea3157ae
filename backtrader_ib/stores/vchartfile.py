"""The store of VisualChart's binary data files: where they are on disk."""
from __future__ import annotations

import os
import sys

from ..store import Store

__all__ = ('VChartFile',)

_VC_KEY = r'SOFTWARE\VCG\Visual Chart 6\Config'
_VC_VALUE = 'DocsDirectory'
_VC_DATADIR = ('Realserver', 'Data', '01')


class VChartFile(Store):
    """Params: ``path``, the folder holding VisualChart's market folders
    (``<path>/0015/010015ES.fd``). Without it, on Windows, VisualChart 6's
    registry entry gives the folder; elsewhere ``path`` is required."""

    params = (('path', None),)

    def __init__(self) -> None:
        super().__init__()
        self._path = self.p.path if self.p.path is not None else self._find_vchart()

    @staticmethod
    def _find_vchart() -> str:
        """VisualChart's data folder from the Windows registry."""
        if sys.platform != 'win32':
            raise ValueError('VChartFile: give path= (the folder of the VisualChart data '
                             'files); without it the folder is looked up in the Windows '
                             'registry, and this is not Windows')
        import winreg
        for root in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):
            try:
                with winreg.OpenKey(root, _VC_KEY) as key:
                    docs, _ = winreg.QueryValueEx(key, _VC_VALUE)
            except OSError:
                continue
            return os.path.join(docs, *_VC_DATADIR)
        raise ValueError(f'VChartFile: VisualChart 6 is not installed (no registry key '
                         f'{_VC_KEY}); give path= (the folder of its data files)')

    def get_datapath(self) -> str:
        return self._path
