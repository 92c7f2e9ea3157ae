"""Parameters and the construction protocol shared by every backtrader_ib object.

A class declares ``params`` as a tuple of ``(name, default)`` pairs or a dict.
Declarations merge down the class tree (subclasses override defaults and add
names). Instances get ``self.params`` / ``self.p`` holding the values; keyword
arguments matching a param name set it and are not passed to ``__init__``.

Objects are built in three steps (see :class:`MetaParams`): ``_preinit`` takes
what belongs to the framework out of the arguments, ``__init__`` runs the
user's code, ``_postinit`` finishes. That is the one job of the metaclass.
"""
from __future__ import annotations

import contextvars
import importlib
import inspect
import sys
import threading
import types
from collections import OrderedDict
from typing import Any, Iterable

__all__ = ('AutoInfoClass', 'MetaParams', 'ParamsBase', 'ItemCollection', 'construction_stack',
           'make_info_class', 'findowner', 'MetaBase', 'current_owner', 'owners',
           'constructing', 'MetaSingleton')


class AutoInfoClass:
    """A class holding named defaults; instances hold the current values.

    backtrader code uses both levels: ``Cls.params._getkeys()`` on the class,
    ``self.p.period`` on the instance.
    """

    _pairs: OrderedDict = OrderedDict()

    @classmethod
    def _getpairs(cls) -> OrderedDict:
        return cls._pairs.copy()

    @classmethod
    def _getkeys(cls) -> list:
        return list(cls._pairs.keys())

    @classmethod
    def _getdefaults(cls) -> list:
        return list(cls._pairs.values())

    @classmethod
    def _getitems(cls):
        return cls._pairs.items()

    @classmethod
    def _gettuple(cls) -> tuple:
        return tuple(cls._pairs.items())

    @classmethod
    def _derive(cls, name: str, info: Any, otherbases: Iterable = (),
                recurse: bool = False) -> type:
        pairs: OrderedDict = OrderedDict()
        for base in otherbases:
            pairs.update(base._getpairs())
        pairs.update(cls._pairs)
        pairs.update(_pairs_of(info))
        return make_info_class(f'{cls.__name__}_{name}', pairs)

    def isdefault(self, pname: str) -> bool:
        return getattr(self, pname) == self._pairs[pname]

    def notdefault(self, pname: str) -> bool:
        return not self.isdefault(pname)

    def _get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)

    def _getkwargs(self) -> OrderedDict:
        return OrderedDict((k, getattr(self, k)) for k in self._pairs)

    def _getvalues(self) -> list:
        return [getattr(self, k) for k in self._pairs]

    def _update(self, other: Any) -> None:
        for k, v in _pairs_of(other).items():
            setattr(self, k, v)

    def __repr__(self):
        inner = ', '.join(f'{k}={getattr(self, k)!r}' for k in self._pairs)
        return f'{type(self).__name__}({inner})'


def _pairs_of(decl: Any) -> OrderedDict:
    """Normalise a params/plotinfo declaration into an ordered dict."""
    if decl is None:
        return OrderedDict()
    if isinstance(decl, type) and issubclass(decl, AutoInfoClass):
        return decl._getpairs()
    if isinstance(decl, dict):
        return OrderedDict(decl)
    pairs: OrderedDict = OrderedDict()
    for item in decl:
        if isinstance(item, str):
            pairs[item] = None
        else:
            key, value = item
            pairs[key] = value
    return pairs


def make_info_class(name: str, pairs: OrderedDict) -> type:
    """A new :class:`AutoInfoClass` subclass whose attributes are ``pairs``."""
    # a function default must stay a plain function, not become a method
    attrs = {k: staticmethod(v) if isinstance(v, types.FunctionType) else v
             for k, v in pairs.items()}
    attrs['_pairs'] = OrderedDict(pairs)
    return type(name, (AutoInfoClass,), attrs)


