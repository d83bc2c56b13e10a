"""Framework and server hooks, applied when (or if already) the module is imported.

* ``flask.app``: ``Flask.__init__`` ends with :func:`inject_wsgi_middleware`.
* ``django.core.wsgi`` / ``django.core.asgi`` / ``django.core.servers.basehttp``: ``get_wsgi_application``,
  ``get_asgi_application`` and runserver's ``get_internal_wsgi_application`` return wrapped apps (so a
  ``wsgi.py`` under gunicorn/uwsgi is covered, not only runserver).
* ``werkzeug.serving`` and ``wsgiref.simple_server`` (Django runserver): ``serve_forever`` reports the bound
  socket's address; ``run_simple(use_reloader=True)`` outside ``WERKZEUG_RUN_MAIN`` marks a reloader parent.
* ``django.utils.autoreload.restart_with_reloader`` marks a reloader parent.
* In a werkzeug or Django reloader child, the reloader's main loop first puts the shutdown handler back in
  front of the reloader's own ``SIGTERM -> sys.exit(0)``.
* Under the launcher, the werkzeug and Django reloaders restart their child through the launcher.
* Python 3: ``fastapi.applications`` and ``uvicorn.server`` (:mod:`nacos.auto.asgi_hooks`).

The import hook is a ``sys.meta_path`` finder that lets the normal machinery load a watched module and then
runs the callbacks (``find_spec`` on Python 3, ``find_module``/``load_module`` on 2.7).
"""
from __future__ import absolute_import

import functools
import logging
import os
import sys
import threading

from . import runtime

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


# ------------------------------------------------------------------------------------------------ WSGI
def _report(server, source):
    try:
        address = server.socket.getsockname()
    except Exception:  # noqa: BLE001 - a closed or unusual socket: nothing to report
        return
    if isinstance(address, tuple):
        runtime.server_started(address[0], address[1], source)


def _serve_forever(source):
    def make(original):
        def serve_forever(self, *args, **kwargs):
            _report(self, source)
            return original(self, *args, **kwargs)
        return serve_forever
    return make


def _werkzeug(module):
    patch(module.BaseWSGIServer, "serve_forever", _serve_forever("werkzeug"))

    def make(original):
        def run_simple(*args, **kwargs):
            use_reloader = kwargs.get("use_reloader", args[3] if len(args) > 3 else False)
            if use_reloader and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
                runtime.reloader_parent("werkzeug")
            return original(*args, **kwargs)
        return run_simple
    patch(module, "run_simple", make)


def _wsgiref(module):
    patch(module.WSGIServer, "serve_forever", _serve_forever("wsgiref"))


def _child_args():
    return [sys.executable, "-m", "nacos.auto.registration"] + runtime.launcher_argv() + sys.argv


def _werkzeug_reloader(module):
    if runtime.launcher_argv() is not None:
        patch(module, "_get_args_for_reloading", lambda original: lambda: _child_args())

    def make(original):
        def restart_with_reloader(self, *args, **kwargs):
            runtime.reloader_parent("werkzeug", restarting=True)
            return original(self, *args, **kwargs)
        return restart_with_reloader
    patch(module.ReloaderLoop, "restart_with_reloader", make)
    for loop in [module.ReloaderLoop] + list(getattr(module, "reloader_loops", {}).values()):
        patch(loop, "run", _child_main_loop("werkzeug"))


def _child_main_loop(source):
    """The reloader's loop, run by its child on the main thread after the reloader set its own SIGTERM
    handler: put ours back in front of it (see :func:`runtime.reloader_child`)."""
    def make(original):
        def run(*args, **kwargs):
            runtime.reloader_child(source)
            return original(*args, **kwargs)
        return run
    return make


def _django_autoreload(module):
    def make(original):
        def restart_with_reloader(*args, **kwargs):
            runtime.reloader_parent("django", restarting=True)
            if runtime.launcher_argv() is not None:
                if hasattr(module, "get_child_arguments"):  # Django >= 2.2
                    module.get_child_arguments = _child_args
                else:  # Django 1.11 runs [sys.executable] + warnoptions + sys.argv
                    sys.argv[:] = _child_args()[1:]
            return original(*args, **kwargs)
        return restart_with_reloader
    patch(module, "restart_with_reloader", make)
    patch(module, "start_django", _child_main_loop("django"))     # Django >= 2.2, in the child
    patch(module, "reloader_thread", _child_main_loop("django"))  # Django 1.11, in the child


def _flask(module):
    def make(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            from .middleware.wsgi import inject_wsgi_middleware
            inject_wsgi_middleware(self)
        return __init__
    patch(module.Flask, "__init__", make)


def wrapping(inject):
    def make(original):
        def getter(*args, **kwargs):
            return inject(original(*args, **kwargs))
        return getter
    return make


def _django_wsgi(module):
    from .middleware.wsgi import inject_wsgi_middleware
    patch(module, "get_wsgi_application", wrapping(inject_wsgi_middleware))


def _django_basehttp(module):
    from .middleware.wsgi import inject_wsgi_middleware
    patch(module, "get_internal_wsgi_application", wrapping(inject_wsgi_middleware))


def install():
    when_imported("werkzeug.serving", _werkzeug)
    when_imported("werkzeug._reloader", _werkzeug_reloader)
    when_imported("wsgiref.simple_server", _wsgiref)
    when_imported("flask.app", _flask)
    when_imported("django.core.wsgi", _django_wsgi)
    when_imported("django.core.servers.basehttp", _django_basehttp)
    when_imported("django.utils.autoreload", _django_autoreload)
    if sys.version_info >= (3, 6):
        from . import asgi_hooks
        asgi_hooks.install(when_imported)
