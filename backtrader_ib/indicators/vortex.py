"""Vortex indicator (the module backtrader keeps next to contrib/vortex.py)."""
from .contrib.vortex import Vortex

__all__ = ['Vortex']
