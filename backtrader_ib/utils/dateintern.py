"""``backtrader.utils.dateintern``'s names: the day-number conversions and time
zone helpers of :mod:`backtrader_ib.utils.date`, plus backtrader's time-unit
constants and the local zone's offsets."""
import datetime as _dt
import time as _time

from .date import (TIME_MAX, TIME_MIN, UTC, Localizer, TZLocal, date2num, num2date,
                   num2dt, num2time, time2num, tzparse)
from .py3 import string_types

__all__ = ('num2date', 'num2dt', 'num2time', 'date2num', 'time2num', 'UTC', 'TZLocal',
           'Localizer', 'tzparse', 'TIME_MAX', 'TIME_MIN', 'ZERO', 'STDOFFSET', 'DSTOFFSET',
           'DSTDIFF', 'HOURS_PER_DAY', 'MINUTES_PER_HOUR', 'SECONDS_PER_MINUTE',
           'MUSECONDS_PER_SECOND', 'MINUTES_PER_DAY', 'SECONDS_PER_DAY', 'MUSECONDS_PER_DAY',
           'string_types')

ZERO = _dt.timedelta(0)
# the machine's standard and daylight-saving offsets from UTC
STDOFFSET = _dt.timedelta(seconds=-_time.timezone)
DSTOFFSET = _dt.timedelta(seconds=-_time.altzone) if _time.daylight else STDOFFSET
DSTDIFF = DSTOFFSET - STDOFFSET

HOURS_PER_DAY = 24.0
MINUTES_PER_HOUR = 60.0
SECONDS_PER_MINUTE = 60.0
MUSECONDS_PER_SECOND = 1e6
MINUTES_PER_DAY = MINUTES_PER_HOUR * HOURS_PER_DAY
SECONDS_PER_DAY = SECONDS_PER_MINUTE * MINUTES_PER_DAY
MUSECONDS_PER_DAY = MUSECONDS_PER_SECOND * SECONDS_PER_DAY
