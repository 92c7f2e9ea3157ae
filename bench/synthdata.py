"""Seeded synthetic daily OHLCV data for the benchmarks (numpy + pandas only)."""
from __future__ import annotations

import numpy as np
import pandas as pd

START = "1800-01-01"  # 1M daily bars end in year 4537: beyond datetime64[ns], so use [s]
MEAN_PRICE = 110.0    # log price reverts towards log(MEAN_PRICE)
REVERSION = 0.002     # per-bar pull towards the mean (mean-reversion time ~500 bars)
VOLATILITY = 0.014    # per-bar std of log-price shocks (stationary std ~0.22 in log)


def log_price_path(n: int, rng: np.random.Generator) -> np.ndarray:
    """Mean-reverting AR(1) path of log prices around log(MEAN_PRICE), starting at it.

    The recursion d[t] = (1 - REVERSION) * d[t-1] + shock[t] is exactly an
    exponentially weighted mean (adjust=False, alpha=REVERSION) of shock / alpha,
    which pandas computes in compiled code without a Python loop or big temporaries.
    """
    shocks = rng.standard_normal(n) * (VOLATILITY / REVERSION)
    shocks[0] = 0.0
    deviation = pd.Series(shocks).ewm(alpha=REVERSION, adjust=False).mean().to_numpy()
    return np.log(MEAN_PRICE) + deviation


def make_ohlcv(n: int, seed: int = 42) -> pd.DataFrame:
    """Return ``n`` daily bars (open, high, low, close, volume, openinterest).

    The index is a DatetimeIndex with second resolution starting 1800-01-01, so
    1M days (up to year 4537) do not overflow datetime64[ns]. Prices stay roughly
    within 40-310 and are rounded to cents. Columns are filled in place in one
    float64 block so that building the frame adds little to the peak RSS.
    """
    rng = np.random.default_rng(seed)
    values = np.empty((6, n))  # one row per column; the frame gets its transpose
    open_, high, low, close, volume, openinterest = values

    np.exp(log_price_path(n, rng), out=close)
    open_[0] = close[0]
    open_[1:] = close[:-1]                       # previous close ...
    open_ *= np.exp(rng.normal(0.0, 0.004, n))   # ... plus an overnight gap
    np.maximum(open_, close, out=high)
    high *= np.exp(np.abs(rng.normal(0.0, 0.006, n)))
    np.minimum(open_, close, out=low)
    low *= np.exp(-np.abs(rng.normal(0.0, 0.006, n)))
    np.round(values[:4], 2, out=values[:4])      # rounding keeps low <= open/close <= high
    volume[:] = rng.integers(1_000, 100_000, n)
    openinterest[:] = 0.0

    index = pd.date_range(START, periods=n, freq="D", unit="s", name="datetime")
    columns = ["open", "high", "low", "close", "volume", "openinterest"]
    return pd.DataFrame(values.T, index=index, columns=columns, copy=False)


SESSION_MINUTES = 390  # 09:30-16:00: one bar a minute, stamped at its end (09:31 .. 16:00)


def make_intraday(n: int, seed: int = 7) -> pd.DataFrame:
    """Return ``n`` 1-minute bars over weekday sessions from 2020-01-06.

    Each bar is stamped at its end (09:31 .. 16:00, 390 a day), weekends skipped.
    Prices follow make_ohlcv's recipe with a per-minute volatility.
    """
    df = make_ohlcv(n, seed=seed)
    days = -(-n // SESSION_MINUTES)
    dates = pd.bdate_range("2020-01-06", periods=days, unit="s")
    minutes = pd.to_timedelta(np.arange(1, SESSION_MINUTES + 1) + 9 * 60 + 30, unit="m")
    stamps = (dates.values[:, None] + minutes.values[None, :]).ravel()[:n]
    df.index = pd.DatetimeIndex(stamps, name="datetime")
    return df
