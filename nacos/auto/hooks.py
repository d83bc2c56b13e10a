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
* Python 3: ``fastapi.applications`` and ``uvicorn`` (:mod:`nacos.auto.asgi_hooks`).

:func:`activate` is what the implicit entry points call (the import trigger, the middleware, the Django app):
the process's registration plus these hooks. A bad setting there is ONE line on stderr and the app runs
unregistered (the launcher instead exits with status 2).
"""
from __future__ import absolute_import

import logging
import os
import sys

from . import notice, runtime
from .args import script_argv
from .importwatch import patch, when_imported, wrapping
from .wrap import wrap_wsgi

logger = logging.getLogger(__name__)
_refused = set()


def activate(config=None, **kwargs):
    """The process's Registration with the framework/server hooks installed, or None when the settings are
    invalid (said on stderr in one line; the app is left alone)."""
    from .config import SettingsError
    try:
        manager = runtime.activate(config, **kwargs)
    except SettingsError as exc:
        if str(exc) not in _refused:  # said once, not for every app the patches see
            _refused.add(str(exc))
            notice.say(logger, logging.ERROR, "not registering this app: %s", exc)
        return None
    install()
    return manager


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
    return [sys.executable, "-m", "nacos.auto.registration"] + runtime.launcher_argv() + script_argv(sys.argv)


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


def _inject(app):
    return wrap_wsgi(app, runtime.current())


def _flask(module):
    def make(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            _inject(self)
            _bind_settings(self)
        return __init__
    patch(module.Flask, "__init__", make)


def _bind_settings(app):
    """A Flask app made under the launcher with ``config:`` sources gets them in ``app.config``."""
    settings = sys.modules.get("nacos.settings")
    if settings is not None and settings._current[0] is not None:
        from ..settings.flask import bind
        bind(app)


def _django_wsgi(module):
    patch(module, "get_wsgi_application", wrapping(_inject))


def _django_basehttp(module):
    patch(module, "get_internal_wsgi_application", wrapping(_inject))


def install():
    """Watch the framework and server modules (idempotent)."""
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
