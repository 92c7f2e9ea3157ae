"""Contributed indicators (also exported in ``bt.indicators``)."""
from .vortex import *  # noqa: F401,F403
from . import vortex  # noqa: F401
