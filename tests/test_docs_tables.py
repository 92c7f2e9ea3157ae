"""docs/*.md: no stray line inside a table (a row cut off, or text between rows)."""
from __future__ import annotations

from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / 'docs'


@pytest.mark.parametrize('page', sorted(DOCS.glob('*.md')), ids=lambda p: p.name)
def test_tables_have_no_stray_lines(page):
    lines = page.read_text(encoding='utf-8').splitlines()
    stray = [f'{page.name}:{i + 1}: {line!r}' for i, line in enumerate(lines[1:-1], 1)
             if line.strip() and not line.startswith('|')
             and lines[i - 1].startswith('|') and lines[i + 1].startswith('|')]
    assert not stray
