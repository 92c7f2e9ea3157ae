"""Shared fixtures: where the real market data lives, and the reference package."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get('BTIB_DATA_DIR', ROOT.parent / 'shared' / 'data' / 'backtrader-datas'))


def shared_file(name: str) -> str:
    """Path of a file in ../shared/data, or skip the test with the reason."""
    p = SHARED_DATA / name
    if not p.exists():
        pytest.skip(f'real market data {name} not found in {SHARED_DATA} '
                    '(set BTIB_DATA_DIR to the backtrader-datas folder)')
    return str(p)


@pytest.fixture
def shared():
    return shared_file
