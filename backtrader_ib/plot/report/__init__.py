"""The interactive HTML report of a run (Bokeh, the ``[plot]`` extra).

:func:`report` writes one self-contained HTML file: a tab per data with
candlesticks, indicators, trade markers (order details on hover) and linked
equity and drawdown panes, a summary tab (key figures, monthly returns,
trade list). :func:`opt_heatmap` charts a metric of an optimisation over two
parameters. Long runs are downsampled so the page stays responsive.
"""
from __future__ import annotations

from typing import Any, Callable

__all__ = ('report', 'opt_heatmap')


def report(run: Any, filename: str, title: str | None = None,
           max_points: int = 4000) -> str:
    """Write the HTML report of ``run`` (a Cerebro after ``run()`` or a strategy).

    ``max_points`` caps the points drawn per series (downsampling above it).
    Returns the file name.
    """
    from .page import write_report
    return write_report(run, filename, title=title, max_points=max_points)


def opt_heatmap(results: Any, xparam: str, yparam: str, metric: Callable[[Any], float],
                filename: str, title: str | None = None, metric_name: str = 'metric') -> str:
    """Write an HTML heatmap of ``metric(result)`` over two parameters.

    ``results`` are optimisation results (``cerebro.run()`` of an
    ``optstrategy``: lists of strategies or OptReturns with ``.params``).
    """
    from .optimisation import write_opt_heatmap
    return write_opt_heatmap(results, xparam, yparam, metric, filename, title=title,
                             metric_name=metric_name)
