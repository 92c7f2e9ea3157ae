"""Exceptions users may catch."""

__all__ = ('BacktraderError', 'StrategySkipError', 'ModuleImportError', 'FromModuleImportError',
           'UnsupportedError')


class BacktraderError(Exception):
    """Base of the package's own exceptions."""


class StrategySkipError(BacktraderError):
    """Raised in a strategy's ``__init__`` to skip it (e.g. one optimisation set)."""


class ModuleImportError(BacktraderError):
    """A class needs a module that cannot be imported."""

    def __init__(self, message: str, *args) -> None:
        super().__init__(message, *args)


class FromModuleImportError(ModuleImportError):
    """A class needs a name from a module, and it cannot be imported."""


class UnsupportedError(BacktraderError, NotImplementedError):
    """A backtrader feature that backtrader_ib keeps the name of but cannot run
    (the message says why and what to use instead)."""
