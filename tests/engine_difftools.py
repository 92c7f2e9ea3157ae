"""Shared by the engine differential tests: the general-path switch as a
fixture, and value formatting that never reads a line before its first bar
(backtrader wraps around to the end of the array there)."""
from __future__ import annotations

import pytest

from difftools import num


@pytest.fixture(params=['fast', 'general'])
def general_path(request, monkeypatch):
    """Run the test with the fast paths (default) and with BTIB_GENERAL_PATH=1."""
    if request.param == 'general':
        monkeypatch.setenv('BTIB_GENERAL_PATH', '1')
    else:
        monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    return request.param


def vals(obj, agos=(0, -1)) -> list:
    """len(obj) and, per line, the values ``agos`` back that exist."""
    n = len(obj)
    out: list = [n]
    for line in obj.lines:
        out.append(tuple(num(line[ago]) if n > -ago else None for ago in agos))
    return out
