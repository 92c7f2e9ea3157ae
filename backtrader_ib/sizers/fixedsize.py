"""Sizers of a fixed stake."""
from ..sizer import Sizer

__all__ = ('FixedSize', 'SizerFix', 'FixedReverser', 'FixedSizeTarget')


class FixedSize(Sizer):
    """A fixed stake (split into ``tranches`` if more than one)."""

    params = (('stake', 1), ('tranches', 1))

    def _getsizing(self, comminfo, cash, data, isbuy):
        if self.p.tranches > 1:
            return abs(int(self.p.stake / self.p.tranches))
        return self.p.stake

    def setsizing(self, stake) -> None:
        if self.p.tranches > 1:
            self.p.stake = abs(int(self.p.stake / self.p.tranches))
        else:
            self.p.stake = stake


SizerFix = FixedSize


class FixedReverser(Sizer):
    """The stake, doubled when a position is open (to reverse it)."""

    params = (('stake', 1),)

    def _getsizing(self, comminfo, cash, data, isbuy):
        position = self.strategy.getposition(data)
        return self.p.stake * (1 + (position.size != 0))


class FixedSizeTarget(Sizer):
    """A fixed stake in tranches, capped so the position never exceeds the stake."""

    params = (('stake', 1), ('tranches', 1))

    def _getsizing(self, comminfo, cash, data, isbuy):
        if self.p.tranches > 1:
            size = abs(int(self.p.stake / self.p.tranches))
            return min((self.strategy.position.size + size), self.p.stake)
        return self.p.stake

    def setsizing(self, stake) -> None:
        if self.p.tranches > 1:
            size = abs(int(self.p.stake / self.p.tranches))
            self.p.stake = min((self.strategy.position.size + size), self.p.stake)
        else:
            self.p.stake = stake
