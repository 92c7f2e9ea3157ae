"""Data filters (``bt.filters``): not implemented yet."""
