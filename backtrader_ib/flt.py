"""``bt.flt``: backtrader's home of the :class:`Filter` base class.

The class lives in :mod:`backtrader_ib.filters.base`; this module is its
backtrader import path (``from backtrader.flt import Filter``).
"""
from .filters.base import Filter
from .metabase import MetaParams

__all__ = ('Filter', 'MetaFilter')

# backtrader builds Filter with its own metaclass; here every params class
# has one metaclass
MetaFilter = MetaParams
