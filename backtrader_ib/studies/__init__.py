"""Studies (``bt.studies``): not implemented yet."""
