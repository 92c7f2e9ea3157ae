"""Brokers (``bt.brokers``)."""
from .bbroker import BackBroker, BrokerBack
