"""The documentation site: every page reachable from the nav, a strict
mkdocs build, and the getting-started example runs as written."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / 'docs'


def _nav_pages() -> set:
    text = (ROOT / 'mkdocs.yml').read_text()
    nav = text[text.index('\nnav:'):]
    return set(re.findall(r':\s*([\w./-]+\.md)\s*$', nav, re.M))


def test_every_page_is_in_the_nav():
    pages = {p.name for p in DOCS.glob('*.md')}
    assert pages - _nav_pages() == set(), 'pages missing from mkdocs.yml nav'
    assert _nav_pages() - pages == set(), 'nav entries without a page'


def test_strict_build(tmp_path):
    if shutil.which('mkdocs') is None and subprocess.run(
            [sys.executable, '-c', 'import mkdocs, material, mkdocstrings'],
            capture_output=True).returncode:
        pytest.skip('mkdocs-material / mkdocstrings not installed (pip install -e .[docs])')
    done = subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '--strict', '-q',
                           '-d', str(tmp_path / 'site')], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={'NO_MKDOCS_2_WARNING': '1',
                                                       **__import__('os').environ})
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / 'site' / 'api' / 'index.html').exists()


def test_getting_started_example_runs(tmp_path, monkeypatch):
    code = re.findall(r'```python\n(.*?)```', (DOCS / 'getting-started.md').read_text(), re.S)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, 'getting-started.md', 'exec'), {'__name__': '__doc_example__'})
    assert (tmp_path / 'run.png').stat().st_size > 10_000
