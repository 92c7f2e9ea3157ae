"""Print the first difference of each program and mode (the harness's triage view).

Usage: python tests/programs/report.py [p01 p02 ...]   (all programs by default)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import test_programs as tp  # noqa: E402


def check(name: str, mode: str, res: dict) -> str:
    ref = res['ref'][tp.reference_mode(mode, tp.forced_reference(name))]
    new = res['ib'][mode]
    if ref['error']:
        return 'REFERENCE FAILS: ' + ref['error'].strip().splitlines()[-1]
    out = tp.first_difference(ref['stdout'].splitlines(), new['stdout'].splitlines(),
                              'stdout line')
    if new['error']:
        return ('RAISES: ' + new['error'].strip().splitlines()[-1]
                + (' | ' + out.replace('\n', ' ') if out else ''))
    if out:
        return out.replace('\n', ' ')
    refdump = tp.last_values(ref['dump']) if mode in tp.SAVES_MEMORY else ref['dump']
    dump = tp.dump_difference(refdump, new['dump'])
    return dump.replace('\n', ' ')[:600] if dump else 'ok'


def main(prefixes: list) -> None:
    names = sorted({n for n, _ in tp.CASES
                    if not prefixes or any(n.startswith(p) for p in prefixes)})
    for n in names:
        tp._results[n] = tp._pool.submit(tp._run, n)
    for n in names:
        try:
            res = tp.result(n)
        except Exception as e:  # noqa: BLE001
            print(f'{n}: RUNNER FAILED {e}')
            continue
        for name, mode in tp.CASES:
            if name == n:
                print(f'{n} [{mode}]: {check(n, mode, res)}')
        sys.stdout.flush()


if __name__ == '__main__':
    main(sys.argv[1:])
