"""``aiohttp`` with service names (Python 3)::

    from nacos.auto.discovery.ext.aiohttp import get_session
    async with get_session() as session:                       # a DiscoverySession (a ClientSession)
        async with session.get("http://orders/api/orders/1") as resp:
            print(resp.status, await resp.text())
        await session.get("http://orders/x", nacos={"metadata": {"version": "2"}})   # per-call options

``get_session(**kwargs)`` returns a new session each call (close it, or use ``async with``); keywords go to
``ClientSession``, plus ``discovery=`` and ``nacos=`` (default per-call options). A cache miss asks Nacos in
a worker thread, never on the event loop. Failures after the retries raise aiohttp's own exceptions; a URL
that is not a service goes through unchanged (a resolution error is never swallowed into DNS).
"""
import asyncio
import functools
import warnings

import aiohttp

from . import _aio
from ..core import NEEDS_LOOKUP
from ..state import get_discovery

__all__ = ["get_session", "DiscoverySession", "ClientSession"]

_BEFORE_SEND = (aiohttp.ClientConnectorError,)
if hasattr(aiohttp, "ConnectionTimeoutError"):  # aiohttp >= 3.10 tells a connect timeout apart
    _BEFORE_SEND += (aiohttp.ConnectionTimeoutError,)
_MAYBE_SENT = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, aiohttp.ServerTimeoutError,
               asyncio.TimeoutError)
_ERRORS = _BEFORE_SEND + _MAYBE_SENT


def _before_send(exc):
    return isinstance(exc, _BEFORE_SEND)


def _replayable(kwargs):
    data = kwargs.get("data")
    return data is None or isinstance(data, (bytes, str, dict, list, tuple))


with warnings.catch_warnings():  # aiohttp discourages subclassing; _request is its documented-stable core
    warnings.simplefilter("ignore", DeprecationWarning)

    class DiscoverySession(aiohttp.ClientSession):
        """A ``ClientSession`` resolving service names (see the module docstring)."""

        def __init__(self, *args, **kwargs):
            discovery, nacos = kwargs.pop("discovery", None), kwargs.pop("nacos", None)
            super().__init__(*args, **kwargs)
            object.__setattr__(self, "_nacos_discovery", discovery)
            object.__setattr__(self, "_nacos_defaults", nacos)

        async def _request(self, method, str_or_url, **kwargs):
            overrides = kwargs.pop("nacos", None)
            if self._nacos_defaults:
                overrides = dict(self._nacos_defaults, **(overrides or {}))
            discovery = self._nacos_discovery or get_discovery()
            start = functools.partial(discovery.start, str(str_or_url), method, overrides, _replayable(kwargs))
            call = start(lookup=False)
            if call is NEEDS_LOOKUP:
                call = await asyncio.get_running_loop().run_in_executor(None, start)
            if call is None:
                return await super()._request(method, str_or_url, **kwargs)
            send = super()._request
            return await _aio.run(call, lambda url: send(method, url, **kwargs), _ERRORS, _before_send)

ClientSession = DiscoverySession


def get_session(discovery=None, nacos=None, **kwargs):
    """A new :class:`DiscoverySession` (call it inside a running event loop)."""
    return DiscoverySession(discovery=discovery, nacos=nacos, **kwargs)
