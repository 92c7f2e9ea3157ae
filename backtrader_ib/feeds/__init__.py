"""Data feeds (``bt.feeds``)."""
from ..feed import CSVDataBase, DataBase, DataClone, FeedBase
from .btcsv import BacktraderCSV, BacktraderCSVData
from .chainer import Chainer
from .rollover import RollOver
from .pandafeed import PandasData, PandasDirectData
from .queuefeed import QueueData
from .csvgeneric import GenericCSV, GenericCSVData
from .yahoo import YahooFinanceCSV, YahooFinanceCSVData, YahooLegacyCSV
from .ibdata import IBData
