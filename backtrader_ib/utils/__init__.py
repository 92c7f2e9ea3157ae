"""Helpers shared across the package: day numbers, auto dicts, py2/3 names."""
from collections import OrderedDict

from . import autodict, date, dateintern, flushfile, ordereddefaultdict, py3
from .autodict import (AutoDict, AutoDictList, AutoOrderedDict, DotDict,
                       OrderedDefaultdict, Tree)
from .date import (TIME_MAX, TIME_MIN, UTC, Localizer, TZLocal, date2num,
                   dates2num, num2date, num2dt, num2time, time2num, tzparse)
from .py3 import iteritems
from .py3 import values as py3lvalues
