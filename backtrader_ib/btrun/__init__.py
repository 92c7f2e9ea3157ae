"""backtrader's ``btrun`` command line (``backtrader-ib run``)."""
from .btrun import btrun, parse_args

__all__ = ('btrun', 'parse_args')
