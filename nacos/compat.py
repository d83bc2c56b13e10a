"""Python 2/3 differences, in one place (the rest of the package never branches on the version)."""
from __future__ import absolute_import

import sys

PY2 = sys.version_info[0] == 2
#: no ``os.register_at_fork`` (Python 2.7 and 3.6): fork is noticed by pid checks at use
NO_AT_FORK = not hasattr(__import__("os"), "register_at_fork")

if PY2:  # pragma: no cover - exercised on 2.7 only
    string_types = (str, unicode)  # noqa: F821
    text_type = unicode  # noqa: F821
    binary_type = str
    integer_types = (int, long)  # noqa: F821
    from urllib import quote, unquote_plus, urlencode  # noqa: F401
    from urlparse import urlsplit, urlunsplit  # noqa: F401
    import Queue as queue  # noqa: F401
else:
    string_types = (str,)
    text_type = str
    binary_type = bytes
    integer_types = (int,)
    from urllib.parse import quote, unquote_plus, urlencode, urlsplit, urlunsplit  # noqa: F401
    import queue  # noqa: F401

try:
    from time import monotonic
except ImportError:  # pragma: no cover - Python 2.7
    monotonic = None
    try:
        import ctypes
        import ctypes.util

        class _timespec(ctypes.Structure):
            _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]

        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        _clock_gettime = _libc.clock_gettime
        _clock_gettime.argtypes = [ctypes.c_int, ctypes.POINTER(_timespec)]
        _CLOCK_MONOTONIC = 1  # Linux and the BSDs agree on neither; Linux is 1, macOS 6

        if sys.platform == "darwin":
            _CLOCK_MONOTONIC = 6

        def monotonic():  # noqa: F811
            """CLOCK_MONOTONIC through libc: immune to wall-clock jumps."""
            ts = _timespec()
            if _clock_gettime(_CLOCK_MONOTONIC, ctypes.byref(ts)) != 0:
                raise OSError(ctypes.get_errno(), "clock_gettime failed")
            return ts.tv_sec + ts.tv_nsec * 1e-9

        monotonic()
    except Exception:
        import threading as _threading
        import time as _time

        _mono_lock = _threading.Lock()
        _mono_last = [0.0]

        def monotonic():  # noqa: F811
            """Fallback: wall clock that at least never goes backwards within the process."""
            now = _time.time()
            with _mono_lock:
                if now < _mono_last[0]:
                    now = _mono_last[0]
                _mono_last[0] = now
            return now


def to_text(value, encoding="utf-8"):
    if isinstance(value, binary_type):
        return value.decode(encoding)
    return value


def to_bytes(value, encoding="utf-8"):
    if isinstance(value, text_type):
        return value.encode(encoding)
    return value


class LazyModule(object):
    """A module that is imported on its first attribute access (``requests = LazyModule("requests")``), so
    that ``import nacos`` does not pay for what only some calls use."""

    def __init__(self, name):
        self.__dict__["_lazy_name"] = name
        self.__dict__["_lazy_module"] = None

    def _load(self):
        module = self.__dict__["_lazy_module"]
        if module is None:
            import importlib
            module = importlib.import_module(self.__dict__["_lazy_name"])
            self.__dict__["_lazy_module"] = module
        return module

    def __getattr__(self, attr):
        return getattr(self._load(), attr)

    def __repr__(self):
        return "<lazy module %r>" % (self.__dict__["_lazy_name"],)
