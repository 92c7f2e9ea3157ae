"""Stores (``bt.stores``): live data/broker connections. The IB store lands here."""
