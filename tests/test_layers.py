"""The package's import layers (issue 17), read from the source by tests/importgraph.py.

Layers, lowest first: base (utils, errors) -> lines core -> data/broker model
(feeds, filters, orders, brokers, stores) -> components (indicators,
analyzers, observers, sizers) -> strategy -> engine (cerebro) -> tools
(optimize, plot, CLI, ibsim). ``python tests/importgraph.py`` prints the
whole report: cycles, upward imports, every import inside a function.
"""
from __future__ import annotations

import importgraph as ig

MODS = ig.modules()
IMPORTS = ig.imports(MODS)

# Module-level imports into a higher layer that exist today, each with why and where
# it would go. An entry that no longer exists must leave the list.
KNOWN_UPWARD: dict = {}

# Import cycles once the imports inside functions are counted (Python runs them
# without trouble: the module-level graph has none). A new cycle must fit in one of
# these groups (module-name prefixes) or be broken; a group with no cycle left
# must leave the list. The engine (lines core up to cerebro and optimize) has none.
KNOWN_CYCLES = {
    "feed.py answers for CSVDataBase, which lives in feeds/csvbase.py (backtrader's path)":
        ('feed', 'feeds'),
    "python -m backtrader_ib.stores.ibdownload (old entry point) runs cli/download.py":
        ('stores.ibdownload', 'cli.download'),
}

# Imports of this package inside functions, below the tools layer (optimize, plot,
# CLI, ibsim: lazy there for start-up time), each with why it is lazy. A new one
# goes to module level, or here with a reason; one that is gone must leave.
KNOWN_LAZY = {
    ('feed', 'feeds.csvbase'):
        "feed.CSVDataBase (backtrader's path) from feeds/csvbase.py, built on feed.py",
    ('cerebro', 'optimize'): 'Cerebro.run with optstrategy: optimize is the layer above',
    ('cerebro', 'plot'): 'Cerebro.plot: matplotlib, and plot is the layer above',
    ('cerebro', 'plot.report'): 'Cerebro.report: bokeh, and plot is the layer above',
    # stores/ibticks.py (new, another area): no reason found, stores/__init__
    # imports ibstore anyway; movable to module level
    ('stores.ibticks', 'utils.date'): 'download_ticks: movable',
    ('stores.ibticks', 'stores.ibcontracts'): 'download_ticks: movable',
    ('stores.ibticks', 'stores.ibstore'): 'download_ticks: movable',
    ('stores.ibticks', 'stores.ibtime'): 'download_ticks: movable',
}

# Outside packages imported inside functions: optional or heavy dependencies only
# (the standard library and NumPy are imported at module level).
OPTIONAL = {
    'pandas': 'optional (feeds, caches, exports); ~0.3 s to import',
    'scipy': 'optional fast kernels; tens of MB',
    'matplotlib': 'plotting only (backtrader_ib[plot])',
    'IPython': 'inline figures in a notebook only',
    'bokeh': 'the HTML report only',
    'distributed': 'Dask executor only',
    'tqdm': 'progress bars only',
    'statsmodels': 'CointN only',
    'pyarrow': 'Parquet caches only',
    'pandas_market_calendars': 'exchange calendars only',
    'pytz': 'zone names given as strings, when pytz is installed',
    'winreg': 'Windows only (VisualChart)',
}


def _rel(mod: str) -> str:
    return mod[len(ig.PKG) + 1:]


def _fits(comp: list, prefixes: tuple) -> bool:
    return all(any(_rel(m) == p or _rel(m).startswith(p + '.') for p in prefixes)
               for m in comp)


def test_every_module_has_a_layer():
    for mod in MODS:
        ig.layer(mod)  # KeyError names a module missing from importgraph.LAYER_OF


def test_module_level_imports_have_no_cycle():
    """What Python runs at import time is a tree: no module sees another half built."""
    assert ig.cycles(ig.edges(IMPORTS, MODS)) == []


