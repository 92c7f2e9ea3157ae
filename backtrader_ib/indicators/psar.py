"""Parabolic stop and reverse (Welles Wilder)."""
from __future__ import annotations

import numpy as np

from .basicops import PeriodN

__all__ = ['ParabolicSAR', 'PSAR']


class _SarStatus:
    """Trend state: sar, trend (True = up), acceleration, extreme point."""

    sar = None
    tr = None
    af = 0.0
    ep = 0.0

    def __str__(self) -> str:
        return f'sar: {self.sar}\ntr: {self.tr}\naf: {self.af}\nep: {self.ep}'


class ParabolicSAR(PeriodN):
    """The SAR trails the price, accelerating by ``af`` (up to ``afmax``) each
    time the trend makes a new extreme; a price crossing it reverses the trend.

    Two states alternate by bar parity, as in backtrader, so the value of a
    bar is the one computed on the bar before.
    """

    alias = ('PSAR',)
    lines = ('psar',)
    params = (('period', 2), ('af', 0.02), ('afmax', 0.2))
    plotinfo = dict(subplot=False)
    plotlines = dict(psar=dict(marker='.', markersize=4.0, color='black',
                               fillstyle='full', ls=''))

    # -- bar by bar --------------------------------------------------------
    def prenext(self) -> None:
        if len(self) == 1:
            self._status = []
            return
        elif len(self) == 2:
            self.nextstart()
        else:
            self.next()
        self.lines.psar[0] = float('nan')

    def nextstart(self) -> None:
        d = self.data
        self._start(len(self), d.high[0], d.low[0], d.close[0], d.close[-1],
                    d.high[-1], d.low[-1])
        self.next()

    def next(self) -> None:
        d = self.data
        self.lines.psar[0] = self._step(len(self), d.high[0], d.low[0],
                                        d.high[-1], d.low[-1])

    # -- the algorithm, on plain numbers -------------------------------------
    def _start(self, n, hi, lo, close, close1, hi1, lo1) -> None:
        if self._status:
            return
        self._status = [_SarStatus(), _SarStatus()]
        status = self._status[(n - 1) % 2]
        status.sar = (hi + lo) / 2.0
        status.af = self.p.af
        if close >= close1:  # up: start as if short
            status.tr = False
            status.ep = lo1
        else:
            status.tr = True
            status.ep = hi1

    def _step(self, n, hi, lo, hi1, lo1) -> float:
        plenidx = (n - 1) % 2
        status = self._status[plenidx]
        tr = status.tr
        sar = status.sar
        if (tr and sar >= lo) or (not tr and sar <= hi):  # reversal
            tr = not tr
            sar = status.ep
            ep = hi if tr else lo
            af = self.p.af
        else:
            ep = status.ep
            af = status.af
        value = sar
        if tr:
            if hi > ep:
                ep = hi
                af = min(af + self.p.af, self.p.afmax)
        elif lo < ep:
            ep = lo
            af = min(af + self.p.af, self.p.afmax)
        sar = sar + af * (ep - sar)
        if tr:
            if sar > lo or sar > lo1:
                sar = min(lo, lo1)
        elif sar < hi or sar < hi1:
            sar = max(hi, hi1)
        newstatus = self._status[not plenidx]
        newstatus.tr = tr
        newstatus.sar = sar
        newstatus.ep = ep
        newstatus.af = af
        return value

    # -- vectorised mode: the same steps over plain lists ------------------
    def _arrays(self, start: int, end: int):
        d = self.data
        lo0 = max(start - 1, 0)
        return [x._arr[lo0:end].tolist() for x in (d.high, d.low, d.close)], start - lo0

    def preonce(self, start: int, end: int) -> None:
        if end <= start:
            return
        (hs, ls, cs), off = self._arrays(start, end)
        out = self.lines.psar._arr
        for i in range(start, end):
            k = i - start + off
            n = i + 1
            if n == 1:
                self._status = []
                continue
            if n == 2:
                self._start(n, hs[k], ls[k], cs[k], cs[k - 1], hs[k - 1], ls[k - 1])
            self._step(n, hs[k], ls[k], hs[k - 1], ls[k - 1])
            out[i] = np.nan

    def oncestart(self, start: int, end: int) -> None:
        if end <= start:
            return
        (hs, ls, cs), off = self._arrays(start, end)
        k = off
        self._start(start + 1, hs[k], ls[k], cs[k], cs[k - 1], hs[k - 1], ls[k - 1])
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        """``_step`` for every bar, inlined: the trend state lives in locals.

        Each step reads the state the step before wrote, so the two parity
        states reduce to one chain; both are stored back at the end.
        """
        if end <= start:
            return
        (hs, ls, _), off = self._arrays(start, end)
        afstep, afmax = self.p.af, self.p.afmax
        status = self._status
        st = status[start % 2]   # (n - 1) % 2 for the first bar, n = start + 1
        tr, sar, ep, af = st.tr, st.sar, st.ep, st.af
        hi1, lo1 = hs[off - 1], ls[off - 1]
        vals = []
        append = vals.append
        last = None
        for hi, lo in zip(hs[off:], ls[off:]):
            last = (tr, sar, ep, af)
            if (tr and sar >= lo) or (not tr and sar <= hi):  # reversal
                tr = not tr
                sar = ep
                ep = hi if tr else lo
                af = afstep
            append(sar)
            if tr:
                if hi > ep:
                    ep = hi
                    af = min(af + afstep, afmax)
            elif lo < ep:
                ep = lo
                af = min(af + afstep, afmax)
            sar = sar + af * (ep - sar)
            if tr:
                if sar > lo or sar > lo1:
                    sar = min(lo, lo1)
            elif sar < hi or sar < hi1:
                sar = max(hi, hi1)
            hi1, lo1 = hi, lo
        # the state the last step read, and the one it wrote, as _step leaves them
        before = status[(end - 1) % 2]
        before.tr, before.sar, before.ep, before.af = last
        after = status[end % 2]
        after.tr, after.sar, after.ep, after.af = tr, sar, ep, af
        self.lines.psar._arr[start:end] = vals
