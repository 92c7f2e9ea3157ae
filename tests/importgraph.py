"""backtrader_ib's import graph, read from the source with ``ast`` (nothing is imported).

``python tests/importgraph.py`` prints a report: the layer of every module, the
module-level imports that point up a layer, the import cycles (module-level
imports alone, then with the imports inside functions counted too), and every
import inside a function with what it is for. tests/test_layers.py asserts on
the same graph.

Rules of the graph, as Python runs imports:

* importing ``pkg.mod`` first runs ``pkg/__init__.py``: an import of a
  submodule is also an edge to each of its packages, except the importer's own
  (already running) and the root ``backtrader_ib``, whose ``__init__`` is the
  aggregator above every layer;
* ``from pkg import name`` is an edge to ``pkg.name`` when that is a module;
* imports under ``if TYPE_CHECKING:`` run only for type checkers: left out;
  those under ``if __name__ == '__main__':`` count as inside a function.
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = 'backtrader_ib'

# The layers of issue 17, lowest first: a module may import from its own layer
# and the layers below. The first matching prefix (longest first) decides.
LAYERS = ['base', 'lines', 'model', 'components', 'strategy', 'engine', 'tools']
LAYER_OF = {
    # foundations: no engine concepts
    'utils': 'base', 'errors': 'base', 'version': 'base', 'mathsupport': 'base',
    'unsupported': 'base', 'mypy_plugin': 'base',
    # lines core
    'metabase': 'lines', 'lineroot': 'lines', 'linebuffer': 'lines', 'lineseries': 'lines',
    'lineiterator': 'lines', 'dataseries': 'lines', 'functions': 'lines',
    'indicators._kernels': 'lines', 'indicators._lines': 'lines',
    # data and broker model
    'feed': 'model', 'feeds': 'model', 'filters': 'model', 'flt': 'model',
    'resamplerfilter': 'model', 'resample_vec': 'model', 'tradingcal': 'model',
    'timer': 'model', 'order': 'model', 'position': 'model', 'trade': 'model',
    'comminfo': 'model', 'commissions': 'model', 'fillers': 'model', 'broker': 'model',
    'brokers': 'model', 'store': 'model', 'stores': 'model', 'datas': 'model',
    # what a strategy is built from
    'indicator': 'components', 'indicators': 'components', 'talib': 'components',
    'analyzer': 'components', 'analyzers': 'components', 'observer': 'components',
    'observers': 'components', 'sizer': 'components', 'sizers': 'components',
    'signal': 'components', 'signals': 'components', 'studies': 'components',
    'writer': 'components',
    # the strategy
    'strategy': 'strategy', 'strategies': 'strategy', 'openview': 'strategy',
    # the engine
    'cerebro': 'engine', 'optreturn': 'engine', 'runplan': 'engine', 'runloop': 'engine',
    # on top: optimisation, plots, command line, the simulated gateway
    'optimize': 'tools', 'plot': 'tools', 'btrun': 'tools', 'cli': 'tools',
    'ibsim': 'tools', '__main__': 'tools',
    # a downloader built on IBData (a feed), behind the download command
    'stores.ibdownload': 'tools',
}


def layer(mod: str) -> str | None:
    """The layer of a module (None: the root package, the aggregator)."""
    rel = mod[len(PKG) + 1:]
    if not rel:
        return None
    parts = rel.split('.')
    for n in range(len(parts), 0, -1):
        key = '.'.join(parts[:n])
        if key in LAYER_OF:
            return LAYER_OF[key]
    raise KeyError(f'{mod}: no layer in tests/importgraph.py LAYER_OF')


@dataclass(frozen=True)
class Import:
    src: str        # importing module
    dst: str        # imported module (an internal one, or the top name of an outside one)
    line: int
    where: str      # '' at module level, else the enclosing function (Class.method)
    internal: bool
    typeonly: bool = False


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted((ROOT / PKG).rglob('*.py')):
        rel = path.relative_to(ROOT).with_suffix('')
        parts = list(rel.parts)
        if parts[-1] == '__init__':
            parts.pop()
        out['.'.join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return ((isinstance(test, ast.Name) and test.id == 'TYPE_CHECKING')
            or (isinstance(test, ast.Attribute) and test.attr == 'TYPE_CHECKING'))


def _is_main(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == '__name__')


def _resolve(mod: str, ispkg: bool, node: ast.ImportFrom | ast.Import, known) -> list[str]:
    """Internal modules (or outside top-level names) an import statement names."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = mod if ispkg else mod.rpartition('.')[0]
    if node.level:
        for _ in range(node.level - 1):
            base = base.rpartition('.')[0]
        target = base + ('.' + node.module if node.module else '')
    else:
        target = node.module or ''
    out = []
    for a in node.names:
        sub = f'{target}.{a.name}'
        out.append(sub if sub in known else target)
    return out


