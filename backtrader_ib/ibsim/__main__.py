"""``python -m backtrader_ib.ibsim``: ``backtrader-ib ibsim`` (backtrader_ib/cli/ibsim.py)."""
import sys

from ..cli.ibsim import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m backtrader_ib.ibsim"))
