"""Statistics of the closed trades: counts, streaks, pnl and lengths."""
from __future__ import annotations

from ..analyzer import Analyzer
from ..utils.autodict import AutoOrderedDict
from ..utils.py3 import MAXINT

__all__ = ('TradeAnalyzer',)


class TradeAnalyzer(Analyzer):
    """Nested dict of trade statistics, in backtrader's layout:

    ``total`` (total/open/closed), ``streak`` (won/lost: current/longest),
    ``pnl`` (gross/net: total/average), ``won``/``lost`` (total and pnl
    total/average/max), ``long``/``short`` (total, pnl split by won/lost,
    won, lost) and ``len`` (bars in the market: total/average/max/min, split
    by won/lost and long/short). Only ``total.total`` exists before a trade.
    A trade counts as won when its net pnl is >= 0.
    """

    def create_analysis(self) -> None:
        self.rets = AutoOrderedDict()
        self.rets.total.total = 0

    def stop(self) -> None:
        self.rets._close()

    def notify_trade(self, trade) -> None:
        r = self.rets
        if trade.justopened:
            r.total.total += 1
            r.total.open += 1
            return
        if trade.status != trade.Closed:
            return
        won = int(trade.pnlcomm >= 0.0)
        flags = {'won': won, 'lost': int(not won),
                 'long': trade.long, 'short': not trade.long}
        pnl, barlen = trade.pnlcomm, trade.barlen

        r.total.open -= 1
        r.total.closed += 1
        closed = r.total.closed

        for wl in ('won', 'lost'):
            streak = r.streak[wl]
            streak.current *= flags[wl]
            streak.current += flags[wl]
            streak.longest = max(streak.longest or 0, streak.current)

        r.pnl.gross.total += trade.pnl
        r.pnl.gross.average = r.pnl.gross.total / closed
        r.pnl.net.total += pnl
        r.pnl.net.average = r.pnl.net.total / closed

        for wl in ('won', 'lost'):
            f = flags[wl]
            side = r[wl]
            side.total += f
            _add_pnl(side.pnl, pnl * f, side.total, wl)

        for ls in ('long', 'short'):
            f = flags[ls]
            side = r[ls]
            side.total += f
            side.pnl.total += pnl * f
            side.pnl.average = side.pnl.total / (side.total or 1.0)
            for wl in ('won', 'lost'):
                g = flags[wl] * f
                side[wl] += g
                _add_pnl(side.pnl[wl], pnl * g, side[wl], wl)

        length = r.len
        length.total += barlen
        length.average = length.total / closed
        length.max = max(length.max or 0, barlen)
        length.min = min(length.min or MAXINT, barlen)
        for wl in ('won', 'lost'):
            bars = barlen * flags[wl]
            node = length[wl]
            node.total += bars
            node.average = node.total / (r[wl].total or 1.0)
            node.max = max(node.max or 0, bars)
            if bars:
                node.min = min(node.min or MAXINT, bars)
        for ls in ('long', 'short'):
            bars = barlen * flags[ls]
            node = length[ls]
            _add_len(node, bars, r[ls].total)
            for wl in ('won', 'lost'):
                _add_len(node[wl], barlen * flags[ls] * flags[wl], r[ls][wl])


def _add_pnl(node, pnl: float, count, wl: str) -> None:
    # total, average and best (won) or worst (lost) pnl of a group
    node.total += pnl
    node.average = node.total / (count or 1.0)
    best = max if wl == 'won' else min
    node.max = best(node.max or 0.0, pnl)


def _add_len(node, bars: int, count) -> None:
    # a zero length means "not in this group": it leaves min alone
    node.total += bars
    node.average = node.total / (count or 1.0)
    node.max = max(node.max or 0, bars)
    node.min = min(node.min or MAXINT, bars or (node.min or MAXINT))
