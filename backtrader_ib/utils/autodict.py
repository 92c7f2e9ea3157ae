"""Dictionaries that grow on access: the containers analyzers return."""
from __future__ import annotations

from collections import OrderedDict, defaultdict

__all__ = ('AutoDict', 'AutoOrderedDict', 'AutoDictList', 'DotDict',
           'OrderedDefaultdict', 'Tree')


class AutoDictList(dict):
    """Missing keys hold a fresh list."""

    def __missing__(self, key):
        value = self[key] = []
        return value


class DotDict(dict):
    """A dict whose keys are also attributes (for names given by users)."""

    def __getattr__(self, key):
        if key.startswith('__'):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


class _Closable:
    """Shared by the auto dicts: ``_close()`` stops auto-creation recursively."""

    _closed = False

    def _close(self):
        object.__setattr__(self, '_closed', True)
        for value in self.values():
            if isinstance(value, _Closable):
                value._close()

    def _open(self):
        object.__setattr__(self, '_closed', False)

    def __missing__(self, key):
        if self._closed:
            raise KeyError(key)
        value = self[key] = type(self)()
        return value

    def __getattr__(self, key):
        if key.startswith('_'):
            raise AttributeError(key)
        return self[key]

    def __setattr__(self, key, value):
        if key.startswith('_'):
            object.__setattr__(self, key, value)
        else:
            self[key] = value


class AutoDict(_Closable, dict):
    """Nested dict created on first access, closable."""


class AutoOrderedDict(_Closable, OrderedDict):
    """Ordered nested dict created on first access; missing leaves act as 0."""

    # Arithmetic on a never-set leaf behaves like on zero, so analyzers can
    # write ``self.rets.total.closed += 1`` without initialising.
    # (zero of the other's type, so 0.0 + -0.0 gives 0.0 as in backtrader)
    def __iadd__(self, other):
        return type(other)() + other if not self else NotImplemented

    def __isub__(self, other):
        return type(other)() - other if not self else NotImplemented

    def __imul__(self, other):
        return 0 if not self else NotImplemented

    def __itruediv__(self, other):
        return 0 if not self else NotImplemented

    def __lt__(self, other):
        return 0 < other if not self else NotImplemented

    def __gt__(self, other):
        return 0 > other if not self else NotImplemented

    def __bool__(self):
        return len(self) > 0

    def lvalues(self):
        return list(self.values())


class OrderedDefaultdict(OrderedDict):
    """An OrderedDict with a default factory."""

    def __init__(self, default_factory=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self[key] = self.default_factory()
        return value


defaultdict = defaultdict


def Tree() -> defaultdict:
    """A dict making a new nested Tree for every missing key."""
    return defaultdict(Tree)
