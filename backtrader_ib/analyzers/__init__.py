"""Analyzers (``bt.analyzers``)."""
from ..analyzer import Analyzer, TimeFrameAnalyzerBase
from .sqn import SQN, SystemQualityNumber
from .timereturn import TimeReturn
