"""Data filters (``bt.filters``): classes added with ``data.addfilter`` that
change, drop or add bars as a feed loads them, and the DataFilter/DataFiller
feeds built on another feed."""
from .base import Filter
from .bsplitter import DaySplitter_Close
from .calendardays import CalendarDays
from .datafiller import DataFiller
from .datafilter import DataFilter
from .daysteps import BarReplayer_Open, DayStepsFilter
from .heikinashi import HeikinAshi
from .renko import Renko
from .session import SessionFiller, SessionFilter, SessionFilterSimple

__all__ = ('Filter', 'DaySplitter_Close', 'CalendarDays', 'DataFiller', 'DataFilter',
           'BarReplayer_Open', 'DayStepsFilter', 'HeikinAshi', 'Renko', 'SessionFiller',
           'SessionFilter', 'SessionFilterSimple')
