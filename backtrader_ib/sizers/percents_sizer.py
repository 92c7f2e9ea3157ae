"""Sizers taking a percentage of the available cash."""
from ..sizer import Sizer

__all__ = ('PercentSizer', 'AllInSizer', 'PercentSizerInt', 'AllInSizerInt')


class PercentSizer(Sizer):
    """A percentage of the cash at the close; the open size when in a position."""

    params = (('percents', 20), ('retint', False))

    def _getsizing(self, comminfo, cash, data, isbuy):
        position = self.broker.getposition(data)
        if not position:
            size = cash / data.close[0] * (self.p.percents / 100)
        else:
            size = position.size
        if self.p.retint:
            size = int(size)
        return size


class AllInSizer(PercentSizer):
    params = (('percents', 100),)


class PercentSizerInt(PercentSizer):
    params = (('retint', True),)


class AllInSizerInt(PercentSizerInt):
    params = (('percents', 100),)
