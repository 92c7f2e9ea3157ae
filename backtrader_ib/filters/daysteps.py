"""BarReplayer_Open (DayStepsFilter): each bar arrives in two steps."""
from __future__ import annotations

__all__ = ('BarReplayer_Open', 'DayStepsFilter')


class BarReplayer_Open:
    """Delivers each bar first as its open (O=H=L=C, no volume), then, as a
    replayed update of that same bar, complete: a strategy can act on the
    open before the bar's other prices are known."""

    def __init__(self, data):
        self.pending = None  # the complete bar whose open was delivered
        data.resampling = 1
        data.replaying = True

    def __call__(self, data) -> bool:
        bar = [line[0] for line in data.lines]
        data.backwards()
        openbar = bar[:]
        for i in (data.High, data.Low, data.Close):
            openbar[i] = bar[data.Open]
        openbar[data.Volume] = openbar[data.OpenInterest] = 0.0
        taken = self.pending is None
        if not taken:
            # the delivered open bar becomes the complete previous bar
            data._updatebar(self.pending)
        self.pending = bar
        data._add2stack(openbar)
        return taken

    def last(self, data) -> bool:
        """The source ended: complete the last bar."""
        if self.pending is None:
            return False
        data.backwards()
        data._add2stack(self.pending)
        self.pending = None
        return True


DayStepsFilter = BarReplayer_Open
