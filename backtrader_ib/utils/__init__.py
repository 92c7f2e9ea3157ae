"""Helpers shared across the package: day numbers, auto dicts, py2/3 names."""
from collections import OrderedDict

from .autodict import (AutoDict, AutoDictList, AutoOrderedDict, DotDict,
                       OrderedDefaultdict)
from .date import (TIME_MAX, TIME_MIN, UTC, Localizer, TZLocal, date2num,
                   dates2num, num2date, num2dt, num2time, time2num, tzparse)
