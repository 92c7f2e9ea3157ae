"""Classes backtrader has and backtrader_ib keeps only by name.

Programs name them (in format tables, isinstance checks) without using
them; building one raises :class:`~backtrader_ib.errors.UnsupportedError`
saying why. docs/differences.md lists them.
"""
from __future__ import annotations

from .errors import UnsupportedError

__all__ = ('Unsupported',)


class Unsupported:
    """Mixin (first base): creating an instance raises ``UnsupportedError(_why)``."""

    _why = ''

    def __new__(cls, *args, **kwargs):
        raise UnsupportedError(f'{cls.__name__}: {cls._why}')
