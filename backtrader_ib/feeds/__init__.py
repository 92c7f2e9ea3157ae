"""Data feeds (``bt.feeds``)."""
from ..feed import CSVDataBase, DataBase, DataClone, FeedBase
from .btcsv import BacktraderCSV, BacktraderCSVData
from .pandafeed import PandasData, PandasDirectData
