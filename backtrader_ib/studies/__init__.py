"""Studies (``bt.studies``): indicators meant for charting; see contrib."""
from ..indicator import Indicator  # noqa: F401
from . import contrib  # noqa: F401
from .contrib import *  # noqa: F401,F403
