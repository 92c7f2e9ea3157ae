"""Shared fixtures: where the real market data lives, and the skip guard."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the market data ships in tests/data (tests/data/README.md); BTIB_DATA_DIR points elsewhere
SHARED_DATA = Path(os.environ.get('BTIB_DATA_DIR') or ROOT / 'tests' / 'data')


def shared_file(name: str) -> str:
    """Path of a market data file of tests/data (or BTIB_DATA_DIR)."""
    p = SHARED_DATA / name
    if not p.exists():
        pytest.skip(f'market data {name} not found in {SHARED_DATA} '
                    '(tests/data ships it; BTIB_DATA_DIR overrides the folder)')
    return str(p)


# -- the skip guard ---------------------------------------------------------------------
# A skip for a missing file or package means the run did not test what it claims to: a
# fresh clone with `pip install -e .[test]` has them all. More than MAX_MISSING_SKIPS such
# skips fail the session. BTIB_SKIP_GUARD=0 turns it off for environments that leave a
# package out on purpose (tox's ib_async-only).
MAX_MISSING_SKIPS = 3
MISSING = re.compile(r'not installed|not found|no module named|could not import', re.I)
_missing_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if MISSING.search(reason):
            _missing_skips.append(f'{report.nodeid}: {reason}')


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get('BTIB_SKIP_GUARD', '1') == '0' or len(_missing_skips) <= MAX_MISSING_SKIPS:
        return
    reporter = session.config.pluginmanager.get_plugin('terminalreporter')
    if reporter is not None:
        reporter.write_line(f'skip guard: {len(_missing_skips)} tests skipped for a missing file '
                            f'or package (at most {MAX_MISSING_SKIPS}); install the [test] '
                            'extra or set BTIB_SKIP_GUARD=0:', red=True)
        for line in _missing_skips[:20]:
            reporter.write_line(f'  {line}')
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def shared():
    return shared_file
