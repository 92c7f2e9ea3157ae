"""Data feeds (``bt.feeds``)."""
from ..feed import DataBase, DataClone, FeedBase
from .csvbase import CSVDataBase, CSVFeedBase
from .btcsv import BacktraderCSV, BacktraderCSVData
from .chainer import Chainer
from .rollover import RollOver
from .pandafeed import PandasData, PandasDirectData
from .livequeue import FeedState, LiveQueueData
from .queuefeed import QueueData
from .csvgeneric import GenericCSV, GenericCSVData
from .yahoo import (YahooFinance, YahooFinanceCSV, YahooFinanceCSVData, YahooFinanceData,
                    YahooLegacyCSV)
from .vchartcsv import VChartCSV, VChartCSVData
from .sierrachart import SierraChartCSVData
from .mt4csv import MT4CSVData
from .vchart import VChartData, VChartFeed
from .vchartfile import MetaVChartFile, VChartFile
from .quandl import Quandl, QuandlCSV
from .blaze import BlazeData
from .influxfeed import TIMEFRAMES, InfluxDB
from .vcdata import MetaVCData, VCData
from .ibdata import IBBidAskData, IBData
from .ibticks import IBTickBidAskData, IBTickCSVData, IBTickData
from .oanda import OandaData
