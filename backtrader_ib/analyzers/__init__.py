"""Analyzers (``bt.analyzers``)."""
from ..analyzer import Analyzer, TimeFrameAnalyzerBase
from .annualreturn import AnnualReturn
from .calmar import Calmar
from .drawdown import DrawDown, TimeDrawDown
from .leverage import GrossLeverage
from .logreturnsrolling import LogReturnsRolling
from .periodstats import PeriodStats
from .positions import PositionsValue
from .pyfolio import PyFolio
from .returns import Returns
from .sharpe import SharpeRatio, SharpeRatio_A
from .sqn import SQN
from .timereturn import TimeReturn
from .tradeanalyzer import TradeAnalyzer
from .transactions import Transactions
from .vwr import VWR, VariabilityWeightedReturn

# backtrader's other spellings
SystemQualityNumber = SQN
