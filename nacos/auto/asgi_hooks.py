"""Python 3 hooks (imported lazily by :func:`nacos.auto.hooks.install`): FastAPI app creation and uvicorn.

* ``FastAPI.__init__`` ends with :func:`nacos.auto.middleware.asgi.inject_asgi_middleware`.
* ``uvicorn.server.Server.startup`` reports the address of the sockets uvicorn bound (uvicorn binds after
  the lifespan startup, so the port is only known here).
* ``django.core.asgi.get_asgi_application`` returns a wrapped app.
"""
import logging

from . import runtime
from .hooks import patch, wrapping

logger = logging.getLogger(__name__)


def _uvicorn(module):
    def make(original):
        async def startup(self, *args, **kwargs):
            result = await original(self, *args, **kwargs)
            for server in getattr(self, "servers", None) or []:
                for sock in getattr(server, "sockets", None) or []:
                    address = sock.getsockname()
                    if isinstance(address, tuple):
                        runtime.server_started(address[0], address[1], "uvicorn")
                        return result
            return result
        return startup
    patch(module.Server, "startup", make)


def _fastapi(module):
    def make(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            from .middleware.asgi import inject_asgi_middleware
            inject_asgi_middleware(self)
        return __init__
    patch(module.FastAPI, "__init__", make)


def _django_asgi(module):
    from .middleware.asgi import inject_asgi_middleware
    patch(module, "get_asgi_application", wrapping(inject_asgi_middleware))


def install(when_imported):
    when_imported("uvicorn.server", _uvicorn)
    when_imported("fastapi.applications", _fastapi)
    when_imported("django.core.asgi", _django_asgi)
