"""MetaTrader 4 History Center CSV exports."""
from .csvgeneric import GenericCSVData

__all__ = ('MT4CSVData',)


class MT4CSVData(GenericCSVData):
    """Date,Time,Open,High,Low,Close,Volume: dates ``%Y.%m.%d``, times ``%H:%M``,
    no open interest. As in backtrader the first line is skipped (``headers``)."""

    params = (
        ('dtformat', '%Y.%m.%d'),
        ('tmformat', '%H:%M'),
        ('datetime', 0),
        ('time', 1),
        ('open', 2),
        ('high', 3),
        ('low', 4),
        ('close', 5),
        ('volume', 6),
        ('openinterest', -1),
    )
