"""backtrader's import path of :class:`OrderedDefaultdict` (it lives in
:mod:`backtrader_ib.utils.autodict`)."""
from .autodict import OrderedDefaultdict
from .py3 import iteritems

__all__ = ('OrderedDefaultdict', 'iteritems')
