"""``httpx`` with service names (Python 3)::

    from nacos.auto.discovery.ext.httpx import Client, AsyncClient
    with Client(timeout=5) as client:
        client.get("http://orders/api/orders/1")
        client.get("http://orders/x", extensions={"nacos": {"metadata": {"version": "2"}}})   # per call
    async with AsyncClient() as client:
        await client.get("http://orders/api/orders/1")

The transports work with plain httpx too: ``httpx.Client(transport=DiscoveryTransport())`` and
``httpx.AsyncClient(transport=AsyncDiscoveryTransport())`` (each wraps an ``HTTPTransport`` /
``AsyncHTTPTransport``, or the one given as ``transport=``). The request seen by event hooks and
``response.request`` keeps the service URL; the instance gets ``Host: ip:port`` unless a Host header was set
explicitly. A cache miss in the async transport asks Nacos in a worker thread, never on the event loop.
Failures after the retries raise httpx's own exceptions.
"""
import functools

import httpx

from . import _aio
from ..core import NEEDS_LOOKUP
from ..state import get_discovery

__all__ = ["Client", "AsyncClient", "DiscoveryTransport", "AsyncDiscoveryTransport"]

_BEFORE_SEND = (httpx.ConnectError, httpx.ConnectTimeout)
_MAYBE_SENT = (httpx.ReadError, httpx.WriteError, httpx.ReadTimeout, httpx.WriteTimeout,
               httpx.RemoteProtocolError, httpx.CloseError)
_ERRORS = _BEFORE_SEND + _MAYBE_SENT
_TRANSPORT_KEYS = ("verify", "cert", "trust_env", "http1", "http2", "limits")


def _before_send(exc):
    return isinstance(exc, _BEFORE_SEND)


def _replayable(request):
    return isinstance(request.stream, httpx.ByteStream)


def _netloc(url):
    netloc = url.netloc
    return netloc.decode("ascii") if isinstance(netloc, bytes) else netloc


def _attempt(request, url):
    url = httpx.URL(url)
    headers = request.headers.copy()
    if headers.get("host") == _netloc(request.url):  # the automatic Host: now the instance's
        headers["Host"] = _netloc(url)
    return httpx.Request(request.method, url, headers=headers, stream=request.stream,
                         extensions=request.extensions)


class _Base(object):
    def __init__(self, transport, discovery, nacos):
        self.transport = transport
        self.discovery = discovery
        self.nacos = nacos

    def _start(self, request, lookup=True):
        overrides = request.extensions.get("nacos")
        if self.nacos:
            overrides = dict(self.nacos, **(overrides or {}))
        return (self.discovery or get_discovery()).start(str(request.url), request.method, overrides,
                                                         _replayable(request), lookup=lookup)


class DiscoveryTransport(_Base, httpx.BaseTransport):
    """Wraps ``transport`` (default ``httpx.HTTPTransport(**transport_kwargs)``)."""

    def __init__(self, transport=None, discovery=None, nacos=None, **transport_kwargs):
        _Base.__init__(self, transport or httpx.HTTPTransport(**transport_kwargs), discovery, nacos)

    def handle_request(self, request):
        call = self._start(request)
        if call is None:
            return self.transport.handle_request(request)
        return call.run(lambda url: self.transport.handle_request(_attempt(request, url)), _ERRORS, _before_send)

    def close(self):
        self.transport.close()


class AsyncDiscoveryTransport(_Base, httpx.AsyncBaseTransport):
    """Wraps ``transport`` (default ``httpx.AsyncHTTPTransport(**transport_kwargs)``)."""

    def __init__(self, transport=None, discovery=None, nacos=None, **transport_kwargs):
        _Base.__init__(self, transport or httpx.AsyncHTTPTransport(**transport_kwargs), discovery, nacos)

    async def handle_async_request(self, request):
        call = self._start(request, lookup=False)
        if call is NEEDS_LOOKUP:
            call = await _in_thread(functools.partial(self._start, request))
        if call is None:
            return await self.transport.handle_async_request(request)
        return await _aio.run(call, lambda url: self.transport.handle_async_request(_attempt(request, url)),
                              _ERRORS, _before_send)

    async def aclose(self):
        await self.transport.aclose()


async def _in_thread(fn):
    try:
        import anyio.to_thread
    except ImportError:  # pragma: no cover - httpx without anyio: asyncio only
        import asyncio
        return await asyncio.get_event_loop().run_in_executor(None, fn)
    return await anyio.to_thread.run_sync(fn)


def _split(kwargs):
    return dict((k, kwargs[k]) for k in _TRANSPORT_KEYS if k in kwargs)


def _wrap_mounts(client, wrap):
    mounts = getattr(client, "_mounts", None)  # proxies from the environment are mounted transports
    if isinstance(mounts, dict):
        for pattern, transport in list(mounts.items()):
            if transport is not None and not isinstance(transport, _Base):
                mounts[pattern] = wrap(transport)


class Client(httpx.Client):
    """``httpx.Client`` resolving service names. ``discovery``: a Discovery (default: the process-wide
    one); ``nacos``: default per-call options; the rest as for ``httpx.Client``."""

    def __init__(self, *args, **kwargs):
        discovery, nacos = kwargs.pop("discovery", None), kwargs.pop("nacos", None)
        kwargs["transport"] = DiscoveryTransport(kwargs.pop("transport", None), discovery, nacos,
                                                 **_split(kwargs))
        super().__init__(*args, **kwargs)
        _wrap_mounts(self, lambda t: DiscoveryTransport(t, discovery, nacos))


class AsyncClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` resolving service names (same extra keywords as :class:`Client`)."""

    def __init__(self, *args, **kwargs):
        discovery, nacos = kwargs.pop("discovery", None), kwargs.pop("nacos", None)
        kwargs["transport"] = AsyncDiscoveryTransport(kwargs.pop("transport", None), discovery, nacos,
                                                      **_split(kwargs))
        super().__init__(*args, **kwargs)
        _wrap_mounts(self, lambda t: AsyncDiscoveryTransport(t, discovery, nacos))
