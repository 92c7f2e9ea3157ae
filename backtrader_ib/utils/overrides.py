"""Does a user's subclass override what a fast path would bypass?"""
from __future__ import annotations

__all__ = ('overridden_below',)


def overridden_below(cls: type, name: str, owner: str) -> bool:
    """Is ``name`` defined in a class of ``cls``'s MRO more derived than the
    first class defining ``owner`` (the fast path that would skip it)?

    A class defining both counts as the owner's: its own ``name`` is the one
    the fast path stands for."""
    for klass in cls.__mro__:
        if owner in klass.__dict__:
            return False
        if name in klass.__dict__:
            return True
    return False
