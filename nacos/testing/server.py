"""``NacosServer``: lifecycle, wiring, fault-injection knobs and introspection."""
from __future__ import absolute_import, division, print_function, unicode_literals

import threading

from . import routes_config, routes_misc, routes_naming, routes_v3_config, routes_v3_core, routes_v3_naming
from ._compat import monotonic
from .auth import AuthManager
from .config_store import ConfigStore, NamespaceStore
from .faults import Faults
from .handler import ThreadedHTTPServer
from .longpoll import LongPollHub
from .naming_store import HealthChecker, NamingStore
from .udp import UdpPusher

PUSH_MODES = ("recognised", "all", "off")


class NacosServer(object):
    """An in-process, Nacos 2.x compatible v1 HTTP server for tests, which also serves the 3.x client and admin
    APIs (``/v3/...``) as a Nacos 3.0/3.1 does.

    :param host: address to bind (HTTP and the UDP push socket).
    :param port: TCP port; 0 picks a free one (kept across ``restart()``).
    :param context_path: path prefix of every endpoint (``"/nacos"``; ``""`` for none).
    :param auth_enabled: require a token (or raw username/password) on every endpoint
        except login and health.
    :param users: dict ``name -> password`` (default ``{"nacos": "nacos"}``).
    :param token_ttl: token lifetime in seconds.
    :param heartbeat_timeout: seconds without a beat before an ephemeral instance turns unhealthy.
    :param delete_timeout: seconds without a beat before it is deleted.
    :param health_check_interval: seconds between health-check passes.
    :param client_beat_interval: ``clientBeatInterval`` (ms) answered by ``/instance/beat``.
    :param light_beat_enabled: ``lightBeatEnabled`` answered by ``/instance/beat``.
    :param long_poll_min_hold: minimum hold of a long poll in seconds (a real server uses 10;
        the hold is ``max(long_poll_min_hold, Long-Pulling-Timeout - 0.5 s)``).
    :param push_mode: UDP push to ``"recognised"`` User-Agents only (like the real server),
        to ``"all"`` callers that give a ``udpPort``, or ``"off"``.
    :param push_delay: seconds between a service change and its push, later changes of the service joining
        it (a real 2.x waits ``nacos.naming.push.pushTaskDelay``, 0.5 s); 0 (default) pushes at once.
    :param push_ack_timeout: seconds to wait for a push ack before the one retransmission.
    :param subscriber_timeout: seconds after which a UDP subscriber that stopped re-querying
        ``/instance/list`` is forgotten.
    :param v1: serve the v1 APIs (default). ``False`` plays a Nacos 3.2+ without the legacy adapter (a 3.0/3.1
        with ``nacos.core.api.compatibility.client.enabled=false``): every v1 API answers HTTP 410 with code 40000
        and the replacement API, the ``/v1/console/*`` paths 404, and 404/405 use the 3.x wording.
    """

    def __init__(self, host="127.0.0.1", port=0, context_path="/nacos", auth_enabled=False, users=None,
                 token_ttl=18000, heartbeat_timeout=15.0, delete_timeout=30.0, health_check_interval=5.0,
                 client_beat_interval=5000, light_beat_enabled=True, long_poll_min_hold=10.0,
                 push_mode="recognised", push_ack_timeout=10.0, subscriber_timeout=180.0, v1=True, push_delay=0.0):
        if push_mode not in PUSH_MODES:
            raise ValueError("push_mode must be one of %s" % (PUSH_MODES,))
        self.host = host
        self._port = int(port)
        ctx = (context_path or "").strip().rstrip("/")
        self.context_path = ("/" + ctx.lstrip("/")) if ctx else ""
        self.auth_enabled = bool(auth_enabled)
        self.v1 = bool(v1)
        self.client_beat_interval = int(client_beat_interval)
        self.light_beat_enabled = bool(light_beat_enabled)
        self.long_poll_min_hold = float(long_poll_min_hold)
        self.push_mode = push_mode
        self.health_check_interval = float(health_check_interval)
        self.hub = LongPollHub()
        self.configs = ConfigStore(on_change=self.hub.notify)
        self.namespaces = NamespaceStore()
        self.naming = NamingStore(heartbeat_timeout, delete_timeout, subscriber_timeout,
                                  on_change=self._service_changed, expire_explicit=not self.v1)
        self.auth = AuthManager(users, token_ttl)
        if float(push_delay) < 0:
            raise ValueError("push_delay must be >= 0")
        self.pusher = UdpPusher(host, push_ack_timeout, targets=self.naming.subscribers,
                                info=self._push_info, push_delay=push_delay)
        self.faults = Faults()
        #: seconds added to the time in each answer's ``Date`` header (tests of clock-skew checks); settable
        self.clock_skew = 0.0
        self.routes = {}
        for module in (routes_config, routes_naming, routes_misc, routes_v3_config, routes_v3_naming,
                       routes_v3_core):
            self.routes.update(module.ROUTES)
        self.stopping = threading.Event()
        self.conn_lock = threading.Lock()
        self.last_error = None
        #: every answered request: {"method","path","query","form","headers","client","status"}
        #: (status 0 = closed without an answer); trimmed to the newest half past request_log_limit
        self.request_log = []
        self.request_log_limit = 10000
        self._log_lock = threading.Lock()
        self._threads = threading.Condition()
        self._active = 0
        self._state = threading.RLock()
        self._httpd = None
        self._serve_thread = None
        self._checker = None

    # ------------------------------------------------------------------ addresses
    @property
    def port(self):
        """The TCP port (known once started)."""
        return self._port

    @property
    def address(self):
        """``"host:port"`` (IPv6 hosts in brackets)."""
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "%s:%d" % (host, self._port)

    @property
    def url(self):
        """``"http://host:port"`` (without the context path)."""
        return "http://" + self.address

    @property
    def running(self):
        """Whether the server is started."""
        return self._httpd is not None

    @property
    def push_log(self):
        """UDP pushes: dicts with ``target``, ``service``, ``lastRefTime``, ``acked`` ..."""
        return self.pusher.push_log

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        """Bind and serve in background threads; idempotent. Returns ``self``."""
        with self._state:
            if self._httpd is not None:
                return self
            self.stopping.clear()
            httpd = ThreadedHTTPServer((self.host, self._port), self)
            self._port = httpd.server_address[1]
            self._httpd = httpd
            self._serve_thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                                  name="nacos-testing-serve-%d" % self._port)
            self._serve_thread.daemon = True
            self._serve_thread.start()
            label = "-%d" % self._port
            self.pusher.start(label)
            self._checker = HealthChecker(self.naming, self.health_check_interval)
            self._checker.start(label)
        return self

    def stop(self):
        """Stop serving; close every open connection (held long polls included) and join
        the threads (about one second at most). Idempotent."""
        with self._state:
            httpd, self._httpd = self._httpd, None
            if httpd is None:
                return
            self.stopping.set()
            self.hub.abort_all()
            httpd.shutdown()
            httpd.server_close()
            httpd.close_all_connections()
            self._serve_thread.join(1.0)
            self._checker.stop(0.5)
            self.pusher.stop(0.5)
            deadline = monotonic() + 1.0
            with self._threads:
                while self._active > 0 and monotonic() < deadline:
                    self._threads.wait(max(deadline - monotonic(), 0.01))
                    httpd.close_all_connections()

    def restart(self, wipe=False):
        """Stop, then start again on the same port; data is kept unless ``wipe``."""
        self.stop()
        if wipe:
            self.wipe()
        return self.start()

    def wipe(self):
        """Forget all configs, instances, services, subscribers, tokens and namespaces."""
        self.configs.wipe()
        self.naming.wipe()
        self.auth.wipe()
        self.namespaces.wipe()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self):
        return "<NacosServer %s%s%s %s>" % (self.url, self.context_path, "" if self.v1 else " (no v1)",
                                            "running" if self.running else "stopped")

    # handler thread accounting (used by handler.ThreadedHTTPServer)
    def thread_started(self):
        with self._threads:
            self._active += 1

    def thread_done(self):
        with self._threads:
            self._active -= 1
            self._threads.notify_all()

    # ------------------------------------------------------------------ faults
    def fail_next(self, n, status=500, body="caused: injected failure;", path=None, method=None):
        """Answer the next ``n`` requests (matching ``path`` substring / ``method``) with
        ``status`` and a plain-text ``body``."""
        self.faults.fail_next(n, status, body, path, method)

    def delay(self, seconds, path=None, method=None):
        """Delay matching answers by ``seconds`` until cleared; ``delay(0)`` clears."""
        self.faults.delay(seconds, path, method)

    def drop_next(self, n, path=None, method=None):
        """Read the next ``n`` matching requests, then close the connection without answering."""
        self.faults.drop_next(n, path, method)

    def clear_faults(self):
        """Remove every fault rule."""
        self.faults.clear()

    # ------------------------------------------------------------------ introspection
    def record(self, req, status):
        """Append one request to ``request_log`` (called by the handler)."""
        entry = {"method": req.method, "path": req.path, "query": req.query, "form": req.form,
                 "headers": req.headers, "client": tuple(req.client), "status": status}
        with self._log_lock:
            self.request_log.append(entry)
            if len(self.request_log) > self.request_log_limit:
                del self.request_log[:len(self.request_log) // 2]

    def clear_log(self):
        """Forget the request log (and the push log)."""
        with self._log_lock:
            del self.request_log[:]
        self.pusher.clear_log()

    def expire_tokens(self):
        """Make every issued token expired (``403 token expired!``)."""
        self.auth.expire_all()

    # ------------------------------------------------------------------ push wiring
    def _service_changed(self, namespace, service):
        if self.push_mode != "off":
            self.pusher.notify(namespace, service)

    def _push_info(self, namespace, service, clusters):
        return self.naming.service_info(namespace, service, clusters or "", False, 10000)
