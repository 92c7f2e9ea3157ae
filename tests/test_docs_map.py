"""The package map (README "Layout", docs/engine.md "Map of the package") names
only what exists, lists every package, and agrees with tests/importgraph.py."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import importgraph as ig

ROOT = Path(__file__).resolve().parents[1]
PKGDIR = ROOT / 'backtrader_ib'
NAMESPACES = ('backtrader_ib', 'backtrader_ib.feeds', 'backtrader_ib.brokers',
              'backtrader_ib.stores', 'backtrader_ib.ibsim')


def _section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find('\n## ', start + len(title))
    return text[start:end if end > 0 else None]


def _packages() -> set[str]:
    return {p.parent.name for p in PKGDIR.glob('*/__init__.py')}


def test_readme_layout_lists_every_package():
    layout = _section((ROOT / 'README.md').read_text(), '## Layout')
    listed = set(re.findall(r'^  ([a-z_]+)/ ', layout, re.M))
    assert listed == _packages(), (f'not listed: {sorted(_packages() - listed)}, '
                                   f'not packages: {sorted(listed - _packages())}')
    for name in re.findall(r'\b([a-z_]+\.py)\b', layout):
        assert (PKGDIR / name).exists() or any(PKGDIR.glob(f'*/{name}')), name


def _resolve(token: str) -> bool:
    """``module.attr...`` or ``Class.attr...`` of the package."""
    first, *rest = token.split('.')
    if first[0].islower():
        try:
            obj = importlib.import_module(f'backtrader_ib.{first}')
        except ImportError:
            return False
    else:
        for ns in NAMESPACES:
            obj = getattr(importlib.import_module(ns), first, None)
            if obj is not None:
                break
        else:
            return False
    for name in rest:
        if not hasattr(obj, name):
            return False
        obj = getattr(obj, name)
    return True


def test_engine_map_names_what_exists():
    section = _section((ROOT / 'docs' / 'engine.md').read_text(), '## Map of the package')
    checked = 0
    for token in re.findall(r'`([^`\n]+)`', section):
        if '/' in token and ' ' not in token:  # a path in the package
            path = token.rstrip('/')
            assert ((PKGDIR / path).exists() or (PKGDIR / f'{path}.py').exists()
                    or (ROOT / path).exists()), token
            checked += 1
        elif (re.fullmatch(r'[A-Za-z_]\w*(\.[A-Za-z_]\w*)+', token)
              and not token.endswith(('.py', '.md')) and not token.split('.')[0].isupper()):
            # module.attr or Class.attr (SYMBOL.VENUE-like placeholders are not names)
            assert _resolve(token), f'docs/engine.md names {token!r}, which does not exist'
            checked += 1
    assert checked > 40


def test_engine_layer_table_agrees_with_importgraph():
    section = _section((ROOT / 'docs' / 'engine.md').read_text(), '### Layers')
    names = {'base': 'base', 'lines core': 'lines', 'data and broker model': 'model',
             'components': 'components', 'strategy': 'strategy', 'engine': 'engine',
             'tools': 'tools'}
    rows = re.findall(r'^\| ([a-z ]+) \| (.+) \|$', section, re.M)
    assert [r[0] for r in rows if r[0] in names] == list(names)
    for title, cell in rows:
        if title not in names:
            continue
        for token in re.findall(r'`([^`]+)`', cell):
            mod = 'backtrader_ib.' + token.rstrip('/').replace('/', '.')
            assert ig.layer(mod) == names[title], f'{token}: importgraph says {ig.layer(mod)}'
