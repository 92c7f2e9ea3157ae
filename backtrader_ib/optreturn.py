"""OptReturn: what an optimisation run returns instead of its strategies.

Its own small module so that both the engine (cerebro.py builds them at the
end of an optimisation run with ``optreturn=True``) and the optimisation
workers (optimize/worker.py, a layer above, which trims them) import it from
below, without optimize importing cerebro. ``backtrader_ib.cerebro.OptReturn``
(backtrader's path) and ``backtrader_ib.optimize.OptReturn`` re-export it.
"""
from __future__ import annotations

from typing import Any

__all__ = ('OptReturn',)


class OptReturn:
    """What an optimisation run returns: params and analyzers, not the engine."""

    def __init__(self, params: Any, **kwargs: Any) -> None:
        self.p = self.params = params
        for k, v in kwargs.items():
            setattr(self, k, v)
