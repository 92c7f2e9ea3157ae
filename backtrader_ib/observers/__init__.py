"""Observers (``bt.observers``, ``bt.obs``)."""
from ..observer import Observer
from .benchmark import Benchmark
from .broker import Broker, Cash, CashValue, FundShares, FundValue, Value
from .buysell import BuySell
from .drawdown import DrawDown, DrawDown_Old, DrawDownLength
from .logreturns import LogReturns, LogReturns2
from .timereturn import TimeReturn
from .trades import DataTrades, MetaDataTrades, Trades

# backtrader's other spellings
FundShareValue = FundVal = FundValue
