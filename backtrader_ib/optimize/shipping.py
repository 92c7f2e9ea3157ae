"""What crosses a process boundary: serialising runs and naming what cannot go.

cloudpickle (``pip install backtrader_ib[dist]``) carries classes defined in
``__main__`` or in a test module by value, and the params classes the engine
builds on the fly. Open files, sockets and locks are refused by name rather
than silently copied (cloudpickle would ship a read-mode file's contents).
"""
from __future__ import annotations

import io
import pickle
import socket
import threading
from typing import Any

__all__ = ('ShippingError', 'available', 'dumps', 'loads', 'check_shippable')

try:
    import cloudpickle
except ImportError:  # pragma: no cover - exercised only without the extra
    cloudpickle = None

_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


class ShippingError(TypeError):
    """An object the optimisation needs cannot be sent to worker processes."""


def available() -> bool:
    """True when cloudpickle is installed (process pool and Dask need it)."""
    return cloudpickle is not None


def describe(obj: Any) -> str:
    """A short human description of why ``obj`` cannot travel."""
    if isinstance(obj, io.IOBase):
        name = getattr(obj, 'name', None)
        return f'an open file {name!r}' if name is not None else 'an open file'
    if isinstance(obj, socket.socket):
        return 'a socket'
    if isinstance(obj, _LOCK_TYPES):
        return 'a lock'
    if type(obj).__name__ == 'generator':
        return 'a generator'
    return f'a {type(obj).__module__}.{type(obj).__qualname__}'


class _Unshippable(Exception):
    def __init__(self, obj: Any) -> None:
        super().__init__(describe(obj))
        self.obj = obj


if cloudpickle is not None:
    class _Pickler(cloudpickle.Pickler):
        def __init__(self, file, replace: dict) -> None:
            super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
            self._replace = replace

        def reducer_override(self, obj):
            reduction = self._replace.get(id(obj))
            if reduction is not None:
                return reduction
            if isinstance(obj, (io.IOBase, socket.socket) + _LOCK_TYPES):
                raise _Unshippable(obj)
            if isinstance(obj, memoryview) and _is_whole_view(obj):
                # a line's memoryview must wrap its (shipped) array, not a copy of it
                return memoryview, (obj.obj,)
            return super().reducer_override(obj)


def _is_whole_view(view: memoryview) -> bool:
    base = view.obj
    if base is None or isinstance(base, (bytes, bytearray)):
        return False
    try:
        again = memoryview(base)
    except TypeError:
        return False
    return (again.format, again.shape, again.strides) == (view.format, view.shape, view.strides)


def _require() -> None:
    if cloudpickle is None:
        raise ImportError('sending optimisation runs to other processes needs cloudpickle: '
                          'pip install "backtrader_ib[dist]"')


def dumps(obj: Any, replace: dict | None = None) -> bytes:
    """Serialise ``obj`` for a worker (cloudpickle; open files are refused).

    ``replace`` maps ``id(x)`` to the reduction (``callable, args, state``)
    to pickle in place of ``x``: how a trimmed engine is shipped although its
    data and broker point back to it.
    """
    _require()
    buf = io.BytesIO()
    _Pickler(buf, replace or {}).dump(obj)
    return buf.getvalue()


def loads(data: bytes) -> Any:
    return pickle.loads(data)


def _fails(obj: Any, replace: dict) -> str | None:
    try:
        dumps(obj, replace)
    except _Unshippable as exc:
        return str(exc)
    except Exception as exc:  # whatever pickle raises: the reason is its message
        return f'{describe(obj)}: {type(exc).__name__}: {exc}'
    return None


def _parts(label: str, obj: Any, replace: dict) -> list:
    if id(obj) in replace:
        state = replace[id(obj)][2]
        return [(f'{label}.{k}', v) for k, v in state.items()]
    if isinstance(obj, dict):
        return [(f'{label}[{k!r}]', v) for k, v in obj.items()]
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [(f'{label}[{i}]', v) for i, v in enumerate(obj)]
    if hasattr(obj, '__dict__') and not isinstance(obj, type):
        return [(f'{label}.{k}', v) for k, v in vars(obj).items()]
    return []


def _culprit(label: str, obj: Any, replace: dict) -> tuple[str, str]:
    """Descend into ``obj`` to the innermost part that cannot be serialised."""
    # parts point back to the replaced objects (data -> engine): stand-ins
    # there, so a part fails only for what it holds itself
    probe = {key: (dict, ()) for key in replace}
    seen = {id(obj)}
    while True:
        for sublabel, value in _parts(label, obj, replace):
            if id(value) not in seen and _fails(value, probe) is not None:
                seen.add(id(value))
                label, obj = sublabel, value
                break
        else:
            return label, _fails(obj, probe) or describe(obj)


def check_shippable(grid: Any, cerebro: Any, payload: Any, replace: dict) -> bytes:
    """Serialise ``payload`` (the grid and the engine the workers get, see
    :func:`dumps` for ``replace``), or raise :class:`ShippingError` naming the
    part that cannot go."""
    _require()
    for slot in grid.slots:
        for stratcls, args, kwargs in slot:
            for name, value in list(enumerate(args)) + list(kwargs.items()):
                reason = _fails(value, {})
                if reason is not None:
                    what = f'param {name!r}' if isinstance(name, str) else f'argument #{name}'
                    raise ShippingError(
                        f'strategy {stratcls.__name__} {what} ({reason}) cannot be sent '
                        'to worker processes; run with maxcpus=1 (or executor="serial"), '
                        'or pass something that can be pickled (e.g. a file name)')
    try:
        return dumps(payload, replace)
    except ImportError:
        raise
    except Exception:
        label, reason = _culprit('cerebro', cerebro, replace)
        raise ShippingError(
            f'{label} ({reason}) cannot be sent to worker processes; run with '
            'maxcpus=1 (or executor="serial"), or replace it with something that can '
            'be pickled') from None
