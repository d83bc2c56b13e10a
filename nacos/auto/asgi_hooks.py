"""Python 3 hooks (imported lazily by :func:`nacos.auto.hooks.install`): FastAPI app creation and uvicorn.

* ``FastAPI.__init__`` ends with the ASGI middleware (:func:`nacos.auto.asgi_wrap.wrap_asgi`).
* ``uvicorn.server.Server.startup`` reports the address of the sockets uvicorn bound (uvicorn binds after
  the lifespan startup, so the port is only known here).
* ``uvicorn.supervisors.Multiprocess`` (``uvicorn --workers N``): its workers are started with ``spawn`` and
  never load this module, so the supervisor, which holds the listening socket, registers the instance and
  takes it down when it stops.
* ``django.core.asgi.get_asgi_application`` returns a wrapped app.
"""
import logging

from . import runtime
from .asgi_wrap import wrap_asgi
from .importwatch import patch, wrapping

logger = logging.getLogger(__name__)


def _report(sockets, source):
    for sock in sockets or []:
        address = sock.getsockname()
        if isinstance(address, tuple):
            runtime.server_started(address[0], address[1], source)
            return


def _uvicorn(module):
    def make(original):
        async def startup(self, *args, **kwargs):
            result = await original(self, *args, **kwargs)
            for server in getattr(self, "servers", None) or []:
                if getattr(server, "sockets", None):
                    _report(server.sockets, "uvicorn")
                    break
            return result
        return startup
    patch(module.Server, "startup", make)


def _uvicorn_workers(module):
    def make(original):
        def run(self, *args, **kwargs):
            _report(getattr(self, "sockets", None), "uvicorn --workers supervisor")
            return original(self, *args, **kwargs)
        return run
    patch(module.Multiprocess, "run", make)


def _inject(app):
    return wrap_asgi(app, runtime.current())


def _fastapi(module):
    def make(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            _inject(self)
        return __init__
    patch(module.FastAPI, "__init__", make)


def _django_asgi(module):
    patch(module, "get_asgi_application", wrapping(_inject))


def install(when_imported):
    when_imported("uvicorn.server", _uvicorn)
    when_imported("uvicorn.supervisors.multiprocess", _uvicorn_workers)
    when_imported("fastapi.applications", _fastapi)
    when_imported("django.core.asgi", _django_asgi)
