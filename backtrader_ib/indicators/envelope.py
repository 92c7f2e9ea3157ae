"""Envelopes: bands ``perc`` percent above and below a line or an average.

Besides :class:`Envelope` (bands around the data), one ``<Average>Envelope``
class is generated per registered moving average (``SMAEnvelope``, ...), a
subclass of that average with the extra lines ``top`` and ``bot``.
"""
from __future__ import annotations

import sys

from ..indicator import Indicator
from ._lines import line0
from .mabase import MovingAverage

__all__ = ['EnvelopeMixIn', 'Envelope']


class EnvelopeMixIn:
    """Adds lines ``top``/``bot`` at ``perc`` percent around line 0."""

    lines = ('top', 'bot')
    params = (('perc', 2.5),)
    plotlines = dict(top=dict(_samecolor=True), bot=dict(_samecolor=True))

    def _bands(self, src) -> None:
        perc = self.p.perc / 100.0
        self.lines.top = src * (1.0 + perc)
        self.lines.bot = src * (1.0 - perc)


class _EnvelopeBase(Indicator):
    lines = ('src',)
    plotinfo = dict(subplot=False)
    plotlines = dict(src=dict(_plotskip=True))

    def __init__(self) -> None:
        self.lines.src = self.data
        super().__init__()


class Envelope(_EnvelopeBase, EnvelopeMixIn):
    """src = data; top = data * (1 + perc/100); bot = data * (1 - perc/100)."""

    lines = EnvelopeMixIn.lines
    params = EnvelopeMixIn.params

    def __init__(self) -> None:
        super().__init__()
        self._bands(line0(self.data))


def _no_op(self, *args) -> None:
    pass


def _nextstart(self) -> None:
    self.next()


def make_family(movav: type, mixin: type, suffix: str, aliases: list,
                doc: str, extra: dict, build) -> type:
    """A subclass of ``movav`` computing ``build(self, average)`` instead.

    The average itself is a child indicator with the same params, so the
    subclass inherits the average's lines, params and aliases but none of its
    bar code (which may keep state in its own line).
    """
    keys = movav.params._getkeys()

    def __init__(self) -> None:
        ma = movav(self.data, **{k: getattr(self.p, k) for k in keys})
        for attr in ('alpha', 'alpha1'):
            if hasattr(ma, attr):
                setattr(self, attr, getattr(ma, attr))
        self._ma = ma
        build(self, ma)

    dct = dict(extra)
    dct.update({'__doc__': doc, '__module__': mixin.__module__,
                '_notregister': True, 'alias': aliases, '__init__': __init__,
                'prenext': _no_op, 'nextstart': _nextstart, 'next': _no_op,
                'preonce': _no_op, 'oncestart': _no_op, 'once': _no_op})
    newcls = type(movav.__name__ + suffix, (movav, mixin), dct)
    setattr(sys.modules[mixin.__module__], newcls.__name__, newcls)
    return newcls


def _build_envelope(self, ma) -> None:
    self.lines[0] = ma
    self._bands(ma)


for _movav in MovingAverage._movavs[1:]:
    if getattr(_movav, 'aliased', ''):
        continue
    _name = _movav.__name__
    _cls = make_family(
        _movav, EnvelopeMixIn, 'Envelope',
        [alias + 'Envelope' for alias in getattr(_movav, 'alias', [])],
        f'{_name} and bands "perc" percent above and below it.',
        dict(lines=EnvelopeMixIn.lines, params=EnvelopeMixIn.params),
        _build_envelope)
    __all__ += [_cls.__name__] + list(_cls.alias)

del _movav, _name, _cls
