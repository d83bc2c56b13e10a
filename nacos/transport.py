"""HTTP transport: the one place that talks to Nacos servers.

It owns the ``requests.Session`` (keep-alive pool), the server list and its rotation, the context path, TLS,
proxies, token and AK/SK injection, and the ONE boundary where requests/urllib3 errors and non-2xx answers
become :mod:`nacos.exception` errors.

Rotation rules (every call): servers are tried in turn starting with the current one, each once. A failure
that certainly happened before the request reached a server (connection refused, DNS, connect timeout, TLS
handshake) moves on for every request. A failure after the request may have been processed (read timeout,
dropped connection, HTTP 500/502/503) moves on only when the request is idempotent; the API layers say which
requests are not (compare-and-set publish, service and namespace creation). The server that answered becomes
the current one (sticky). When no server gives a usable answer, :class:`NacosUnavailable` lists each try.
"""
from __future__ import absolute_import

import functools
import json
import logging
import os
import socket
import threading
import weakref

from . import auth as _auth
from .compat import LazyModule, monotonic, string_types, text_type, urlencode
from .dialect import AUTO, V1, V3, Dialects, names_v3_replacement
from .metrics import Metrics, endpoint_kind
from .exception import (NacosConnectionError, NacosException, NacosRequestException, NacosResponseError,
                        NacosTimeout, NacosUnavailable, http_error, redact_url)
from .forksafe import ForkSafeLock
from .policy import DEFAULT_TIMEOUT, READ, Timeout

# imported on first use (the first request or error), not by ``import nacos``: requests and urllib3 are about
# half of the import time, and a client that is only built (or only serves snapshots) never needs them
requests = LazyModule("requests")
urllib3_exceptions = LazyModule("urllib3.exceptions")

logger = logging.getLogger(__name__)
debug_enabled = functools.partial(logger.isEnabledFor, logging.DEBUG)

RETRYABLE_STATUS = frozenset([500, 502, 503])
# A 2.x cluster answers 400 "receive invalid redirect request from peer ..." when a node forwarded a naming write
# to a peer that is no longer responsible for it (Distro re-balancing after a node died): the request was not
# processed, and another pass succeeds once the members agree again.
_TRANSIENT_400 = ("invalid redirect request",)
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8"


class V3Call(object):
    """The v3 form of a request (``method``, ``path``, ``params``, ``data``, ``headers``), sent instead of the
    v1 one to a server whose API family speaks v3 (see :mod:`nacos.dialect`). ``kind`` overrides the metrics
    label the path would give (a v3 beat shares its path with registration)."""

    __slots__ = ("method", "path", "params", "data", "headers", "kind")

    def __init__(self, method, path, params=None, data=None, headers=None, kind=None):
        self.method = method
        self.path = path
        self.params = params
        self.data = data
        self.headers = headers
        self.kind = kind

    def form(self):
        """``(method, path, params, data, headers, encoded body)``, made when the v3 form is first sent."""
        return (self.method, self.path, self.params, self.data, self.headers,
                _encode_form(self.data) if self.data is not None else None)


class Response(object):
    """A server answer: ``status``, ``headers`` (case-insensitive), ``content`` (bytes), ``text``, ``json()``.

    ``url`` has its secrets removed; ``server`` is the :class:`~nacos.servers.Server` that answered;
    ``dialect`` is ``"v1"`` or ``"v3"``: the form of the request that got this answer.
    """

    __slots__ = ("status", "headers", "content", "_url", "server", "elapsed", "method", "dialect")

    def __init__(self, status, headers, content, url, server, elapsed, method, dialect=V1):
        self.status = status
        self.headers = headers
        self.content = content
        self._url = url
        self.server = server
        self.elapsed = elapsed
        self.method = method
        self.dialect = dialect

    @property
    def url(self):
        """The request URL with its secrets removed (computed when asked for)."""
        return redact_url(self._url)

    @property
    def text(self):
        try:
            return self.content.decode("utf-8")
        except UnicodeDecodeError:
            return self.content.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.text)
        except ValueError as exc:
            raise NacosResponseError("server answer is not JSON (%s)" % exc, status=self.status,
                                     method=self.method, url=self.url, server_message=self.text[:200])


