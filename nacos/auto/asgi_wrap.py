"""The ASGI middleware itself (Python 3 only): :class:`NacosASGIMiddleware` and :func:`wrap_asgi` (the
public entry point is :func:`nacos.auto.middleware.asgi.inject_asgi_middleware`).

Lifespan events are used where the server sends them: ``lifespan.shutdown`` deregisters before the app's
own shutdown runs. Registration starts when the server listens (uvicorn reports its sockets; else the port
this process listens on), or on the first request.
"""
import asyncio

from ..metrics import CONTENT_TYPE, prometheus_text

FLAG = "_nacos_auto"


class NacosASGIMiddleware:
    """Pure ASGI middleware; usable with ``app.add_middleware(NacosASGIMiddleware, manager=...)`` or as a
    wrapper."""

    def __init__(self, app, manager):
        self.app = app
        self.manager = manager
        setattr(self, FLAG, True)
        self.manager.app_ready("asgi")

    async def __call__(self, scope, receive, send):
        kind = scope.get("type")
        if kind == "lifespan":
            await self.app(scope, self._lifespan_receive(receive), send)
            return
        path = self.manager.settings.logging.metrics_path
        if kind == "http" and path is not None and scope.get("path") == path:
            await self._metrics(scope, send)
            return
        if kind in ("http", "websocket") and self.manager.state == "idle":
            host, port = (scope.get("server") or (None, None))[:2]
            self.manager.on_request(host, port)
        await self.app(scope, receive, send)

    async def _metrics(self, scope, send):
        client = self.manager.client
        body = prometheus_text(client).encode("utf-8") if client is not None else b""
        status = 200 if scope.get("method", "GET") in ("GET", "HEAD") else 405
        if status != 200:
            body = b""
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", CONTENT_TYPE.encode("ascii")),
                                (b"content-length", str(len(body)).encode("ascii"))]})
        await send({"type": "http.response.body", "body": body if scope.get("method") != "HEAD" else b""})

    def _lifespan_receive(self, receive):
        async def wrapped():
            message = await receive()
            if message.get("type") == "lifespan.shutdown":
                await deregister_soon(self.manager)
            return message
        return wrapped


async def deregister_soon(manager):
    """``manager.deregister()`` off the event loop."""
    loop = asyncio.get_event_loop()
    await loop.run_in_executor(None, manager.deregister)


def wrap_asgi(app, manager):
    """Starlette/FastAPI apps get the middleware added in place (returned); any other ASGI app is returned
    wrapped. ``app`` itself when ``manager`` is None (registration refused) or it has the middleware."""
    if manager is None or getattr(app, FLAG, False):
        return app
    user_middleware = getattr(app, "user_middleware", None)
    if user_middleware is not None and hasattr(app, "add_middleware"):
        if any(getattr(m, "cls", None) is NacosASGIMiddleware for m in user_middleware):
            return app
        if getattr(app, "middleware_stack", None) is None:
            app.add_middleware(NacosASGIMiddleware, manager=manager)
            manager.app_ready("starlette")
            return app
    return NacosASGIMiddleware(app, manager)
