"""Packaging for backtrader_ib."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent

setup(
    name='backtrader_ib',
    version='0.1.0',
    description=('A fast, drop-in reimplementation of backtrader with a live '
                 'Interactive Brokers store and a simulated TWS for tests'),
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='MIT',
    python_requires='>=3.10',
    packages=find_packages(include=['backtrader_ib', 'backtrader_ib.*']),
    package_data={'backtrader_ib': ['datas/*.csv', 'datas/*.md', 'ibsim/*.json',
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
        ],
        'ib': ['ib_insync>=0.9.86'],
        'ibsim': ['numpy', 'pandas'],
        'talib': ['TA-Lib'],
        'ib_async': ['ib_async>=2.1.0'],
        'plot': ['matplotlib>=3.7', 'bokeh>=3.4,<4'],
        'dist': ['dask[distributed]', 'cloudpickle', 'tqdm'],  # pool and Dask optimisation
        'bench': ['backtrader==1.9.78.123', 'backtesting'],
        'docs': ['mkdocs-material>=9,<10', 'mkdocstrings[python]>=0.25'],
    },
    entry_points={'console_scripts': ['backtrader-ib=backtrader_ib.cli:main']},
    classifiers=[
        'License :: OSI Approved :: MIT License',
        'Programming Language :: Python :: 3',
        'Topic :: Office/Business :: Financial :: Investment',
    ],
)