# --------------------------------------------------------------------------------- interruptible connections
class _Registry(object):
    """The live connections of one adapter. Once ``closed``, a connection that finishes connecting is shut
    down at once, so an interrupt that lands while a request is still connecting is not lost."""

    def __init__(self):
        self.conns = weakref.WeakSet()
        self.closed = False

    def add(self, conn):
        self.conns.add(conn)
        if self.closed:
            _shutdown(conn)

    def close(self):
        self.closed = True
        for conn in list(self.conns):
            _shutdown(conn)


def _shutdown(conn):
    sock = getattr(conn, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except (OSError, socket.error):
            pass


def _tracking_connect(base):
    def connect(self):
        base.connect(self)
        self.nacos_registry.add(self)
    return connect


_ADAPTER_CLASS_LOCK = threading.Lock()


def _tracking_adapter_class():
    """The ``HTTPAdapter`` subclass below, made on first use (it needs requests and urllib3)."""
    with _ADAPTER_CLASS_LOCK:
        cls = globals().get("_TrackingAdapter")
        if cls is None:
            cls = _make_tracking_adapter_class()
            globals()["_TrackingAdapter"] = cls  # where pickle looks it up
        return cls


def _make_tracking_adapter_class():
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class _TrackingAdapter(HTTPAdapter):
        """An HTTPAdapter that remembers its live connections so :meth:`interrupt` can shut their sockets down
        from another thread (this is how ``stop()`` ends a held long poll at once)."""

        def __init__(self, **kwargs):
            self._registry = _Registry()
            super(_TrackingAdapter, self).__init__(**kwargs)

        def init_poolmanager(self, *args, **kwargs):
            super(_TrackingAdapter, self).init_poolmanager(*args, **kwargs)
            registry = self._registry
            http_conn = type("NacosHTTPConnection", (HTTPConnection,),
                             {"nacos_registry": registry, "connect": _tracking_connect(HTTPConnection)})
            https_conn = type("NacosHTTPSConnection", (HTTPSConnection,),
                              {"nacos_registry": registry, "connect": _tracking_connect(HTTPSConnection)})
            self.poolmanager.pool_classes_by_scheme = {
                "http": type("NacosHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
                "https": type("NacosHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
            }

        def __getstate__(self):  # requests pickles adapters; the registry cannot travel
            state = super(_TrackingAdapter, self).__getstate__()
            state.pop("_registry", None)
            return state

        def __setstate__(self, state):
            self._registry = _Registry()
            super(_TrackingAdapter, self).__setstate__(state)

        def interrupt(self):
            """Shut down every open socket of this adapter, and every one it opens from now on: blocked reads
            fail at once. The adapter is finished afterwards (its owner makes a new one)."""
            self._registry.close()

    _TrackingAdapter.__module__ = __name__
    return _TrackingAdapter


def __getattr__(name):  # Python 3.7+: unpickling an adapter in a process that has not made one yet
    if name == "_TrackingAdapter":
        return _tracking_adapter_class()
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


class Channel(object):
    """A private connection pool for one long-running caller (a long-poll thread). ``interrupt()`` aborts its
    request in flight, also one that is still connecting, and finishes the channel; ``close()`` also frees
    it. The owner makes a new channel for its next request."""

    def __init__(self, transport, pool_size=1):
        self._transport = transport
        self.session, self.adapter = transport._new_session(pool_size)
        self.closed = False

    def interrupt(self):
        self.closed = True
        self.adapter.interrupt()

    def close(self):
        self.closed = True
        self.adapter.interrupt()
        self.session.close()


# --------------------------------------------------------------------------------- error classification
_NOT_SENT = "not-sent"      # the server never saw the request: always safe to try the next server
_MAYBE_SENT = "maybe-sent"  # the server may have processed it: only idempotent requests move on


def _classify(exc):
    """Map a requests exception to ``(nacos exception class, not-sent/maybe-sent, reason text)``."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return NacosTimeout, _NOT_SENT, "connect timeout"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return NacosTimeout, _MAYBE_SENT, "read timeout"
    if isinstance(exc, requests.exceptions.SSLError):
        return NacosConnectionError, _NOT_SENT, "TLS error: %s" % _reason(exc)
    if isinstance(exc, requests.exceptions.ProxyError):
        return NacosConnectionError, _NOT_SENT, "proxy error: %s" % _reason(exc)
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = _reason(exc)
        lowered = text.lower()
        inner = exc.args[0] if exc.args else None
        if isinstance(getattr(inner, "reason", inner), (urllib3_exceptions.NewConnectionError,
                                                      urllib3_exceptions.ConnectTimeoutError)):
            return NacosConnectionError, _NOT_SENT, "cannot connect: %s" % text
        if ("newconnectionerror" in lowered or "failed to resolve" in lowered or "failed to establish" in lowered
                or "name resolution" in lowered or "nodename nor servname" in lowered
                or "connection refused" in lowered):
            return NacosConnectionError, _NOT_SENT, "cannot connect: %s" % text
        return NacosConnectionError, _MAYBE_SENT, "connection dropped: %s" % text
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return NacosConnectionError, _MAYBE_SENT, "answer cut short: %s" % _reason(exc)
    if isinstance(exc, (socket.timeout,)):
        return NacosTimeout, _MAYBE_SENT, "timeout"
    if isinstance(exc, (socket.error, OSError)):
        return NacosConnectionError, _MAYBE_SENT, "socket error: %s" % exc
    return NacosRequestException, _MAYBE_SENT, "%s: %s" % (type(exc).__name__, _reason(exc))


def _gone_evidence(text):
    """The replacement a 410 body names (``GET ${contextPath:nacos}/v3/client/cs/config``), for the log."""
    start = text.find("`")
    end = text.find("`", start + 1)
    if 0 <= start < end and "/v3/" in text[start:end]:
        return "HTTP 410, use " + text[start + 1:end].replace("${contextPath:nacos}", "")
    return "HTTP 410, code 40000"


def _reason(exc):
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None)
    text = str(reason if reason is not None else inner)
    return redact_url(text) if "://" in text else text


# --------------------------------------------------------------------------------- the transport
class Transport(object):
    """Sends requests to the servers of one client.

    :param server_list: a :class:`~nacos.servers.ServerList`.
    :param context_path: path prefix of every endpoint (default ``/nacos``).
    :param timeout: default timeout in seconds for connect and for each read.
    :param verify: ``True`` (verify TLS with the system CAs), a CA bundle path, or ``False`` (opt out).
    :param cert: client certificate (path, or ``(cert, key)``) for mutual TLS.
    :param proxies: a requests proxies dict.
    :param pool_size: keep-alive connections kept per server.
    :param token_manager: a :class:`~nacos.auth.TokenManager` or None.
    :param credentials_provider: a :class:`~nacos.auth.CredentialsProvider` for AK/SK signing, or None.
    """

    def __init__(self, server_list, context_path="/nacos", timeout=3.0, verify=True, cert=None,
                 proxies=None, pool_size=16, user_agent=None, credentials_provider=None, metrics=None):
        self.server_list = server_list
        self.context_path = normalize_context_path(context_path)
        self.timeout = timeout
        self.verify = verify
        self.cert = cert
        self.proxies = proxies
        self.pool_size = pool_size
        self.user_agent = user_agent or default_user_agent()
        self.credentials_provider = credentials_provider
        self.token_manager = None
        self.metrics = metrics if metrics is not None else Metrics()
        self._kinds = {}  # path -> endpoint kind label (bounded: paths are the SDK's own constants)
        self._lock = ForkSafeLock("transport")
        self._pid = os.getpid()
        self._session = None
        self._adapter = None
        #: seconds during which an idempotent request whose every server failed gets more passes over the
        #: server list (0: one pass). Rides out a cluster electing a new leader.
        self.retry_window = 0.0
        #: called before every request: the client's fork check (a forked child starts its parts at first use)
        self.on_use = None
        self._closing = threading.Event()
        self._proxy_cache = {}  # server url -> proxies dict (environment + the proxies option)
        #: which API dialect each server speaks, per family (the ``api_version`` option sets its mode)
        self.dialects = Dialects()

    # ------------------------------------------------------------------ sessions and fork safety
    def _new_session(self, pool_size):
        session = requests.Session()
        adapter = _tracking_adapter_class()(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        # the environment (proxy variables, REQUESTS_CA_BUNDLE) is read once per server and session, not on
        # every request as requests would (that lookup was a fifth of a get_config)
        session.trust_env = False
        session.verify = self.verify
        if self.cert:
            session.cert = self.cert
        session.headers["User-Agent"] = self.user_agent
        session.headers["Client-Version"] = _version()
        return session, adapter

    @property
    def session(self):
        """The shared keep-alive session, rebuilt in a forked child (the parent's sockets are left alone)."""
        if self._pid != os.getpid() or self._session is None:
            with self._lock:
                if self._pid != os.getpid() or self._session is None:
                    self._session, self._adapter = self._new_session(self.pool_size)
                    self._pid = os.getpid()
                    self._closing.clear()
        return self._session

    def new_channel(self, pool_size=1):
        return Channel(self, pool_size)

    def close(self):
        self._closing.set()  # a request waiting in its retry window gives up
        with self._lock:
            session, self._session = self._session, None
            pid, adapter, self._adapter = self._pid, self._adapter, None
        if session is not None and pid == os.getpid():
            adapter.interrupt()
            session.close()

    def _proxies_for(self, url):
        """Proxies for ``url``: the environment's (``HTTP(S)_PROXY``, honouring ``NO_PROXY``) overridden by the
        ``proxies`` option; worked out once per URL."""
        proxies = self._proxy_cache.get(url)
        if proxies is None:
            proxies = dict(requests.utils.get_environ_proxies(url))
            if self.proxies:
                proxies.update(self.proxies)
            self._proxy_cache[url] = proxies
        return proxies

    def _verify_setting(self):
        """``verify`` for requests: a CA bundle path or False as configured; for True, the bundle the
        environment names (``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``, as requests itself does) or the default."""
        if self.verify is True:
            return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        return self.verify

    def reset_session(self):
        """Build a new session for the next requests (after TLS/proxy/pool options changed); requests in
        flight finish on the old one."""
        self._proxy_cache = {}
        with self._lock:
            session, self._session = self._session, None
            pid, self._adapter = self._pid, None
        if session is not None and pid == os.getpid():
            session.close()

    def set_timeout(self, timeout):
        self.timeout = timeout

    # ------------------------------------------------------------------ the request loop
    def request(self, method, path, params=None, data=None, headers=None, timeout=None, retry=None, auth=True,
                channel=None, family=None, v3=None):
        """Send one API request through the server rotation and return a :class:`Response` (2xx only).

        :param path: endpoint path below the context path, e.g. ``/v1/cs/configs``.
        :param params: query parameters (values already strings).
        :param data: form fields (dict) sent as ``application/x-www-form-urlencoded`` UTF-8.
        :param timeout: a :class:`~nacos.policy.Timeout` (connect, read, total), or seconds for connect and read
            (None: the ``default_timeout`` option).
        :param retry: a :class:`~nacos.policy.Retry`: may the request be repeated after it may have run, for
            how long, until what interrupt (None: :data:`~nacos.policy.READ`).
        :param auth: inject the access token and AK/SK signature (False for login).
        :param channel: a :class:`Channel` to send it on instead of the shared session (one pass, no window).
        :param family: the API family of the request (:mod:`nacos.dialect`); with it, a server that answers
            410 naming a v3 replacement is remembered as v3 for that family.
        :param v3: a :class:`V3Call`: what to send instead to a server whose ``family`` speaks v3. Without
            one, such a server gets the v1 request (and its 410 is raised as :class:`NacosGone`).
        """
        if self.on_use is not None:
            self.on_use()
        retry = READ if retry is None else retry
        if not isinstance(timeout, Timeout):
            timeout = DEFAULT_TIMEOUT if timeout is None else Timeout(connect=timeout)
        idempotent = retry.idempotent
        deadline = timeout.ends_at()
        timeout, read_timeout = timeout.resolve(self.timeout)
        session = channel.session if channel is not None else self.session
        forms = {V1: (method, path, params, data, headers, _encode_form(data) if data is not None else None)}
        dialects = self.dialects
        switched = set()
        attempts = []
        last_exc = None
        token_retried = False
        order = self.server_list.attempt_order()
        i = 0
        same_server_retry = idempotent
        window_ends = monotonic() + retry.window_for(self.retry_window) if channel is None else None
        if deadline is not None and window_ends is not None:
            window_ends = min(window_ends, deadline)
        if deadline is None:  # every call has a total: the retry window, then one pass (and a stale-socket retry)
            deadline = (window_ends or monotonic()) + (len(order) + 1) * (timeout + read_timeout)
        passes = 0
        while True:
            if i >= len(order):  # every server failed: another pass while the retry window lasts
                left = window_ends - monotonic() if window_ends is not None else 0
                if left <= 0:
                    break
                passes += 1
                pause = min(retry.pause(passes), left)
                logger.debug("%s %s: every server failed; pass %d in %.1fs", method, path, passes + 1, pause)
                if self._closing.wait(pause):
                    break
                order = self.server_list.attempt_order()
                i = 0
            left = deadline - monotonic()
            if left <= 0:
                attempts.append(("-", "deadline reached"))
                break
            timeout, read_timeout = min(timeout, left), min(read_timeout, left)
            if retry.interrupted():
                raise NacosConnectionError("request interrupted", method=method)
            server = order[i]
            if channel is not None and channel.closed:
                raise NacosConnectionError("request interrupted", method=method)
            dialect = dialects.choose(server.url, family) if family is not None else V1
            if dialect == V3 and V3 not in forms:
                if v3 is None:
                    dialect = V1
                else:
                    forms[V3] = v3.form()
            method, path, params, data, headers, body = forms[dialect]
            label = path if dialect == V1 or v3.kind is None else path + "#" + v3.kind
            req_params = dict(params) if params else {}
            req_headers = {"Content-Type": FORM_CONTENT_TYPE} if body is not None else {}
            if headers:
                req_headers.update(headers)
            token = self._inject_auth(path, req_params, data, req_headers) if auth else None
            url = server.url + self.context_path + path
            started = monotonic()
            try:
                raw = session.request(method, url, params=req_params, data=body, headers=req_headers,
                                      timeout=(timeout, read_timeout), allow_redirects=False,
                                      verify=self._verify_setting(), proxies=self._proxies_for(server.url))
                content = raw.content
            except requests.exceptions.RequestException as exc:
                cls, when, reason = _classify(exc)
                elapsed = monotonic() - started
                shown = redact_url(_full_url(url, req_params))
                self._emit(label, "timeout" if cls is NacosTimeout else "connect_error", elapsed, server)
                logger.debug("%s %s failed after %.3fs: %s", method, shown, elapsed, reason)
                attempts.append((server.url, reason))
                last_exc = cls(reason, method=method, url=shown)
                if channel is not None and channel.closed:
                    raise NacosConnectionError("request interrupted", method=method, url=shown)
                if when == _MAYBE_SENT and not idempotent:
                    raise last_exc
                if when == _MAYBE_SENT and same_server_retry and cls is NacosConnectionError:
                    same_server_retry = False  # a stale keep-alive connection: once more, same server
                    continue
                self._rotate(server)
                i += 1
                continue
            elapsed = monotonic() - started
            status = raw.status_code
            if 200 <= status < 300:
                self._emit(label, "ok", elapsed, server)
                if debug_enabled():
                    logger.debug("%s %s -> %s in %.3fs", method, redact_url(raw.url), status, elapsed)
                if family is not None and dialect == V1:
                    dialects.confirm_v1(server.url, family)
                return Response(status, raw.headers, content, raw.url, server, elapsed, method, dialect)
            shown = redact_url(raw.url)
            logger.debug("%s %s -> %s in %.3fs", method, shown, status, elapsed)
            text = _body_text(content)
            self._emit(label, "5xx" if status >= 500 else "4xx", elapsed, server)
            if (family is not None and dialects.mode == AUTO and server.url not in switched
                    and self._learn_dialect(server, family, dialect, status, text, v3 is not None)):
                switched.add(server.url)  # once per server and request: a flapping answer cannot loop
                continue  # the same server again, in the dialect it speaks
            if (status == 403 and token is not None and not token_retried
                    and _auth.is_token_rejection(text)):
                token_retried = True
                self.token_manager.invalidate(token)
                logger.info("nacos rejected the access token (%s); logging in again", text.strip()[:60])
                continue
            if status in RETRYABLE_STATUS or (status == 400 and any(m in text for m in _TRANSIENT_400)):
                last_exc = http_error(status, method, shown, text)
                attempts.append((server.url, "HTTP %d %s" % (status, text.strip()[:100])))
                if not idempotent:
                    raise last_exc
                self._rotate(server)
                i += 1
                continue
            raise http_error(status, method, shown, text)
        raise NacosUnavailable(
            "All servers are not available", attempts=attempts, method=method,
            status=getattr(last_exc, "status", None), url=getattr(last_exc, "url", None))

    def _learn_dialect(self, server, family, dialect, status, text, has_v3):
        """A failed answer that tells which dialect ``server`` speaks for ``family``; True to send the request
        again at once in that dialect (a v1 call answered 410 "use the v3 API", or a v3 call answered 404
        without a v3 envelope by a server that went back to a version without the v3 API)."""
        if dialect == V1 and status == 410 and names_v3_replacement(text):
            self.dialects.learn(server.url, family, V3, _gone_evidence(text))
            return has_v3
        if dialect == V3 and status == 404 and '"code"' not in text:
            self.dialects.learn(server.url, family, V1, "HTTP 404 to a v3 path")
            return True
        return False

    def _inject_auth(self, path, params, data, headers):
        token = None
        if self.token_manager is not None:
            token = self.token_manager.get_token()
            params["accessToken"] = token
        provider = self.credentials_provider
        if provider is not None:
            creds = provider.get_credentials()
            if creds is not None and creds.access_key_id and creds.access_key_secret:
                fields = dict(data or {})
                fields.update(params)
                if "/cs/" in path:  # v1 names tenant/group, v3 namespaceId/groupName
                    headers.update(_auth.sign_config(creds, fields.get("tenant") or fields.get("namespaceId"),
                                                     fields.get("group") or fields.get("groupName")))
                elif "/ns/" in path:
                    params.update(_auth.sign_naming(creds, fields.get("serviceName"), fields.get("groupName")))
        return token

    def _emit(self, path, outcome, elapsed, server):
        kind = self._kinds.get(path)
        if kind is None:
            kind = self._kinds[path] = path.split("#", 1)[1] if "#" in path else endpoint_kind(path)
        self.metrics.inc("nacos_requests_total", (("kind", kind), ("outcome", outcome)))
        self.metrics.observe("nacos_request_seconds", elapsed, (("kind", kind),))

    def _rotate(self, server):
        self.metrics.inc("nacos_server_rotations_total")
        self.server_list.rotate(server)

    def login_request(self, form):
        """``POST {context}/v1/auth/login`` (``POST {context}/v3/auth/user/login`` on a server without the v1
        API) with the credentials in the form body, no auth injection."""
        return self.request("POST", "/v1/auth/login", data=form, auth=False, family="auth",
                            v3=V3Call("POST", "/v3/auth/user/login", data=form))

    def fetch_url(self, url, timeout):
        """GET an absolute URL (address server) through the shared session; returns the body text."""
        try:
            raw = self.session.get(url, timeout=(timeout, timeout), verify=self._verify_setting(),
                                   proxies=self._proxies_for(url))
        except requests.exceptions.RequestException as exc:
            cls, _, reason = _classify(exc)
            raise cls(reason, method="GET", url=url)
        if raw.status_code != 200:
            raise http_error(raw.status_code, "GET", url, _body_text(raw.content))
        return raw.text


# --------------------------------------------------------------------------------- helpers
def normalize_context_path(value):
    if value is None:
        return "/nacos"
    if not isinstance(value, string_types):
        raise NacosException("context_path must be a string")
    value = value.strip().strip("/")
    return "/" + value if value else ""


def _encode_form(data):
    pairs = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, text_type):
            value = value.encode("utf-8")
        elif not isinstance(value, bytes):
            value = str(value).encode("utf-8")
        pairs.append((key.encode("utf-8") if isinstance(key, text_type) else key, value))
    return urlencode(pairs)


def _full_url(url, params):
    if not params:
        return url
    encoded = urlencode([(k, v.encode("utf-8") if isinstance(v, text_type) else v)
                         for k, v in params.items() if v is not None])
    return url + "?" + encoded


def _body_text(content):
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("utf-8", "replace")


def _version():
    from ._version import __version__
    return __version__


def default_user_agent():
    return "Nacos-Python-Client:v%s" % _version()
