"""WSGI middleware: ``inject_wsgi_middleware(app)`` for Flask, Django's ``get_wsgi_application()`` or any
WSGI callable.

Wrapping an app activates the process's registration (:func:`nacos.auto.hooks.activate`): it registers once
the server listens (``registration.register_on_startup``) or on the first request
(``registration.register_on_request``), and deregisters at shutdown. Requests pass through untouched. An
ASGI app (FastAPI, Starlette, Django's ASGI handler) given here gets the ASGI middleware instead.
"""
from __future__ import absolute_import

from ..hooks import activate
from ..wrap import FLAG, NacosWSGIMiddleware, wrap_wsgi  # noqa: F401 - public names


def inject_wsgi_middleware(app, config=None):
    """Register ``app``'s service. A Flask app is changed in place (``app.wsgi_app`` wrapped) and returned;
    any other WSGI callable is returned wrapped (use the result). Idempotent. Invalid settings: one line on
    stderr, and ``app`` is returned as it is.

    ``config``: a :class:`~nacos.auto.config.Settings`, a dict of dotted keys overriding env and file
    (``{"service.name": "orders"}``), or None. Only the first activation in a process takes settings."""
    return wrap_wsgi(app, activate(config))


def create_wsgi_middleware(config=None):
    """A decorator-style factory: ``app = create_wsgi_middleware()(app)``."""
    return lambda app: inject_wsgi_middleware(app, config)
