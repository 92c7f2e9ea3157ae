"""A stream wrapper that flushes after every write.

backtrader installs it on Windows consoles; importing the module is harmless
elsewhere, and existing scripts import it.
"""
import sys


class flushfile:
    def __init__(self, f):
        self.f = f

    def write(self, x):
        self.f.write(x)
        self.f.flush()

    def flush(self):
        self.f.flush()

    def __getattr__(self, name):
        return getattr(self.f, name)


class StdOutDevNull:
    """A sink for output that should go nowhere."""

    def __init__(self):
        self.stdout = sys.stdout
        sys.stdout = self

    def write(self, x):
        pass

    def flush(self):
        pass

    def stop(self):
        sys.stdout = self.stdout
