"""Run callbacks when (or if already) a module is imported, and patch attributes once.

The import hook is a ``sys.meta_path`` finder that lets the normal machinery load a watched module and then
runs the callbacks (``find_spec`` on Python 3, ``find_module``/``load_module`` on 2.7). A failing callback is
logged and never breaks the app's import.
"""
from __future__ import absolute_import

import functools
import logging
import sys
import threading

logger = logging.getLogger(__name__)

_callbacks = {}      # module name -> [callback(module)]
_done = set()
_lock = threading.RLock()
_installed = []
MARK = "_nacos_auto_patched"


def when_imported(name, callback):
    """Run ``callback(module)`` once ``name`` is imported (now, if it already is)."""
    with _lock:
        module = sys.modules.get(name)
        if module is None:
            _callbacks.setdefault(name, []).append(callback)
            _ensure_finder()
            return
    _run(name, callback, module)


def _run(name, callback, module):
    key = (name, getattr(callback, "__name__", repr(callback)))
    with _lock:
        if key in _done:
            return
        _done.add(key)
    try:
        callback(module)
    except Exception:  # noqa: BLE001 - a hook must never break the app's import
        logger.exception("nacos.auto hook for %s failed", name)


def _fire(name, module):
    with _lock:
        callbacks = _callbacks.pop(name, [])
    for callback in callbacks:
        _run(name, callback, module)


class _Loader(object):
    """Python 3: the real loader, then the callbacks."""

    def __init__(self, loader, name):
        self.__dict__["_loader"] = loader
        self.__dict__["_name"] = name

    def create_module(self, spec):
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        self._loader.exec_module(module)
        _fire(self._name, module)

    def __getattr__(self, attr):
        return getattr(self._loader, attr)


class _Finder(object):
    def __init__(self):
        self._busy = threading.local()

    def _claim(self, name):
        busy = getattr(self._busy, "names", None)
        if busy is None:
            busy = self._busy.names = set()
        if name not in _callbacks or name in busy:
            return None
        return busy

    def find_spec(self, name, path=None, target=None):
        busy = self._claim(name)
        if busy is None:
            return None
        import importlib.util
        busy.add(name)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            busy.discard(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _Loader(spec.loader, name)
        return spec

    def find_module(self, name, path=None):  # Python 2.7
        return self if self._claim(name) is not None else None

    def load_module(self, name):  # Python 2.7
        busy = self._claim(name)
        if busy is not None:
            busy.add(name)
        try:
            __import__(name)
        finally:
            if busy is not None:
                busy.discard(name)
        module = sys.modules[name]
        _fire(name, module)
        return module


def _ensure_finder():
    if not _installed:
        finder = _Finder()  # Python 3 calls find_spec only; 2.7 calls find_module only
        sys.meta_path.insert(0, finder)
        _installed.append(finder)


def patch(owner, attr, make):
    """Replace ``owner.attr`` with ``make(original)`` once."""
    original = getattr(owner, attr, None)
    if original is None or getattr(original, MARK, False):
        return
    wrapper = make(original)
    functools.update_wrapper(wrapper, original)
    setattr(wrapper, MARK, True)
    setattr(owner, attr, wrapper)




def wrapping(inject):
    """``make`` for :func:`patch`: the getter returns ``inject(original result)``."""
    def make(original):
        def getter(*args, **kwargs):
            return inject(original(*args, **kwargs))
        return getter
    return make
