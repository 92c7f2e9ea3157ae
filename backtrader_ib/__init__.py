"""backtrader_ib: a fast, drop-in reimplementation of backtrader's API.

``import backtrader_ib as bt`` and run an existing backtrader strategy.
"""
import importlib as _importlib

from .version import __version__, version_info

from . import utils
from .utils import num2date, date2num, time2num, num2time, num2dt
from .utils.date import TIME_MAX, TIME_MIN, UTC, Localizer, tzparse
from .utils.autodict import AutoDict, AutoDictList, AutoOrderedDict, DotDict
from .utils import OrderedDict
from .utils.py3 import (MAXINT, cmp, filter, integer_types, iteritems, itervalues,
                        keys, map, range, string_types, with_metaclass, zip)

from . import metabase
from .metabase import MetaParams, ParamsBase, AutoInfoClass, ItemCollection, findowner
from .lineroot import LineRoot, LineSingle, LineMultiple
from .linebuffer import (LineBuffer, LineActions, LinesOperation, NAN,
                         LineOwnOperation, LineDelay, LineNum, PseudoArray)
from .lineseries import Lines, LineSeries, LineSeriesStub, LineSeriesMaker, LineAlias
from .lineiterator import (LineIterator, IndicatorBase, ObserverBase,
                           StrategyBase, DataAccessor, LineCoupler, LinesCoupler,
                           MultiCoupler, SingleCoupler)
from .dataseries import TimeFrame, DataSeries, OHLC, OHLCDateTime, SimpleFilterWrapper
from .functions import *  # noqa: F401,F403
from .order import (Order, BuyOrder, SellOrder, OrderBase, OrderData,
                    OrderExecutionBit, StopBuyOrder, StopSellOrder,
                    StopLimitBuyOrder, StopLimitSellOrder)
from .position import Position
from .trade import Trade, TradeHistory
from .comminfo import CommInfoBase, CommissionInfo
from .feed import AbstractDataBase, DataBase, FeedBase, DataClone
from . import resamplerfilter
from .resamplerfilter import *  # noqa: F401,F403  (Resampler*, Replayer*, DTFaker)
from .indicator import Indicator, LinePlotterIndicator
from .observer import Observer
from .analyzer import Analyzer, TimeFrameAnalyzerBase
from .sizer import Sizer, SizerBase
from .broker import BrokerBase
from .store import Store
from .strategy import Strategy, MetaStrategy
from .writer import WriterBase, WriterFile, WriterStringIO
from .cerebro import Cerebro, OptReturn
from .signal import *  # noqa: F401,F403

from . import feeds
from .feeds.csvbase import CSVDataBase, CSVFeedBase
from . import indicators
from . import indicators as ind
from . import observers
from . import observers as obs
from . import analyzers
from . import sizers
from . import brokers
from . import commissions
from . import commissions as comms
from . import stores
from . import filters
from . import flt
from .flt import Filter
from . import fillers as filler
from . import studies
from . import timer
from . import errors
from .errors import BacktraderError, StrategySkipError
from .brokers import BackBroker, BrokerBack
from .timer import Timer, SESSION_TIME, SESSION_START, SESSION_END
from . import tradingcal
from .tradingcal import TradingCalendarBase, TradingCalendar, PandasMarketCalendar
from .sizers import SizerFix
from . import signals
from . import strategies
from . import strategies as strats
from . import version

# backtrader exposes one metaclass per family; here one metaclass builds all
MetaLineRoot = MetaLineSeries = MetaLineIterator = MetaLineActions = MetaParams
MetaIndicator = MetaObserver = MetaAnalyzer = MetaTimeFrameAnalyzerBase = MetaParams
MetaBroker = MetaAbstractDataBase = MetaCSVDataBase = MetaSigStrategy = MetaParams
MtLinePlotterIndicator = MetaParams


def __getattr__(name: str):
    # bt.talib is imported on first use: loading TA-Lib costs ~10 MB; bt.plot
    # (matplotlib) and bt.btrun likewise
    if name in ('talib', 'plot', 'btrun'):
        return _importlib.import_module('.' + name, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
