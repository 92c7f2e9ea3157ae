"""Exceptions users may catch."""

__all__ = ('BacktraderError', 'StrategySkipError')


class BacktraderError(Exception):
    """Base of the package's own exceptions."""


class StrategySkipError(BacktraderError):
    """Raised in a strategy's ``__init__`` to skip it (e.g. one optimisation set)."""
