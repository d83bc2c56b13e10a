"""WSGI middleware: ``inject_wsgi_middleware(app)`` for Flask, Django's ``get_wsgi_application()`` or any
WSGI callable.

Wrapping an app activates the process's registration (:func:`nacos.auto.runtime.activate`): it registers
once the server listens (``registration.register_on_startup``) or on the first request
(``registration.register_on_request``), and deregisters at shutdown. Requests pass through untouched.
"""
from __future__ import absolute_import

from ...metrics import wsgi_app
from .. import runtime

FLAG = "_nacos_auto"


class NacosWSGIMiddleware(object):
    """Calls the wrapped app; tells the registration about the first request(s) until it is registered.
    Other attributes are read from the wrapped app."""

    def __init__(self, app, manager):
        self.__dict__["app"] = app
        self.__dict__["manager"] = manager
        self.__dict__[FLAG] = True

    def __call__(self, environ, start_response):
        manager = self.manager
        path = manager.settings.logging.metrics_path
        if path is not None and environ.get("PATH_INFO") == path:
            return wsgi_app(lambda: manager.client)(environ, start_response)
        if manager.state == "idle":
            manager.on_request(environ.get("SERVER_NAME"), environ.get("SERVER_PORT"))
        return self.app(environ, start_response)

    def __getattr__(self, name):
        return getattr(self.__dict__["app"], name)


def _framework(app):
    module = type(app).__module__ or ""
    return module.split(".")[0] or "wsgi"


def inject_wsgi_middleware(app, config=None):
    """Register ``app``'s service. A Flask app is changed in place (``app.wsgi_app`` wrapped) and returned;
    any other WSGI callable is returned wrapped (use the result). Idempotent.

    ``config``: a :class:`~nacos.auto.config.Settings`, a dict of dotted keys overriding env and file
    (``{"service.name": "orders"}``), or None. Only the first activation in a process takes settings."""
    manager = runtime.activate(config)
    inner = getattr(app, "wsgi_app", None)
    if inner is not None and callable(inner) and hasattr(app, "route"):  # Flask and look-alikes
        if not getattr(inner, FLAG, False):
            app.wsgi_app = NacosWSGIMiddleware(inner, manager)
        manager.app_ready(_framework(app))
        return app
    if getattr(app, FLAG, False):
        return app
    wrapped = NacosWSGIMiddleware(app, manager)
    manager.app_ready(_framework(app))
    return wrapped


def create_wsgi_middleware(config=None):
    """A decorator-style factory: ``app = create_wsgi_middleware()(app)``."""
    return lambda app: inject_wsgi_middleware(app, config)
