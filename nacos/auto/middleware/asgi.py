"""ASGI middleware (Python 3 only): ``inject_asgi_middleware(app)`` for FastAPI/Starlette, Django's
``get_asgi_application()`` or any ASGI app.

Lifespan events are used where the server sends them: ``lifespan.shutdown`` deregisters before the app's
own shutdown runs. Registration starts when the server listens (uvicorn reports its sockets; else the port
this process listens on), or on the first request. For an explicit lifespan instead of a middleware, see
:func:`nacos.auto.asgi_lifespan.nacos_lifespan`.
"""
from ..asgi_wrap import FLAG, NacosASGIMiddleware, wrap_asgi  # noqa: F401 - public names
from ..hooks import activate


def inject_asgi_middleware(app, config=None):
    """Register ``app``'s service. Starlette/FastAPI apps get the middleware added in place (returned);
    any other ASGI app is returned wrapped (use the result). Idempotent. ``config`` as for
    :func:`nacos.auto.middleware.wsgi.inject_wsgi_middleware`."""
    return wrap_asgi(app, activate(config))


def create_asgi_middleware(config=None):
    """A decorator-style factory: ``app = create_asgi_middleware()(app)``."""
    return lambda app: inject_asgi_middleware(app, config)
