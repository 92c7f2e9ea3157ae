"""SierraChart CSV exports: GenericCSVData's layout with YYYY/MM/DD dates."""
from .csvgeneric import GenericCSVData

__all__ = ('SierraChartCSVData',)


class SierraChartCSVData(GenericCSVData):
    """Date,Open,High,Low,Close,Volume,OpenInterest with dates as ``%Y/%m/%d``."""

    params = (('dtformat', '%Y/%m/%d'),)
