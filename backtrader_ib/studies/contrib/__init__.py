"""Contributed studies (also exported in ``bt.studies``)."""
from . import fractal  # noqa: F401
from .fractal import *  # noqa: F401,F403
