"""Brokers (``bt.brokers``)."""
from .bbroker import BackBroker, BrokerBack
from .ibbroker import IBBroker
from .vcbroker import VCBroker
from .oandabroker import OandaBroker