def merge_info(cls: type, attr: str, nested: bool = False) -> type:
    """Merge the ``attr`` declarations (params, plotinfo, ...) of ``cls``'s tree.

    As in backtrader: the first base's entries, updated (and extended) by the
    other bases' entries, then by the class's own declaration. ``nested``
    (plotlines): a dict entry is itself an info class, merged entry by entry.
    """
    pairs: OrderedDict = OrderedDict()
    decls = [getattr(base, attr, None) for base in cls.__bases__] + [cls.__dict__.get(attr)]
    for decl in decls:
        for key, value in _pairs_of(decl).items():
            if nested and _is_info(value):
                inner = _pairs_of(pairs.get(key)) if _is_info(pairs.get(key)) else OrderedDict()
                inner.update(_pairs_of(value))
                value = make_info_class(f'{cls.__name__}_{attr}_{key}', inner)
            pairs[key] = value
    return make_info_class(f'{cls.__name__}_{attr}', pairs)


def _is_info(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, type) and issubclass(value, AutoInfoClass))


def info_values(info: Any) -> dict:
    """The current values of an info class or instance, attributes set later included."""
    if isinstance(info, dict):
        return dict(info)
    values = dict(info._getpairs())
    if not isinstance(info, type):
        values.update((k, v) for k, v in vars(info).items() if not k.startswith('__'))
    return values


def _import_frompackages(cls: type) -> None:
    """Honour ``packages`` / ``frompackages``: import names into cls's module."""
    module = sys.modules.get(cls.__module__)
    if module is None:
        return
    for spec in cls.__dict__.get('packages', ()):
        name, alias = (spec, spec) if isinstance(spec, str) else spec
        setattr(module, alias, importlib.import_module(name))
    for pkg, names in cls.__dict__.get('frompackages', ()):
        mod = importlib.import_module(pkg)
        for spec in ([names] if isinstance(names, str) else names):
            name, alias = (spec, spec) if isinstance(spec, str) else spec
            setattr(module, alias, getattr(mod, name))


# -- the construction stack ----------------------------------------------------
# Objects whose ``__init__`` is running and that adopt what it creates (line
# iterators, analyzers, Cerebro while it builds strategies), innermost last.
# One stack per thread / asyncio task: a context variable holding a tuple, so
# concurrent constructions (threads, Dask workers running several tasks) never
# see each other's owners. Pushing and popping replace the tuple, never mutate
# it: a copied context (a new asyncio task) cannot share its parent's stack.
_STACK: contextvars.ContextVar[tuple] = contextvars.ContextVar(
    'backtrader_ib_construction_stack', default=())
_get_stack = _STACK.get


def owners() -> tuple:
    """The objects under construction in this thread/task, innermost last."""
    return _get_stack()


def current_owner() -> Any:
    """The innermost object under construction here, or None."""
    stack = _get_stack()
    return stack[-1] if stack else None


class constructing:
    """``with constructing(obj):`` objects created inside find ``obj`` as owner."""

    __slots__ = ('obj', '_token')

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __enter__(self) -> Any:
        self._token = _STACK.set(_get_stack() + (self.obj,))
        return self.obj

    def __exit__(self, *exc) -> None:
        _STACK.reset(self._token)


class _StackView:
    """List-like view of this thread's construction stack, for callers that
    ``append``/``pop``/index it; new code uses :class:`constructing`."""

    def append(self, obj: Any) -> None:
        _STACK.set(_get_stack() + (obj,))

    def pop(self) -> Any:
        stack = _get_stack()
        if not stack:
            raise IndexError('pop from an empty construction stack')
        _STACK.set(stack[:-1])
        return stack[-1]

    def __getitem__(self, i):
        return _get_stack()[i]

    def __len__(self) -> int:
        return len(_get_stack())

    def __iter__(self):
        return iter(_get_stack())

    def __reversed__(self):
        return reversed(_get_stack())

    def __repr__(self) -> str:
        return f'construction_stack({list(_get_stack())!r})'


construction_stack = _StackView()


