"""``urllib`` (``urllib2`` on Python 2) with service names::

    from nacos.auto.discovery.ext.urllib import urlopen
    body = urlopen("http://orders/api/orders/1", timeout=5).read()
    urlopen(request, nacos={"metadata": {"version": "2"}})      # per-call options

``build_opener(*handlers)`` makes an opener with the discovery handlers (``DiscoveryHTTPHandler``,
``DiscoveryHTTPSHandler``) in place of the standard HTTP(S) handlers; they can also be given to the
standard ``build_opener``. Nothing is built or contacted at import time. Failures after the retries raise
urllib's own ``URLError``/socket errors; HTTP error statuses raise ``HTTPError`` as usual. Redirects are
resolved against the service URL, so a relative redirect goes through discovery again.
"""
from __future__ import absolute_import

import errno
import socket
import threading

from ....compat import PY2, binary_type

if PY2:  # pragma: no cover - exercised on 2.7
    import httplib as _http
    import urllib2 as _req
else:
    import http.client as _http
    import urllib.request as _req

from ..state import get_discovery

__all__ = ["urlopen", "build_opener", "DiscoveryHTTPHandler", "DiscoveryHTTPSHandler", "Request"]

Request = _req.Request
URLError = _req.URLError
_CONNECT_NAMES = ("ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "ECONNABORTED")
_CONNECT_ERRNOS = frozenset(getattr(errno, n) for n in _CONNECT_NAMES if hasattr(errno, n))


def _before_send(exc):
    """True when nothing was sent: urllib wraps connect errors in URLError. A timeout may be a connect or a
    send timeout (urllib cannot tell), so it counts as "may have been sent"."""
    reason = getattr(exc, "reason", None) if isinstance(exc, URLError) else None
    if isinstance(reason, socket.gaierror):
        return True
    return isinstance(reason, (socket.error, OSError)) and getattr(reason, "errno", None) in _CONNECT_ERRNOS


class _MethodRequest(Request):
    """A Request with an explicit method on Python 2 (3 has ``method=``)."""

    def __init__(self, url, method, **kwargs):
        Request.__init__(self, url, **kwargs)
        self._method = method

    def get_method(self):
        return self._method


def _copy(req, url):
    """``req`` for ``url``: same method, body, headers and timeout; the automatic Host header is left out so
    it is set for the instance."""
    data = req.get_data() if PY2 else req.data
    kwargs = dict(data=data, headers=dict(req.headers), unverifiable=req.is_unverifiable() if PY2
                  else req.unverifiable)
    new = _MethodRequest(url, req.get_method(), **kwargs)
    for name, value in req.unredirected_hdrs.items():
        if name.lower() != "host":
            new.add_unredirected_header(name, value)
    new.timeout = getattr(req, "timeout", socket._GLOBAL_DEFAULT_TIMEOUT)
    return new


class _DiscoveryMixin(object):
    discovery = None
    nacos = None

    def _discovery_open(self, req, open_fn):
        discovery = self.discovery or get_discovery()
        data = req.get_data() if PY2 else req.data
        overrides = getattr(req, "nacos", None) or self.nacos
        call = discovery.start(req.get_full_url(), req.get_method(), overrides,
                               data is None or isinstance(data, (binary_type, bytes)))
        if call is None:
            return open_fn(req)
        return call.run(lambda url: open_fn(self.do_request_(_copy(req, url))),
                        (URLError, socket.error, _http.HTTPException, OSError), _before_send)


class DiscoveryHTTPHandler(_DiscoveryMixin, _req.HTTPHandler):
    """Replaces ``HTTPHandler``. :param discovery: a Discovery (default: the process-wide one).
    :param nacos: default per-call options."""

    def __init__(self, discovery=None, nacos=None, debuglevel=0):
        _req.HTTPHandler.__init__(self, debuglevel)
        self.discovery, self.nacos = discovery, nacos

    def http_open(self, req):
        return self._discovery_open(req, lambda r: _req.HTTPHandler.http_open(self, r))


class DiscoveryHTTPSHandler(_DiscoveryMixin, _req.HTTPSHandler):
    """Replaces ``HTTPSHandler`` (``context`` as there)."""

    def __init__(self, discovery=None, nacos=None, debuglevel=0, context=None):
        _req.HTTPSHandler.__init__(self, debuglevel, context=context)
        self.discovery, self.nacos = discovery, nacos

    def https_open(self, req):
        return self._discovery_open(req, lambda r: _req.HTTPSHandler.https_open(self, r))


def build_opener(*handlers, **kwargs):
    """``urllib.request.build_opener`` with the discovery handlers (``discovery=``, ``nacos=``,
    ``context=`` keywords) plus ``handlers``."""
    discovery, nacos = kwargs.pop("discovery", None), kwargs.pop("nacos", None)
    context = kwargs.pop("context", None)
    if kwargs:
        raise TypeError("build_opener() got unexpected keywords %s" % sorted(kwargs))
    return _req.build_opener(DiscoveryHTTPHandler(discovery, nacos),
                             DiscoveryHTTPSHandler(discovery, nacos, context=context), *handlers)


_opener = {"opener": None}
_opener_lock = threading.Lock()


def urlopen(url, data=None, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, context=None, nacos=None):
    """Like ``urllib.request.urlopen``; ``url`` may be a string or a ``Request``. ``nacos={...}``: per-call
    options (``group``, ``cluster``, ``metadata``, ``strategy``, ``retries``)."""
    if context is not None:
        opener = build_opener(context=context)
    else:
        opener = _opener["opener"]
        if opener is None:
            with _opener_lock:
                opener = _opener["opener"] = _opener["opener"] or build_opener()
    req = url if isinstance(url, Request) else Request(url)
    if nacos is not None:
        req.nacos = nacos
    return opener.open(req, data, timeout)
