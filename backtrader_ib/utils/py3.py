"""Python 2/3 names that backtrader code imports; here they are Python 3's."""
import builtins
import queue
import sys
from urllib.parse import quote as urlquote
from urllib.request import ProxyHandler, build_opener, install_opener, urlopen

PY2 = False
MAXINT = sys.maxsize
MININT = -sys.maxsize - 1
MAXFLOAT = sys.float_info.max
MINFLOAT = sys.float_info.min
string_types = (str,)
integer_types = (int,)

filter = builtins.filter
map = builtins.map
range = builtins.range
zip = builtins.zip
long = int
winreg = None


def cmp(a, b):
    return (a > b) - (a < b)


def bytes(x):
    return x.encode('utf-8')


def bstr(x):
    return str(x)


def iterkeys(d):
    return iter(d.keys())


def itervalues(d):
    return iter(d.values())


def iteritems(d):
    return iter(d.items())


def keys(d):
    return list(d.keys())


def values(d):
    return list(d.values())


def items(d):
    return list(d.items())


def with_metaclass(meta, *bases):
    """A stand-in base: ``class C(with_metaclass(M, B))`` makes ``C`` with
    metaclass ``M`` and bases exactly ``(B,)`` (the six idiom)."""
    bases = bases or (object,)

    class _Stand(type):
        # subclassing the stand-in builds the real class instead
        def __new__(mcls, name, _bases, dct):
            return meta(name, bases, dct)

        @classmethod
        def __prepare__(mcls, name, _bases):
            return meta.__prepare__(name, bases)

    return type.__new__(_Stand, 'temporary_class', (), {})


__all__ = ['PY2', 'MAXINT', 'MININT', 'MAXFLOAT', 'MINFLOAT', 'string_types',
           'integer_types', 'filter', 'map', 'range', 'zip', 'long', 'cmp',
           'bytes', 'bstr', 'iterkeys', 'itervalues', 'iteritems', 'keys',
           'values', 'items', 'with_metaclass', 'queue', 'urlquote',
           'urlopen', 'ProxyHandler', 'build_opener', 'install_opener',
           'winreg']