def imports(mods: dict[str, Path] | None = None) -> list[Import]:
    mods = mods or modules()
    out: list[Import] = []
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding='utf-8'))
        ispkg = path.name == '__init__.py'

        def visit(nodes, where: str, typeonly: bool) -> None:
            for node in nodes:
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = []
                    for dst in _resolve(mod, ispkg, node, mods):
                        internal = dst == PKG or dst.startswith(PKG + '.')
                        name = dst if internal else dst.split('.')[0]
                        if name and name not in names:
                            names.append(name)
                            out.append(Import(mod, name, node.lineno, where, internal, typeonly))
                    continue
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    inner = f'{where}.{node.name}' if where else node.name
                    visit(node.body, inner, typeonly)
                    continue
                if isinstance(node, ast.ClassDef):
                    # a class body runs at import time; its methods do not
                    for sub in node.body:
                        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            visit(sub.body, f'{node.name}.{sub.name}', typeonly)
                        else:
                            visit([sub], where, typeonly)
                    continue
                if isinstance(node, ast.If) and _is_type_checking(node.test):
                    visit(node.body, where, True)
                    visit(node.orelse, where, typeonly)
                    continue
                if isinstance(node, ast.If) and _is_main(node.test):
                    visit(node.body, where or '__main__', typeonly)  # run as a script only
                    continue
                for field in ('body', 'orelse', 'finalbody', 'handlers'):
                    visit(getattr(node, field, []) or [], where, typeonly)

        visit(tree.body, '', False)
    return out


def edges(imps: list[Import], mods, module_level: bool = True) -> dict[str, set[str]]:
    """Internal import edges (with the implied package ``__init__`` edges)."""
    g: dict[str, set[str]] = {m: set() for m in mods}
    for imp in imps:
        if not imp.internal or imp.typeonly or (module_level and imp.where):
            continue
        targets = [imp.dst]
        parts = imp.dst.split('.')
        for n in range(2, len(parts)):  # the packages above it, not the root
            pkg = '.'.join(parts[:n])
            if not (imp.src == pkg or imp.src.startswith(pkg + '.')):
                targets.append(pkg)
        for t in targets:
            if t != imp.src and t != PKG and t in g:
                g[imp.src].add(t)
    return g


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    onstack: set[str] = set()
    out = []
    counter = 0
    for root in sorted(g):
        if root in index:
            continue
        work = [(root, iter(sorted(g[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        onstack.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    onstack.add(w)
                    work.append((w, iter(sorted(g[w]))))
                    break
                if w in onstack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        onstack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return sorted(out, key=len, reverse=True)


def reaches(g: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        v = todo.pop()
        if v == goal:
            return True
        for w in g.get(v, ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return False


def upward(imps: list[Import], mods) -> list[Import]:
    """Module-level internal imports into a higher layer."""
    out = []
    for imp in imps:
        if not imp.internal or imp.where or imp.typeonly or imp.dst == PKG:
            continue
        a, b = layer(imp.src), layer(imp.dst)
        if a is not None and b is not None and LAYERS.index(b) > LAYERS.index(a):
            out.append(imp)
    return out


def function_imports(imps: list[Import], mods) -> list[tuple[Import, str]]:
    """Every import inside a function with its kind: 'cycle' (it lies on an import
    cycle, the other imports inside functions counted), 'up' (it names a higher
    layer), 'internal' (neither: lazy for import cost, or movable to module
    level), or 'outside' (another package: an optional dependency or the
    standard library)."""
    g = edges(imps, mods, module_level=False)
    out = []
    for imp in imps:
        if not imp.where:
            continue
        if not imp.internal:
            kind = 'outside'
        elif imp.dst == PKG:
            kind = 'internal'
        elif reaches(g, imp.dst, imp.src):
            kind = 'cycle'
        elif LAYERS.index(layer(imp.dst) or 'tools') > LAYERS.index(layer(imp.src) or 'tools'):
            kind = 'up'
        else:
            kind = 'internal'
        out.append((imp, kind))
    return out


def _short(mod: str) -> str:
    if mod.startswith(PKG + '.'):
        return mod[len(PKG) + 1:]
    return mod


def report(out=None) -> None:
    out = out or sys.stdout
    mods = modules()
    imps = imports(mods)
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f'{len(mods)} modules, {sum(1 for i in imps if i.internal and not i.where)} '
      f'module-level internal imports, {sum(1 for i in imps if i.where)} inside functions')

    p('\n## Module-level imports into a higher layer')
    for imp in upward(imps, mods):
        p(f'  {_short(imp.src)}:{imp.line} ({layer(imp.src)}) -> {_short(imp.dst)} '
          f'({layer(imp.dst)})')

    for title, g in (('module-level imports', edges(imps, mods)),
                     ('imports inside functions counted too', edges(imps, mods, False))):
        cyc = cycles(g)
        p(f'\n## Cycles, {title}: {len(cyc)}')
        for comp in cyc:
            p(f'  {len(comp)} modules: ' + ', '.join(_short(m) for m in comp))
            members = set(comp)
            for m in comp:
                inner = sorted(_short(t) for t in g[m] if t in members)
                if inner:
                    p(f'    {_short(m)} -> {", ".join(inner)}')

    fi = function_imports(imps, mods)
    p(f'\n## Imports inside functions: {len(fi)}')
    for kind in ('cycle', 'up', 'internal', 'outside'):
        rows = [imp for imp, k in fi if k == kind]
        p(f'\n### {kind}: {len(rows)}')
        for imp in sorted(rows, key=lambda i: (i.src, i.line)):
            p(f'  {_short(imp.src)}:{imp.line} {imp.where}() -> {_short(imp.dst)}')


if __name__ == '__main__':
    report()
