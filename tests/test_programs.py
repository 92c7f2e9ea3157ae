"""Complete backtrader programs (tests/programs/p*.py) run differentially.

Each program runs once under backtrader and once under backtrader_ib (aliased
as ``backtrader``) in every mode it declares (module constant ``MODES``); its
stdout and every line/analyzer value must be the same. One subprocess per
program runs all its modes on both packages (tests/programs/_runner.py); the
subprocesses run two at a time, started when the module's first test runs.
See tests/programs/README.md.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / 'tests' / 'programs'
sys.path.insert(0, str(PROGRAMS))
from _runner import MODES, SAVES_MEMORY, reference_mode  # noqa: E402

DEFAULT_MODES = ('runonce', 'preload', 'nopreload', 'nopreload-runonce',
                 'exactbars-1', 'exactbars-2', 'exactbars1', 'general-runonce', 'general-next')
TIMEOUT = 300


def _constants(path: Path) -> dict:
    """The program's literal module constants, read without running it."""
    return {node.targets[0].id: ast.literal_eval(node.value)
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            and getattr(node.targets[0], 'id', None) in ('MODES', 'REFERENCE_MODE')}


# Parsed once here, in the main thread: CPython 3.11's ast.parse is not safe to
# run in two threads at once (SystemError: AST constructor recursion depth mismatch).
CONSTANTS = {p.stem: _constants(p) for p in sorted(PROGRAMS.glob('p[0-9]*.py'))}


def constant(path: Path, name: str, default):
    return CONSTANTS[path.stem].get(name, default)


def declared_modes(path: Path) -> tuple:
    """The program's ``MODES = (...)`` constant (all default modes if absent)."""
    modes = tuple(constant(path, 'MODES', DEFAULT_MODES))
    unknown = set(modes) - set(MODES)
    assert not unknown, f'{path.name}: unknown modes {unknown}'
    return modes


def forced_reference(name: str) -> str | None:
    """``REFERENCE_MODE``: the one backtrader mode that works for this program."""
    return constant(PROGRAMS / f'{name}.py', 'REFERENCE_MODE', None)


CASES = [(p.stem, mode) for p in sorted(PROGRAMS.glob('p[0-9]*.py'))
         for mode in declared_modes(p)]

_pool = ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1))
_results: dict[str, Future] = {}


def _run(name: str, environ: dict) -> dict:
    path = PROGRAMS / f'{name}.py'
    env = dict(environ, PYTHONPATH=str(ROOT), MPLBACKEND='Agg', PYTHONHASHSEED='0',
               BTPROG_REFERENCE=forced_reference(name) or '')
    done = subprocess.run([sys.executable, str(PROGRAMS / '_runner.py'), str(path),
                           *declared_modes(path)], capture_output=True, text=True,
                          timeout=TIMEOUT, env=env, cwd=str(PROGRAMS))
    if done.returncode != 0:
        raise RuntimeError(f'runner failed for {name}:\n{done.stderr[-4000:]}')
    return json.loads(done.stdout)


def _submit(name: str) -> None:
    # the environment is copied here, in pytest's thread: it sets and deletes
    # PYTEST_CURRENT_TEST, and a copy made meanwhile in a pool thread can fail
    # (KeyError while iterating os.environ)
    _results[name] = _pool.submit(_run, name, dict(os.environ))


def result(name: str) -> dict:
    if name not in _results:
        _submit(name)
    return _results[name].result()


@pytest.fixture(scope='module', autouse=True)
def _start_selected(request):
    # start every selected program's subprocess now, so two run at a time
    for item in request.session.items:
        spec = getattr(item, 'callspec', None)
        if item.module is sys.modules[__name__] and spec and 'name' in spec.params:
            if spec.params['name'] not in _results:
                _submit(spec.params['name'])
    yield
    _pool.shutdown(wait=False, cancel_futures=True)  # after -x: start no more programs


def first_difference(ref: list, new: list, what: str) -> str | None:
    for i, (a, b) in enumerate(zip(ref, new)):
        if a != b:
            return (f'{what} {i + 1} differs:\n  backtrader:    {a!r}\n'
                    f'  backtrader_ib: {b!r}')
    if len(ref) != len(new):
        extra = (ref if len(ref) > len(new) else new)[min(len(ref), len(new))]
        return (f'{what}s: backtrader {len(ref)}, backtrader_ib {len(new)}; '
                f'first extra: {extra!r}')
    return None


def last_values(dump: list) -> list:
    """A full-memory dump as a memory-saving run records it: each line's last value."""
    return [[label, values if '.analyzer.' in label or label == '#run' else values[-1:]]
            for label, values in dump]


def dump_difference(ref: list, new: list) -> str | None:
    labels_ref, labels_new = [r[0] for r in ref], [r[0] for r in new]
    if labels_ref != labels_new:
        return first_difference(labels_ref, labels_new, 'dump label')
    for (label, a), (_, b) in zip(ref, new):
        if a != b:
            diff = first_difference(a, b, 'value')
            return f'{label}: {diff}'
    return None


def test_every_program_declares_known_modes():
    assert len({name for name, _ in CASES}) >= 40
    for p in PROGRAMS.glob('p[0-9]*.py'):
        assert 'import backtrader as bt' in p.read_text(), p.name


@pytest.mark.parametrize('name,mode', CASES, ids=[f'{n}-{m}' for n, m in CASES])
def test_program(name, mode):
    res = result(name)
    ref = res['ref'][reference_mode(mode, forced_reference(name))]
    new = res['ib'][mode]
    assert ref['error'] is None, f'{name} fails under backtrader:\n{ref["error"]}'
    assert ref['stdout'].strip(), f'{name} printed nothing under backtrader'
    assert ref['dump'], f'{name}: Cerebro.run was not called'
    out = first_difference(ref['stdout'].splitlines(), new['stdout'].splitlines(),
                           'stdout line')
    if new['error'] is not None:
        pytest.fail(f'{name} [{mode}] raises under backtrader_ib:\n{new["error"]}\n'
                    f'stdout so far: {out or "same"}')
    assert out is None, f'{name} [{mode}] {out}'
    refdump = last_values(ref['dump']) if mode in SAVES_MEMORY else ref['dump']
    dump = dump_difference(refdump, new['dump'])
    assert dump is None, f'{name} [{mode}] {dump}'
