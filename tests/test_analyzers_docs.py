"""docs/analyzers.md: its examples run and print exactly the samples shown."""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / 'docs' / 'analyzers.md'


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf'```{lang}\n(.*?)```', text, flags=re.S)


def _run(code: str) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, str(DOC), 'exec'), {'__name__': '__doc_example__'})
    return buf.getvalue()


@pytest.mark.parametrize('section', [('## Reference, with sample output', '## Writing an analyzer'),
                                     ('## Writing an analyzer', '## Observers')])
def test_doc_samples_are_what_the_examples_print(section):
    text = _section(DOC.read_text(), *section)
    code = next(b for b in _blocks(text, 'python') if 'cerebro.run()' in b)
    out = _run(code)
    samples = _blocks(text, 'text')
    assert len(samples) >= 1
    for sample in samples:
        assert sample in out, f'sample not printed by the example:\n{sample}'
