"""``backtrader-ib run``: backtrader's btrun.

Its options and the run itself live in backtrader_ib/btrun/btrun.py, at
backtrader's module path (``backtrader.btrun.btrun``: ``btrun(pargs)``,
``parse_args(pargs)``), so code calling backtrader's btrun works unchanged.
Here a bad command line becomes a one-line error and exit status 2.
"""
from __future__ import annotations

import sys

from ..btrun.btrun import UsageError, btrun


def main(argv: list[str] | None = None) -> int:
    """Run ``backtrader-ib run`` with ``argv``; the exit status."""
    try:
        btrun(argv)
    except UsageError as e:
        print(f'backtrader-ib run: error: {e}', file=sys.stderr)
        return 2
    return 0
