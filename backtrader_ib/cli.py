"""``backtrader-ib`` / ``python -m backtrader_ib``: run, ibsim, download."""
from __future__ import annotations

import sys

USAGE = """usage: backtrader-ib [--version] COMMAND [ARGS]

commands:
  run       run a backtest (backtrader's btrun): backtrader-ib run --help
  ibsim     start the simulated TWS / IB Gateway: backtrader-ib ibsim --help
  download  download IB history to CSV/Parquet: backtrader-ib download --help
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ('-h', '--help', 'help'):
        print(USAGE, end='')
        return 0
    if argv[0] in ('-V', '--version'):
        from .version import __version__
        print(f'backtrader-ib {__version__}')
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == 'run':
        from .btrun.btrun import UsageError, btrun
        try:
            btrun(rest)
        except UsageError as e:
            print(f'backtrader-ib run: error: {e}', file=sys.stderr)
            return 2
        return 0
    if cmd == 'ibsim':
        from .ibsim.__main__ import main as ibsim_main
        return ibsim_main(rest, prog='backtrader-ib ibsim')
    if cmd == 'download':
        from .stores.ibdownload import main as download_main
        return download_main(rest)
    print(f'backtrader-ib: unknown command {cmd!r}\n\n{USAGE}', file=sys.stderr, end='')
    return 2


if __name__ == '__main__':
    sys.exit(main())
