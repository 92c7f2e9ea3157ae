"""The sdist and the wheel build (``python -m build``) and hold what the
package needs at run time (its data files) and what the sdist promises
(license, readme, changelog, docs, samples, tests)."""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# network trouble while pip fills the isolated build environment
OFFLINE = re.compile(r'No matching distribution|Could not find a version|Failed to establish|'
                     r'Temporary failure in name resolution|Network is unreachable')


def _source_tree(dest: Path) -> Path:
    """The files of the checkout that git does not ignore (else the tree without
    caches), copied to ``dest``: the build never writes into the checkout."""
    try:
        names = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others',
                                '--exclude-standard'], cwd=ROOT, capture_output=True,
                               check=True).stdout.decode().split('\0')
    except (OSError, subprocess.CalledProcessError):
        names = None
    if names:
        for name in filter(None, names):
            src = ROOT / name
            if src.is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / name)
    else:
        shutil.copytree(ROOT, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            '.git', '.tox', '.venv', 'build', 'dist', '*.egg-info', '__pycache__',
            '.*_cache', '.hypothesis', 'site'))
    return dest


@pytest.fixture(scope='module')
def built(tmp_path_factory) -> dict:
    if importlib.util.find_spec('build') is None:
        pytest.skip('the build tool is not installed (pip install build, or -e .[test])')
    tmp = tmp_path_factory.mktemp('pkg')
    src = _source_tree(tmp / 'src')
    done = subprocess.run([sys.executable, '-m', 'build', '--sdist', '--wheel',
                           '--outdir', str(tmp / 'dist'), str(src)],
                          capture_output=True, text=True, timeout=600)
    log = done.stdout + done.stderr
    if done.returncode and OFFLINE.search(log):
        pytest.skip('no network for the isolated build environment (setuptools, wheel)')
    assert done.returncode == 0, log
    (wheel,) = (tmp / 'dist').glob('*.whl')
    (sdist,) = (tmp / 'dist').glob('*.tar.gz')
    return {'wheel': wheel, 'sdist': sdist, 'log': log}


def _version() -> str:
    text = (ROOT / 'backtrader_ib' / 'version.py').read_text()
    return re.search(r"__version__ = '([^']+)'", text).group(1)


def test_names_carry_the_version(built):
    v = _version()
    assert built['wheel'].name == f'backtrader_ib-{v}-py3-none-any.whl'
    assert built['sdist'].name == f'backtrader_ib-{v}.tar.gz'


def test_wheel_holds_the_data_files(built):
    names = set(zipfile.ZipFile(built['wheel']).namelist())
    pkg = ROOT / 'backtrader_ib'
    data = {f'backtrader_ib/{p.relative_to(pkg).as_posix()}'
            for p in pkg.rglob('*') if p.is_file() and p.suffix not in ('.py', '.pyc')
            and '__pycache__' not in p.parts}
    assert data, 'no data files found in the package'
    assert data - names == set(), 'package files missing from the wheel'
    assert {'backtrader_ib/datas/orcl-1995-2014.csv', 'backtrader_ib/py.typed',
            'backtrader_ib/stores/ibdownload.py', 'backtrader_ib/mypy_plugin.py'} <= names
    # every module of the package, and nothing from outside it
    modules = {f'backtrader_ib/{p.relative_to(pkg).as_posix()}' for p in pkg.rglob('*.py')}
    assert modules - names == set()
    assert not [n for n in names if n.startswith(('tests/', 'samples/', 'docs/', 'bench/'))]
    assert not [n for n in names if '__pycache__' in n or n.endswith('.pyc')]


def test_wheel_metadata(built):
    zf = zipfile.ZipFile(built['wheel'])
    info = next(n for n in zf.namelist() if n.endswith('.dist-info/METADATA'))
    meta = zf.read(info).decode()
    assert f'Version: {_version()}' in meta
    extras = {re.sub(r'[-_.]+', '-', line.split(':', 1)[1].strip().lower())
              for line in meta.splitlines() if line.startswith('Provides-Extra:')}
    assert {'ib', 'ib-async', 'plot', 'dist', 'talib', 'parquet', 'all'} <= extras, extras
    alldeps = {line.split(':', 1)[1].split(';')[0].strip() for line in meta.splitlines()
               if line.startswith('Requires-Dist:') and re.search(r"extra == [\"']all[\"']", line)}
    for name in ('ib_insync', 'ib_async', 'bokeh', 'dask[distributed]', 'cloudpickle', 'tqdm',
                 'TA-Lib', 'pyarrow'):
        assert any(d.startswith(name) for d in alldeps), (name, alldeps)
    entry = next(n for n in zf.namelist() if n.endswith('.dist-info/entry_points.txt'))
    assert 'backtrader-ib = backtrader_ib.cli:main' in zf.read(entry).decode()


def test_sdist_contents(built):
    with tarfile.open(built['sdist']) as tf:
        names = {n.split('/', 1)[1] for n in tf.getnames() if '/' in n}
    for name in ('LICENSE', 'README.md', 'CHANGELOG.md', 'setup.py', 'MANIFEST.in',
                 'mypy.ini', 'tox.ini', 'backtrader_ib/version.py',
                 'backtrader_ib/datas/orcl-1995-2014.csv', 'backtrader_ib/py.typed',
                 'docs/cli.md', 'samples/ib_download.py', 'tests/test_packaging.py'):
        assert name in names, name
    assert not [n for n in names if '__pycache__' in n or n.endswith('.pyc')]
