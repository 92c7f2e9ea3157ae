"""Ready-made strategies (``bt.strategies``, ``bt.strats``)."""
from .sma_crossover import *  # noqa: F401,F403
