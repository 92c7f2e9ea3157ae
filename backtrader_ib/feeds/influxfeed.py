"""InfluxDB queries as a data feed: kept by name only."""
from __future__ import annotations

from ..dataseries import TimeFrame
from ..feed import DataBase
from ..unsupported import Unsupported

__all__ = ('InfluxDB', 'TIMEFRAMES')

# backtrader's unit letters of InfluxQL GROUP BY time() per timeframe
TIMEFRAMES = {TimeFrame.Seconds: 's', TimeFrame.Minutes: 'm', TimeFrame.Days: 'd',
              TimeFrame.Weeks: 'w', TimeFrame.Months: 'm', TimeFrame.Years: 'y'}


class InfluxDB(Unsupported, DataBase):
    """backtrader's feed querying an InfluxDB 1.x server."""

    _why = ('needs an InfluxDB 1.x server and the influxdb client package, which '
            'backtrader_ib does not support: query the series yourself into a pandas '
            'DataFrame and use bt.feeds.PandasData')
    params = (('host', '127.0.0.1'), ('port', '8086'), ('username', None),
              ('password', None), ('database', None), ('startdate', None),
              ('high', 'high_p'), ('low', 'low_p'), ('open', 'open_p'), ('close', 'close_p'),
              ('volume', 'volume'), ('ointerest', 'oi'))
