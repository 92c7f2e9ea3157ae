"""A mypy plugin: backtrader's class declarations are typed as ``Any``.

A class says ``params = (('period', 20),)``, ``lines = ('sma',)``,
``plotinfo = dict(subplot=False)`` or ``plotlines = dict(...)``; when the class
is created these tuples and dicts are replaced by generated classes
(:func:`backtrader_ib.metabase.merge_info`, ``LineSeries.__init_subclass__``),
so ``self.params.period``, ``cls.params._getkeys()`` and ``self.lines.sma``
exist at run time although mypy, reading the source, sees a tuple. The plugin
types those four declarations as ``Any`` in every subclass of
``ParamsBase`` (as if written ``params: Any = ...``); everything else is
checked normally. Likewise the constructors of those classes take arguments
that ``__init__`` does not list, taken out by the metaclass before
``__init__`` runs: params and plot options as keywords (the signature gets a
``**kwargs: Any``; an unknown name is still a ``TypeError`` at run time) and,
for indicators, observers and strategies, the data inputs as leading
positional arguments (``(*args: Any, **kwargs: Any)``). Aliases
(``alias = ('SMA', ...)``) become names of the class's module, typed as the
class. Generated names (``bt.ind.MovAv.SMA``, the Envelope and Oscillator
families) stay unknown to mypy.

It is used by this package's own check (``mypy.ini``) and can be used for
strategies and indicators written against the package::

    [mypy]
    plugins = backtrader_ib.mypy_plugin

This module imports mypy and is never imported at run time.
"""
from __future__ import annotations

from typing import Callable

from mypy.nodes import (ARG_STAR, ARG_STAR2, GDEF, AssignmentStmt, NameExpr, StrExpr,
                        SymbolTableNode, TupleExpr, Var)
from mypy.plugin import ClassDefContext, FunctionSigContext, Plugin
from mypy.types import AnyType, CallableType, FunctionLike, Instance, TypeOfAny, get_proper_type

ROOT = 'backtrader_ib.metabase.ParamsBase'
ITERATOR = 'backtrader_ib.lineiterator.LineIterator'
DECLARATIONS = frozenset(('params', 'lines', 'plotinfo', 'plotlines'))


def _aliases(stmt: AssignmentStmt) -> list[str]:
    """The names of ``alias = ('SMA', ...)`` / ``(('PlusDI', '+DI'),)``."""
    if not isinstance(stmt.rvalue, TupleExpr):
        return []
    names = []
    for item in stmt.rvalue.items:
        if isinstance(item, TupleExpr) and item.items:
            item = item.items[0]
        if isinstance(item, StrExpr):
            names.append(item.value)
    return names


def _declarations_are_any(ctx: ClassDefContext) -> None:
    info = ctx.cls.info
    if not info.has_base(ROOT):
        return
    anytype = AnyType(TypeOfAny.explicit)
    for stmt in ctx.cls.defs.body:
        if (isinstance(stmt, AssignmentStmt) and len(stmt.lvalues) == 1
                and isinstance(stmt.lvalues[0], NameExpr) and stmt.lvalues[0].name == 'alias'):
            # each alias is a subclass put in the class's module: typed as the class
            module = ctx.api.modules[ctx.api.cur_mod_id]
            for name in _aliases(stmt):
                module.names.setdefault(name, SymbolTableNode(GDEF, info, plugin_generated=True))
        if not (isinstance(stmt, AssignmentStmt) and stmt.type is None
                and len(stmt.lvalues) == 1 and isinstance(stmt.lvalues[0], NameExpr)
                and stmt.lvalues[0].name in DECLARATIONS):
            continue
        lvalue = stmt.lvalues[0]
        stmt.type = anytype
        lvalue.is_inferred_def = False
        if isinstance(lvalue.node, Var):
            lvalue.node.type = anytype
            lvalue.node.is_inferred = False


def _params_are_keywords(ctx: FunctionSigContext) -> FunctionLike:
    sig = ctx.default_signature
    ret = get_proper_type(sig.ret_type)
    if (not isinstance(sig, CallableType) or not sig.is_type_obj()
            or not isinstance(ret, Instance) or not ret.type.has_base(ROOT)):
        return sig
    anytype = AnyType(TypeOfAny.explicit)
    if ret.type.has_base(ITERATOR):
        # leading line arguments are the data inputs (then __init__'s arguments)
        return sig.copy_modified(arg_types=[anytype, anytype], arg_kinds=[ARG_STAR, ARG_STAR2],
                                 arg_names=['datas', 'params'])
    if ARG_STAR2 in sig.arg_kinds:
        return sig
    return sig.copy_modified(arg_types=[*sig.arg_types, anytype],
                             arg_kinds=[*sig.arg_kinds, ARG_STAR2],
                             arg_names=[*sig.arg_names, 'params'])


class BacktraderPlugin(Plugin):
    def get_base_class_hook(self, fullname: str) -> Callable[[ClassDefContext], None]:
        # called for each direct base; the hook looks at the whole MRO
        return _declarations_are_any

    def get_function_signature_hook(
            self, fullname: str) -> Callable[[FunctionSigContext], FunctionLike]:
        # called for every call by name; the hook keeps only our constructors
        return _params_are_keywords


def plugin(version: str) -> type[Plugin]:
    return BacktraderPlugin
