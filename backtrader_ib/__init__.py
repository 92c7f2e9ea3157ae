"""backtrader_ib: a fast, drop-in reimplementation of backtrader's API with a live IB store."""
__version__ = "0.1.0"