def test_module_level_imports_point_down():
    up = {(i.src, i.dst): i.line for i in ig.upward(IMPORTS, MODS)}
    new = {k: v for k, v in up.items() if k not in KNOWN_UPWARD}
    assert not new, 'module-level imports into a higher layer (importgraph.LAYERS): ' + \
        ', '.join(f'{_rel(s)}:{line} -> {_rel(d)}' for (s, d), line in new.items())
    gone = set(KNOWN_UPWARD) - set(up)
    assert not gone, f'remove from KNOWN_UPWARD: {sorted(gone)}'


def test_cycles_stay_in_the_known_groups():
    full = ig.cycles(ig.edges(IMPORTS, MODS, module_level=False))
    for comp in full:
        assert any(_fits(comp, p) for p in KNOWN_CYCLES.values()), \
            'a new import cycle: ' + ', '.join(_rel(m) for m in comp)
    gone = [why for why, p in KNOWN_CYCLES.items() if not any(_fits(c, p) for c in full)]
    assert not gone, f'remove from KNOWN_CYCLES: {gone}'


def test_engine_has_no_cycle_even_inside_functions():
    """Lines core, model, components, strategy, engine and optimize: no cycle at
    all, the imports inside functions counted."""
    engine = ('lineroot', 'linebuffer', 'lineseries', 'lineiterator', 'indicators',
              'analyzer', 'analyzers', 'observer', 'observers', 'strategy', 'signal',
              'cerebro', 'optreturn', 'optimize')
    for comp in ig.cycles(ig.edges(IMPORTS, MODS, module_level=False)):
        assert not any(_fits([m], engine) for m in comp), \
            'an engine import cycle: ' + ', '.join(_rel(m) for m in comp)


def test_imports_inside_functions_are_documented():
    lazy = {(_rel(i.src), _rel(i.dst)): i.line for i in IMPORTS
            if i.where and i.internal and i.dst != ig.PKG and not i.typeonly
            and ig.layer(i.src) != 'tools'}
    new = {k: v for k, v in lazy.items() if k not in KNOWN_LAZY}
    assert not new, 'imports inside functions (move them to module level, or add ' \
        'to KNOWN_LAZY with why): ' + ', '.join(f'{s}:{n} -> {d}' for (s, d), n in new.items())
    gone = set(KNOWN_LAZY) - set(lazy)
    assert not gone, f'remove from KNOWN_LAZY: {sorted(gone)}'


def test_outside_imports_inside_functions_are_optional_dependencies():
    bad = [f'{_rel(i.src) or ig.PKG}:{i.line} -> {i.dst}' for i in IMPORTS
           if i.where and not i.internal and i.dst not in OPTIONAL and i.where != '__main__']
    assert not bad, 'the standard library and NumPy go at module level; an optional ' \
        'dependency joins OPTIONAL with why: ' + ', '.join(bad)


def test_graph_reads_imports_as_python_runs_them():
    """Spot checks of the reader on this package's own idioms."""
    by = {(i.src, i.dst, i.where): i for i in IMPORTS}
    # relative module import, module level
    assert ('backtrader_ib.feeds.btcsv', 'backtrader_ib.feeds.csvbase', '') in by
    # `from . import shipping` names the submodule
    assert ('backtrader_ib.optimize.cluster', 'backtrader_ib.optimize.shipping', '') in by
    # inside a method, and the TYPE_CHECKING block is left out of the run-time graph
    assert ('backtrader_ib.feed', 'backtrader_ib.feeds.csvbase', '__getattr__') in by
    tc = by.get(('backtrader_ib.feed', 'backtrader_ib.feeds.csvbase', ''))
    assert tc is not None and tc.typeonly
    # an import of a submodule runs its package's __init__ too
    g = ig.edges(IMPORTS, MODS)
    assert 'backtrader_ib.stores' in g['backtrader_ib.feeds.ibdata']


def test_report_lists_imports_inside_functions(capsys):
    ig.report()
    out = capsys.readouterr().out
    assert '## Cycles, module-level imports: 0' in out
    for kind in ('cycle', 'up', 'internal', 'outside'):
        assert f'### {kind}:' in out
