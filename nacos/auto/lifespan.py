"""The explicit ASGI integration (Python 3 only): a lifespan for FastAPI/Starlette::

    from nacos.auto.lifespan import nacos_lifespan
    app = FastAPI(lifespan=nacos_lifespan)

or, around a lifespan of your own, ``FastAPI(lifespan=nacos_lifespan(my_lifespan))``.

Startup activates the registration: it registers once the server listens (uvicorn reports its socket, else
the one port this process listens on); no middleware is needed. Shutdown deregisters before the app's own
shutdown code runs, so callers stop being sent here first.
"""
import contextlib

from .asgi_wrap import deregister_soon
from .hooks import activate


def nacos_lifespan(app_or_lifespan):
    """Use as ``lifespan=nacos_lifespan`` or ``lifespan=nacos_lifespan(inner)`` (``inner(app)`` an async
    context manager factory)."""
    if callable(app_or_lifespan) and not hasattr(app_or_lifespan, "router"):
        return _lifespan(app_or_lifespan)
    return _lifespan(None)(app_or_lifespan)


def _lifespan(inner):
    @contextlib.asynccontextmanager
    async def lifespan(app):
        manager = activate()
        if manager is not None:
            manager.app_ready("asgi lifespan")
        if inner is None:
            try:
                yield
            finally:
                await _deregister(manager)
            return
        async with inner(app) as state:
            try:
                yield state
            finally:  # before the inner lifespan's shutdown
                await _deregister(manager)
    return lifespan


async def _deregister(manager):
    if manager is not None:
        await deregister_soon(manager)
