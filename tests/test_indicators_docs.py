"""docs/indicators.md carries a reference table generated from the code;
this test regenerates it and fails if the page is out of date.

Regenerate: ``python tests/test_indicators_docs.py`` (rewrites the table).
"""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import backtrader_ib as bt

DOC = Path(__file__).resolve().parents[1] / 'docs' / 'indicators.md'
BEGIN, END = '<!-- reference:begin -->', '<!-- reference:end -->'
ABSTRACT = {'Indicator', 'MovingAverageBase', 'OperationN', 'PeriodN',
            'BaseApplyN', 'OscillatorMixIn', 'LinePlotterIndicator'}


def _param(v) -> str:
    if inspect.isclass(v) or inspect.isfunction(v) or inspect.isbuiltin(v):
        return getattr(v, '__name__', str(v))
    if isinstance(v, staticmethod):
        return v.__func__.__name__
    return repr(v)


def _classes():
    out = []
    for name in dir(bt.indicators):
        obj = getattr(bt.indicators, name)
        if (inspect.isclass(obj) and issubclass(obj, bt.Indicator)
                and obj.__name__ == name and not getattr(obj, 'aliased', '')
                and name not in ABSTRACT):
            out.append(obj)
    out.append(bt.studies.Fractal)
    return sorted(out, key=lambda c: (c.__module__, c.__name__))


def _aliases(cls) -> list:
    return list(cls.__dict__.get('alias', ()) or ())


def render() -> str:
    rows = ['| module | class | aliases | lines | params | formula |',
            '|---|---|---|---|---|---|']
    for cls in _classes():
        module = cls.__module__.replace('backtrader_ib.', '')
        aliases = ', '.join(a if isinstance(a, str) else a[0] for a in _aliases(cls))
        lines = ', '.join(cls.lines._getlines())
        params = ', '.join(f'{k}={_param(v)}' for k, v in cls.params._getitems())
        doc = (inspect.getdoc(cls) or '').split('\n\n')[0].replace('\n', ' ')
        doc = re.sub(r'\s+', ' ', doc).replace('|', '\\|')
        rows.append(f'| {module} | {cls.__name__} | {aliases} | {lines} | '
                    f'{params} | {doc} |')
    return '\n'.join(rows)


def _current() -> str:
    text = DOC.read_text(encoding='utf-8')
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def test_reference_is_up_to_date():
    assert _current() == render(), 'run: python tests/test_indicators_docs.py'


def test_counts():
    classes = _classes()
    assert len(classes) == 131  # 130 indicators + studies.Fractal


if __name__ == '__main__':
    text = DOC.read_text(encoding='utf-8')
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(f'{head}{BEGIN}\n{render()}\n{END}{tail}', encoding='utf-8')
