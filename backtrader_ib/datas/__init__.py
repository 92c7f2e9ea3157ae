"""Sample daily market data shipped with the package (see README.md here)."""
from __future__ import annotations

from pathlib import Path

__all__ = ('path', 'files')

_HERE = Path(__file__).resolve().parent


def files() -> list[str]:
    """Names of the shipped data files."""
    return sorted(p.name for p in _HERE.glob('*.csv'))


def path(name: str) -> str:
    """Full path of a shipped data file, e.g. ``path('orcl-1995-2014.csv')``."""
    p = _HERE / name
    if not p.exists():
        raise FileNotFoundError(f'no shipped data file {name!r}; available: {files()}')
    return str(p)
