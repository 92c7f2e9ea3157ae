"""Analyzers (``bt.analyzers``)."""
from ..analyzer import Analyzer, TimeFrameAnalyzerBase
from .sqn import SQN
from .timereturn import TimeReturn
