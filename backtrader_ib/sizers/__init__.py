"""Sizers (``bt.sizers``)."""
from ..sizer import Sizer, SizerBase
from .fixedsize import FixedReverser, FixedSize, FixedSizeTarget, SizerFix
from .percents_sizer import AllInSizer, AllInSizerInt, PercentSizer, PercentSizerInt

__all__ = ('FixedSize', 'SizerFix', 'FixedReverser', 'FixedSizeTarget',
           'PercentSizer', 'AllInSizer', 'PercentSizerInt', 'AllInSizerInt')
