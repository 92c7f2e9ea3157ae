"""Packaging for backtrader_ib."""
import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
# the version lives in backtrader_ib/version.py only (read, not imported: no numpy at build)
VERSION = re.search(r"^__version__ = '([^']+)'",
                    (HERE / 'backtrader_ib' / 'version.py').read_text(encoding='utf-8'),
                    re.M).group(1)

EXTRAS = {
    'ib': ['ib_insync>=0.9.86'],
    'ib_async': ['ib_async>=2.1.0'],
    'ibsim': ['numpy', 'pandas'],
    'talib': ['TA-Lib'],  # wheels bundle the C library (else pip needs it to build)
    'plot': ['matplotlib>=3.7', 'bokeh>=3.4,<4'],
    'dist': ['dask[distributed]', 'cloudpickle', 'tqdm'],  # pool and Dask optimisation
    'parquet': ['pyarrow'],  # backtrader-ib download -o x.parquet, IBStore(cache=...) as Parquet
    'calendars': ['pandas_market_calendars'],  # PandasMarketCalendar
    'bench': ['backtrader==1.9.78.123', 'backtesting'],
    'docs': ['mkdocs-material>=9,<10', 'mkdocstrings[python]>=0.25'],
}
# every optional feature: what installs from wheels on PyPI (bench and docs are tools)
EXTRAS['all'] = sorted({req for name in ('ib', 'ib_async', 'talib', 'plot', 'dist', 'parquet',
                                         'calendars')
                        for req in EXTRAS[name]})

setup(
    name='backtrader_ib',
    version=VERSION,
    description=('A fast, drop-in reimplementation of backtrader with a live '
                 'Interactive Brokers store and a simulated TWS for tests'),
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='MIT',
    python_requires='>=3.10',
    packages=find_packages(include=['backtrader_ib', 'backtrader_ib.*']),
    # py.typed: the package is typed (PEP 561); see backtrader_ib/mypy_plugin.py
    package_data={'backtrader_ib': ['py.typed', 'datas/*.csv', 'datas/*.md', 'ibsim/*.json',
                                    'ibsim/data/*']},
    include_package_data=True,
    install_requires=[
        'numpy>=1.24',
        'pandas>=2.0',
        'matplotlib>=3.7',
        'pytz',
        'ib_insync>=0.9.86',
    ],
    extras_require={
        'test': [
            'pytest>=7',
            'pytest-xdist',  # README's test command spreads the files over the cores
            'hypothesis>=6',
            'backtrader==1.9.78.123',  # the reference for differential tests
            'ib_insync==0.9.86',
            'ib_async==2.1.0',
            'tzdata',
            'TA-Lib',  # bt.talib's differential tests
            'bokeh>=3.4,<4',  # the HTML report's tests
            'dask[distributed]',  # optimisation tests on a LocalCluster
            'tqdm',
            'pandas_market_calendars',  # PandasMarketCalendar's tests
            'mkdocs-material>=9,<10', 'mkdocstrings[python]>=0.25',  # the docs build test
            'ruff', 'mypy>=1.8',  # tests/test_typing.py (lint, mypy on the public API)
            'build',  # tests/test_packaging.py (sdist and wheel)
            'pyarrow',  # the Parquet cache and download tests
            'nbclient', 'nbformat', 'ipykernel',  # tests/test_notebook.py (plot inline in Jupyter)
            'statsmodels',  # backtrader's OLS/Coint indicators, the reference for ours
        ],
        **EXTRAS,
    },
    entry_points={'console_scripts': ['backtrader-ib=backtrader_ib.cli:main']},
    classifiers=[  # the license is the license= field (SPDX), not a classifier
        'Programming Language :: Python :: 3',
        'Topic :: Office/Business :: Financial :: Investment',
    ],
)
