"""The WSGI middleware itself: :class:`NacosWSGIMiddleware` and :func:`wrap_wsgi` (the public entry point is
:func:`nacos.auto.middleware.wsgi.inject_wsgi_middleware`). An ASGI app handed to it gets the ASGI middleware
instead (:mod:`nacos.auto.asgi_wrap`): wrapping it for WSGI would turn every request into an error."""
from __future__ import absolute_import

import logging

from ..metrics import wsgi_app
from . import detect

logger = logging.getLogger(__name__)
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


def wrap_wsgi(app, manager):
    """``app`` with the middleware (a Flask app in place, anything else wrapped); ``app`` itself when
    ``manager`` is None (registration refused) or it is wrapped already. An ASGI app gets the ASGI one."""
    if manager is None:
        return app
    if detect.is_asgi(app):
        from .asgi_wrap import wrap_asgi
        logger.info("%s is an ASGI app: using the ASGI middleware", type(app).__name__)
        return wrap_asgi(app, manager)
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
