"""The explicit ASGI integration (Python 3 only): a lifespan for FastAPI/Starlette::

    from nacos.auto.asgi_lifespan import nacos_lifespan
    app = FastAPI(lifespan=nacos_lifespan)

or, around a lifespan of your own, ``FastAPI(lifespan=nacos_lifespan(my_lifespan))``.

Startup activates the registration: it registers once the server listens (uvicorn reports its socket, else
the one port this process listens on); no middleware is needed. Shutdown deregisters before the app's own
shutdown code runs, so callers stop being sent here first.
"""
from .asgi_wrap import deregister_soon
from .hooks import activate


def nacos_lifespan(app_or_lifespan):
    """Use as ``lifespan=nacos_lifespan`` or ``lifespan=nacos_lifespan(inner)`` (``inner(app)`` an async
    context manager, such as an ``@asynccontextmanager`` function)."""
    if callable(app_or_lifespan) and not hasattr(app_or_lifespan, "router"):
        return lambda app: _Lifespan(app, app_or_lifespan)
    return _Lifespan(app_or_lifespan, None)


class _Lifespan:
    def __init__(self, app, inner):
        self.app = app
        self.inner = inner(app) if inner is not None else None
        self.manager = None

    async def __aenter__(self):
        self.manager = activate()
        if self.manager is not None:
            self.manager.app_ready("asgi lifespan")
        if self.inner is not None:
            return await self.inner.__aenter__()
        return None

    async def __aexit__(self, *exc_info):
        if self.manager is not None:  # before the inner lifespan's shutdown
            await deregister_soon(self.manager)
        if self.inner is not None:
            return await self.inner.__aexit__(*exc_info)
        return None
