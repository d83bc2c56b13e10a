"""``requests`` with service names::

    from nacos.auto.discovery.ext import requests as nacos_requests
    nacos_requests.get("http://orders/api/orders/1", timeout=5)          # a shared, pooled session
    nacos_requests.get("http://orders/x", nacos={"metadata": {"version": "2"}})   # per-call filters
    with nacos_requests.Session(nacos={"group": "shop"}) as s:            # your own session
        s.post("http://orders/api/orders", json={...})

``DiscoveryAdapter`` can be mounted on any ``requests.Session`` (``s.mount("http://", DiscoveryAdapter())``).
The module-level functions share one pooled session per process (rebuilt after a fork) that never keeps
cookies between calls, like ``requests.get``. Failures after the retries raise requests' own exceptions.
"""
from __future__ import absolute_import

import os
import threading

import requests as _requests
from requests.adapters import HTTPAdapter
from requests.models import PreparedRequest
from requests.exceptions import ConnectionError as _ConnectionError
from requests.exceptions import ConnectTimeout, Timeout

try:
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
except ImportError:  # pragma: no cover - very old requests with a vendored urllib3
    from requests.packages.urllib3.exceptions import ConnectTimeoutError, NewConnectionError

try:
    from http.cookiejar import DefaultCookiePolicy
except ImportError:  # Python 2
    from cookielib import DefaultCookiePolicy

from ....compat import binary_type, string_types
from ..state import get_discovery

__all__ = ["request", "get", "post", "put", "patch", "delete", "head", "options", "Session",
           "DiscoveryAdapter", "session"]

_local = threading.local()


def _before_send(exc):
    """True when requests failed before anything was sent (connect refused/timed out, DNS)."""
    if isinstance(exc, ConnectTimeout):
        return True
    inner = exc.args[0] if exc.args else None
    return isinstance(getattr(inner, "reason", inner), (NewConnectionError, ConnectTimeoutError))


def _merge(defaults, overrides):
    if not defaults:
        return overrides
    merged = dict(defaults)
    merged.update(overrides or {})
    return merged


class DiscoveryAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` that sends service-name URLs to instances (other URLs unchanged).

    :param discovery: a :class:`~nacos.auto.discovery.Discovery` (default: the process-wide one).
    :param nacos: default per-call options (``group``, ``cluster``, ``metadata``, ``strategy``, ``retries``).
    """

    discovery = None  # class defaults: HTTPAdapter pickles only its own attributes
    nacos = None

    def __init__(self, discovery=None, nacos=None, **kwargs):
        self.discovery = discovery
        self.nacos = nacos
        super(DiscoveryAdapter, self).__init__(**kwargs)

    def send(self, request, **kwargs):
        discovery = self.discovery or get_discovery()
        body = request.body
        replayable = body is None or isinstance(body, (binary_type,) + string_types)
        call = discovery.start(request.url, request.method, _merge(self.nacos, getattr(_local, "nacos", None)),
                               replayable)
        if call is None:
            return super(DiscoveryAdapter, self).send(request, **kwargs)
        send = super(DiscoveryAdapter, self).send

        def send_to(url):
            attempt = PreparedRequest()  # shallow: shares headers, body, cookies (request.copy() costs ~8 us)
            attempt.__dict__.update(request.__dict__)
            attempt.url = url
            return send(attempt, **kwargs)
        return call.run(send_to, (_ConnectionError, Timeout), _before_send)


class Session(_requests.Session):
    """A ``requests.Session`` whose ``http://`` and ``https://`` adapters resolve service names.
    Every request method also takes ``nacos={...}`` (per-call options, see :class:`DiscoveryAdapter`)."""

    def __init__(self, discovery=None, nacos=None, **adapter_kwargs):
        super(Session, self).__init__()
        adapter = DiscoveryAdapter(discovery, nacos, **adapter_kwargs)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(self, method, url, *args, **kwargs):
        nacos = kwargs.pop("nacos", None)
        previous = getattr(_local, "nacos", None)
        _local.nacos = nacos
        try:
            return super(Session, self).request(method, url, *args, **kwargs)
        finally:
            _local.nacos = previous


class _NoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie, request):
        return False


_shared = {"session": None, "pid": None}
_shared_lock = threading.Lock()


def session():
    """The shared pooled :class:`Session` of the module-level functions (one per process)."""
    pid = os.getpid()
    current = _shared["session"]
    if current is None or _shared["pid"] != pid:
        with _shared_lock:
            current = _shared["session"]
            if current is None or _shared["pid"] != pid:
                current = Session()
                current.cookies.set_policy(_NoCookies())
                _shared["session"], _shared["pid"] = current, pid
    return current


def request(method, url, **kwargs):
    """Like ``requests.request``, on the shared pooled session; ``nacos={...}`` for per-call options."""
    return session().request(method, url, **kwargs)


def get(url, params=None, **kwargs):
    kwargs.setdefault("allow_redirects", True)
    return request("GET", url, params=params, **kwargs)


def options(url, **kwargs):
    kwargs.setdefault("allow_redirects", True)
    return request("OPTIONS", url, **kwargs)


def head(url, **kwargs):
    kwargs.setdefault("allow_redirects", False)
    return request("HEAD", url, **kwargs)


def post(url, data=None, json=None, **kwargs):
    return request("POST", url, data=data, json=json, **kwargs)


def put(url, data=None, **kwargs):
    return request("PUT", url, data=data, **kwargs)


def patch(url, data=None, **kwargs):
    return request("PATCH", url, data=data, **kwargs)


def delete(url, **kwargs):
    return request("DELETE", url, **kwargs)