def _new_instance(cls: type, args: tuple, kwargs: dict) -> Any:
    # object.__new__ takes no arguments; a custom __new__ gets them (as in backtrader)
    new: Any = cls.__new__
    if new is object.__new__:
        return new(cls)
    return new(cls, *args, **kwargs)


class MetaBase(type):
    """Instance creation as backtrader's five overridable steps.

    A metaclass deriving from this one (or from :class:`MetaParams`) may
    override ``doprenew``, ``donew``, ``dopreinit``, ``doinit`` or
    ``dopostinit``; each returns ``(obj, args, kwargs)`` (``doprenew``:
    ``(cls, args, kwargs)``).
    """

    def doprenew(cls, *args, **kwargs):
        return cls, args, kwargs

    def donew(cls, *args, **kwargs):
        return _new_instance(cls, args, kwargs), args, kwargs

    def dopreinit(cls, _obj, *args, **kwargs):
        return _obj, args, kwargs

    def doinit(cls, _obj, *args, **kwargs):
        _obj.__init__(*args, **kwargs)
        return _obj, args, kwargs

    def dopostinit(cls, _obj, *args, **kwargs):
        return _obj, args, kwargs

    def __call__(cls, *args, **kwargs):
        cls, args, kwargs = cls.doprenew(*args, **kwargs)
        obj, args, kwargs = cls.donew(*args, **kwargs)
        obj, args, kwargs = cls.dopreinit(obj, *args, **kwargs)
        obj, args, kwargs = cls.doinit(obj, *args, **kwargs)
        obj, args, kwargs = cls.dopostinit(obj, *args, **kwargs)
        return obj


_HOOKS = ('doprenew', 'donew', 'dopreinit', 'doinit', 'dopostinit')


class MetaParams(MetaBase):
    """Builds objects as ``_preinit`` -> ``__init__`` -> ``_postinit``.

    The framework's arguments (params, plot options, data feeds) are taken out
    before the user's ``__init__`` sees the rest. Every class of this
    metaclass derives from :class:`ParamsBase`, which holds those steps (it is
    added to the bases when missing: ``with_metaclass(MetaParams, object)``).
    A metaclass overriding a ``do*`` step gets the five steps run in turn;
    the others take the direct path.
    """

    def __new__(meta, name, bases, dct, **kwargs):
        root = globals().get('ParamsBase')
        if root is not None and not any(issubclass(b, root) for b in bases):
            bases = tuple(b for b in bases if b is not object) + (root,)
        cls = super().__new__(meta, name, bases, dct, **kwargs)
        cls._direct_call = all(getattr(meta, h) is getattr(MetaParams, h) for h in _HOOKS)
        return cls

    def __call__(cls, *args, **kwargs):
        if cls._direct_call:
            obj = _new_instance(cls, args, kwargs)
            obj._construct(args, kwargs)
            return obj
        return super().__call__(*args, **kwargs)

    # the five steps, for metaclasses that override some of them
    def donew(cls, *args, **kwargs):
        obj = _new_instance(cls, args, kwargs)
        args, kwargs = obj._preinit(args, kwargs)
        return obj, args, kwargs

    def doinit(cls, _obj, *args, **kwargs):
        _obj._doinit(args, kwargs)
        return _obj, args, kwargs

    def dopostinit(cls, _obj, *args, **kwargs):
        _obj._postinit()
        return _obj, args, kwargs


