"""Optimisation runs (``cerebro.optstrategy``): one run per parameter set."""
from __future__ import annotations

import itertools
from typing import Any

__all__ = ('run_optimisation',)


def run_optimisation(cerebro: Any, strats: list) -> list:
    """Run every combination of ``strats`` in turn; a list of results per run."""
    results = []
    for iterstrat in itertools.product(*strats):
        runstrat = cerebro.runstrategies(iterstrat)
        results.append(runstrat)
        for cb in cerebro.optcbs:
            cb(runstrat)
    return results