class ParamsBase(metaclass=MetaParams):
    """Root of every class with ``params``."""

    params: Any = ()
    packages: tuple = ()      # modules to import into the class's module
    frompackages: tuple = ()  # (module, names) to import likewise
    #: True: objects created during our ``__init__`` find us as their owner
    _adopts_children = False
    _init_kwargs_cache: Any  # per class, set on first construction with kwargs

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.params = merge_info(cls, 'params')
        _import_frompackages(cls)

    def _construct(self, args: tuple, kwargs: dict) -> None:
        args, kwargs = self._preinit(args, kwargs)
        self._doinit(args, kwargs)
        self._postinit()

    def _doinit(self, args: tuple, kwargs: dict) -> None:
        """Run the user's ``__init__`` (as the current owner if we adopt)."""
        self._check_init_kwargs(kwargs)
        if self._adopts_children:
            token = _STACK.set(_get_stack() + (self,))
            try:
                self.__init__(*args, **kwargs)  # type: ignore[misc]
            finally:
                _STACK.reset(token)
        else:
            self.__init__(*args, **kwargs)  # type: ignore[misc]

    def _preinit(self, args: tuple, kwargs: dict):
        p = self.params()
        pairs = p._pairs
        if kwargs:
            rest = {}
            for key, value in kwargs.items():
                if key in pairs:
                    setattr(p, key, value)
                else:
                    rest[key] = value
            kwargs = rest
        self.params = self.p = p
        return args, kwargs

    def _postinit(self) -> None:
        pass

    def _check_init_kwargs(self, kwargs: dict) -> None:
        if not kwargs:
            return
        cls = type(self)
        accepts = cls.__dict__.get('_init_kwargs_cache')
        if accepts is None:
            accepts = _init_accepts(cls.__init__)
            cls._init_kwargs_cache = accepts
        if accepts is True:
            return
        bad = [k for k in kwargs if k not in accepts]
        if bad:
            valid = ', '.join(self.params._getkeys()) or '(none)'
            raise TypeError(
                f'{cls.__name__}: unknown parameter(s) {", ".join(map(repr, bad))}; '
                f'valid params are: {valid}')

    # backtrader spelling of the param container on the class
    @classmethod
    def _getparams(cls):
        return cls.params


class MetaSingleton(MetaParams):
    """Metaclass of classes with one instance: the first call builds it (its
    arguments win), later calls return it. ``class MyStore(with_metaclass(
    MetaSingleton, object))`` is backtrader's store pattern."""

    def __init__(cls, name, bases, dct, **kwargs):
        super().__init__(name, bases, dct, **kwargs)
        cls._singleton = None
        cls._singleton_lock = threading.RLock()  # threads race for the first call

    def __call__(cls, *args, **kwargs):
        with cls._singleton_lock:
            if cls._singleton is None:
                cls._singleton = super().__call__(*args, **kwargs)
            return cls._singleton


def _init_accepts(init) -> Any:
    """True if ``init`` takes ``**kwargs``, else the set of its keyword names."""
    if init is object.__init__:
        return set()
    try:
        sig = inspect.signature(init)
    except (TypeError, ValueError):
        return True
    names = set()
    for prm in sig.parameters.values():
        if prm.kind is prm.VAR_KEYWORD:
            return True
        if prm.kind in (prm.POSITIONAL_OR_KEYWORD, prm.KEYWORD_ONLY):
            names.add(prm.name)
    return names


class ItemCollection:
    """A list whose items can also be reached by name (analyzers, observers)."""

    def __init__(self):
        self._items = []
        self._names = []

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __getitem__(self, key):
        return self._items[key]

    def append(self, item: Any, name: str | None = None) -> None:
        if name:
            setattr(self, name, item)
        self._items.append(item)
        self._names.append(name)

    def getnames(self) -> list:
        return list(self._names)

    def getitems(self):
        return zip(self._names, self._items)

    def getbyname(self, name: str) -> Any:
        return self._items[self._names.index(name)]


def findowner(owned: Any, cls: type, startlevel: int = 2, skip: Any = None) -> Any:
    """The innermost object of type ``cls`` under construction, if any.

    backtrader walks stack frames for this; here the construction stack of
    line iterators answers it.
    """
    for obj in reversed(_get_stack()):
        if obj is not owned and obj is not skip and isinstance(obj, cls):
            return obj
    return None


def findbases(kls: type, topclass: type) -> list:
    """The bases of ``kls`` that derive from ``topclass``, each preceded by its
    own such bases (depth first, in declaration order), as backtrader's helper."""
    out: list = []
    for base in kls.__bases__:
        if issubclass(base, topclass):
            out.extend(findbases(base, topclass))
            out.append(base)
    return out
