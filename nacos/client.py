"""``NacosClient``: the legacy facade. It keeps the legacy names, positional order, defaults and return
shapes, and wires the small parts together. The config and naming calls live in two mixins
(:class:`nacos.config.calls.ConfigCalls`, :class:`nacos.naming.calls.NamingCalls`) that rely only on
``_transport``, ``_config_api``/``_naming_api``, ``_options``, ``namespace`` and ``_part(name, factory)``:

transport (servers, rotation, auth, errors) -> config API + local files + watcher pool
                                             -> naming API + heartbeat scheduler + subscriptions
"""
from __future__ import absolute_import

import logging
import os
import threading
import weakref

from . import params as P
from .auth import StaticCredentialsProvider, TokenManager
from .config.api import ConfigAPI, md5_hex
from .config.calls import ConfigCalls
from .dialect import FAMILIES
from .exception import NacosException, NacosInvalidParam
from .forksafe import ForkSafeLock, reset_after_fork
from .legacy import LegacyHooks
from .logsetup import setup_file_logging
from .metrics import Metrics, NullMetrics
from .naming.api import NamingAPI
from .naming.calls import NamingCalls
from .options import DEFAULTS, OPTIONS, SPEC, defaults, validate
from .servers import (AddressServerRefresher, ServerList, address_fetcher, address_server_url, parse_address,
                      parse_addresses)
from .transport import Transport

# names the legacy nacos.client module had (importing them also loads the legacy submodules, as it did)
from . import auth, commons, exception, files, listener, params, task, timer  # noqa: F401,E402
from .commons import python_version_bellow, synchronized_with_attr, truncate  # noqa: F401
from .exception import NacosRequestException  # noqa: F401
from .files import delete_file, read_file_str, save_file  # noqa: F401
from .legacy import (DEBUG, WatcherWrap, parse_nacos_server_addr, parse_pulling_result,  # noqa: F401
                     process_common_config_params)
from .listener import Event, SimpleListenerManager  # noqa: F401
from .naming.events import SubscribedLocalInstance  # noqa: F401
from .params import group_key, is_valid, parse_key  # noqa: F401
from .task import HeartbeatInfo, HeartbeatTask  # noqa: F401
from .timer import NacosTimer, NacosTimerManager  # noqa: F401

logger = logging.getLogger(__name__)

VERSION = None  # filled from nacos.__version__ below (legacy ``nacos.client.VERSION``)
DEFAULT_GROUP_NAME = P.DEFAULT_GROUP_NAME
DEFAULT_NAMESPACE = ""
ADDRESS_SERVER_TIMEOUT = 3
WORD_SEPARATOR = u"\x02"
LINE_SEPARATOR = u"\x01"

__all__ = ["NacosClient", "NacosException", "DEFAULTS", "DEFAULT_GROUP_NAME", "OPTIONS"]


class _OptionProperty(object):
    """``client.<option>`` reads the option; assigning validates it like ``set_options``."""

    def __init__(self, name):
        self.name = name

    def __get__(self, obj, owner):
        if obj is None:
            return self
        return obj._options[self.name]

    def __set__(self, obj, value):
        obj.set_options(**{self.name: value})


class NacosClient(LegacyHooks, ConfigCalls, NamingCalls):
    """A synchronous Nacos client over the v1 HTTP OpenAPI.

    :param server_addresses: comma-separated ``host``, ``host:port``, ``http(s)://host:port`` or ``[v6]:port``.
    :param endpoint: address server (``host[:port][/path]``) used when ``server_addresses`` is empty.
    :param namespace: namespace id ("" or None for public).
    :param ak: access key (AK/SK signing). :param sk: its secret.
    :param username: user for ``/v1/auth/login`` (``/v3/auth/user/login`` on Nacos 3.2+), logged in on the first
        request that needs a token. :param password: its password.
    :param logDir: opt in to a rotating log file in this directory.
    :param log_level: level of that file (also opts in, using ``~/logs/nacos``).
    :param log_rotation_backup_count: files kept (default 7).
    :param credentials_provider: a :class:`~nacos.auth.CredentialsProvider` (STS tokens).
    :param options: any ``set_options`` option, e.g. ``context_path="/nacos"``, ``tls_verify="/ca.pem"``.
    """

    def __init__(self, server_addresses=None, endpoint=None, namespace=None, ak=None, sk=None, username=None,
                 password=None, logDir=None, log_level=None, log_rotation_backup_count=None,
                 credentials_provider=None, **options):
        self._options = defaults()
        for name, value in options.items():
            self._options[name] = validate(name, value)
        self.namespace = P.namespace(namespace)
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.logDir = logDir
        if logDir or log_level:
            setup_file_logging(logDir, log_level, log_rotation_backup_count)
        if credentials_provider is None and ak and sk:
            credentials_provider = StaticCredentialsProvider(ak, sk)
        self.credentials_provider = credentials_provider
        self.ak, self.sk = ak, sk

        self._refresher = None
        if server_addresses:
            servers = parse_addresses(server_addresses)
        elif endpoint:
            servers = None
        else:
            raise NacosInvalidParam("server_addresses", "server address & endpoint must not both be none")
        self._servers = ServerList(servers or [])
        self._metrics = Metrics() if self._options["metrics_enabled"] else NullMetrics()
        self._transport = Transport(
            self._servers, context_path=self._options["context_path"], timeout=self._options["default_timeout"],
            verify=self._options["tls_verify"], cert=self._options["tls_cert"], proxies=self._options["proxies"],
            pool_size=self._pool_size(), credentials_provider=credentials_provider, metrics=self._metrics)
        if servers is None:
            self._refresher = AddressServerRefresher(
                address_server_url(endpoint, self.namespace), self._servers, address_fetcher(self._transport),
                interval=self._options["address_refresh_interval"], timeout=ADDRESS_SERVER_TIMEOUT)
            self._servers.replace(self._refresher.initial())
            self._refresher.start()
        self._transport.retry_window = float(self._options["retry_window"])
        self._transport.on_use = _fork_check_of(self)
        self._set_dialect_options()
        self._metrics.gauge("nacos_current_server", lambda: self._servers.current().url)
        for family in FAMILIES:
            self._metrics.gauge("nacos_api_dialect", self._dialect_gauge(family), (("family", family),))
        if username and password:
            manager = self._transport.token_manager = TokenManager(username, password,
                                                                   self._transport.login_request)
            self._metrics.gauge("nacos_token_refreshes_total", lambda: manager.refreshes)
            self._metrics.gauge("nacos_login_failures_total", lambda: manager.failures)
            # no login here: the first request that needs a token logs in, so a client can be built while every
            # server is down (and its reads served from snapshots)

        self._config_api = ConfigAPI(self._transport, self.namespace)
        self._naming_api = NamingAPI(self._transport, self.namespace, self._options)
        self._lock = ForkSafeLock("client", reentrant=True)
        self._parts = {}  # name -> background part with start/stop/after_fork
        for name, part, method in (("nacos_config_watched_keys", "config_watcher", "watched"),
                                   ("nacos_config_long_polls_in_flight", "config_watcher", "in_flight"),
                                   ("nacos_naming_managed_instances", "naming-heartbeat", "managed_count"),
                                   ("nacos_naming_subscriptions", "naming-subscriptions", "subscriptions")):
            self._metrics.gauge(name, self._part_gauge(part, method))
        self._stopped = False
        self._pid = os.getpid()
        self._restart_pending = False  # forked: the parts restart when the child first uses the client
        _register_fork_hook(self)

    # ------------------------------------------------------------------ options and legacy attributes
    def _pool_size(self):
        return max(10, self._options["callback_thread_num"] + 6)

    def set_options(self, **kwargs):
        """Set options (legacy keys and the newer ones in :data:`nacos.options.SPEC`). Unknown names and bad
        values raise :class:`NacosInvalidParam` naming the option."""
        checked = dict((name, validate(name, value)) for name, value in kwargs.items())
        self._options.update(checked)
        transport = self._transport
        if "default_timeout" in checked:
            transport.set_timeout(checked["default_timeout"])
        if "retry_window" in checked:
            transport.retry_window = float(checked["retry_window"])
        if set(checked) & set(["proxies", "tls_verify", "tls_cert", "callback_thread_num"]):
            transport.proxies = self._options["proxies"]
            transport.verify = self._options["tls_verify"]
            transport.cert = self._options["tls_cert"]
            transport.pool_size = self._pool_size()
            transport.reset_session()  # the next request builds a session with the new settings
        if "context_path" in checked:
            transport.context_path = transport_context(checked["context_path"])
        if "api_version" in checked or "api_recheck_interval" in checked:
            self._set_dialect_options()
        for part in list(self._parts.values()):
            hook = getattr(part, "options_changed", None)
            if hook is not None:
                hook(checked)

    def options(self):
        """A copy of the current options."""
        return dict(self._options)

    def _set_dialect_options(self):
        dialects = self._transport.dialects
        dialects.mode = self._options["api_version"]
        dialects.recheck = float(self._options["api_recheck_interval"])

    @property
    def api_dialects(self):
        """Which HTTP API each server speaks, as learnt from its answers: ``{server_url: {family: "v1" | "v3"}}``
        (families: config, config-admin, naming, naming-admin, auth; see :mod:`nacos.dialect`). A server or
        family not listed is spoken to in v1 (or in the version the ``api_version`` option forces)."""
        return self._transport.dialects.snapshot()

    def api_dialect(self, family="config"):
        """The dialect the next ``family`` request to the current server is sent in: ``"v1"`` or ``"v3"``."""
        return self._transport.dialects.choose(self._servers.current().url, family)

    def _dialect_gauge(self, family):
        return lambda: 3 if self.api_dialect(family) == "v3" else 1

    def metrics(self):
        """A snapshot of what this client did: ``{metric_name: [{"labels": {...}, "value": v}, ...]}``.

        Names and labels are listed in docs/observability.md; :func:`nacos.metrics.prometheus_text` renders
        the same figures for Prometheus."""
        return self._metrics.snapshot()

    @property
    def server_list(self):
        """Legacy: the servers as ``(host, port)`` tuples (``host`` prefixed with ``https://`` for TLS)."""
        return [s.legacy for s in self._servers.servers]

    @property
    def current_server(self):
        """Legacy: the server the next request goes to, as ``(host, port)``. Assigning a ``(host, port)``
        (or ``"host:port"``) sends the next requests there first, as in the legacy client: a listed server
        becomes the current one; any other is tried until it fails, then the rotation goes on."""
        return self._servers.current().legacy

    @current_server.setter
    def current_server(self, value):
        if isinstance(value, (tuple, list)) and len(value) == 2:
            host, port = value[0], int(value[1])
            if ":" in host and "://" not in host and not host.startswith("["):
                host = "[%s]" % host
            value = "%s:%d" % (host, port)
        self._servers.pin(parse_address(value, "current_server"))

    @property
    def server_offset(self):
        return self._servers.offset

    def get_server(self):
        """Legacy: the current server as ``(host, port)``."""
        return self.current_server

    def change_server(self):
        """Legacy: move to the next server."""
        self._servers.rotate()

    @property
    def auth_enabled(self):
        """Legacy: True when requests are signed (AK/SK or a credentials provider), else None."""
        return True if self.credentials_provider is not None else None

    @property
    def token(self):
        manager = self._transport.token_manager
        return manager.token if manager else None

    @property
    def token_ttl(self):
        manager = self._transport.token_manager
        return manager.token_ttl if manager else None

    def get_access_token(self, force_refresh=False):
        """The current access token (logging in when needed), or None without username/password."""
        manager = self._transport.token_manager
        return manager.get_token(force_refresh) if manager else None

    @staticmethod
    def get_md5(content):
        """Hex MD5 of the UTF-8 bytes of ``content``, or None."""
        return md5_hex(content)

    # ------------------------------------------------------------------ parts and lifecycle
    def _part_gauge(self, name, method):
        def read():
            part = self._parts.get(name)
            if part is None:
                return 0
            value = getattr(part, method)()
            return value if isinstance(value, (int, float)) else len(value)
        return read

    def _part(self, name, factory):
        """The background part ``name``, created on first use (and recreated in a forked child)."""
        self._check_fork()
        with self._lock:
            part = self._parts.get(name)
            if part is None:
                if self._stopped:
                    self._stopped = False  # a stopped client that is used again comes back to life
                part = self._parts[name] = factory()
            return part

    def _check_fork(self):
        """At each use of a part: notice a fork (without the at-fork hook), and start the background work a
        forked child has not started yet."""
        if self._pid != os.getpid():
            self._after_fork()
        if self._restart_pending:
            self._restart_parts()

    def _after_fork(self):
        """In a forked child (the at-fork hook, or the first use): forget the parent's state; start nothing.
        Every lock of the client's objects is a :class:`~nacos.forksafe.ForkSafeLock` (new in this process);
        the threads restart at the first use (:meth:`_restart_parts`), so a child that never uses the client
        (a ``multiprocessing`` worker) runs none of them and sends no beat for the parent's instances."""
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._restart_pending = True

    def _restart_parts(self):
        with self._lock:
            if not self._restart_pending:
                return
            self._restart_pending = False
            if self._stopped:  # a stopped client starts nothing in a child either
                return
            for part in list(self._parts.values()):
                hook = getattr(part, "after_fork", None)
                if hook is not None:
                    try:
                        hook()
                    except Exception:  # noqa: BLE001 - one part must not stop the others
                        logger.exception("restarting %r after fork failed", part)
            if self._refresher is not None:
                self._refresher = AddressServerRefresher(
                    self._refresher.url, self._servers, address_fetcher(self._transport),
                    interval=self._refresher.interval, timeout=ADDRESS_SERVER_TIMEOUT)
                self._refresher.start()

    def stop(self, timeout=1.0):
        """Stop every background thread the client owns (joined within ``timeout``), deregister managed
        instances when ``deregister_on_stop`` is set, and close connections. Idempotent."""
        with self._lock:
            parts = list(self._parts.items())
            self._parts.clear()
            self._stopped = True
        for name, part in reversed(parts):
            try:
                part.stop(timeout)
            except Exception:  # noqa: BLE001 - stop the rest anyway
                logger.exception("stopping %s failed", name)
        if self._refresher is not None:
            self._refresher.stop(timeout)
        self._transport.close()

    close = stop

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self):
        urls = [s.url for s in self._servers.servers]
        return "<NacosClient servers=%s namespace=%r>" % (urls, self.namespace)


def _fork_check_of(client):
    """``client._check_fork`` without a reference to ``client`` (the transport calls it before each request)."""
    ref = weakref.ref(client)

    def check():
        alive = ref()
        if alive is not None:
            alive._check_fork()
    return check


def transport_context(value):
    from .transport import normalize_context_path
    return normalize_context_path(value)


for _name in SPEC:
    setattr(NacosClient, _name, _OptionProperty(_name))

# ---------------------------------------------------------------------------------------- fork handling
_clients = weakref.WeakSet()
_clients_lock = threading.Lock()


def _after_fork_in_child():
    global _clients_lock
    _clients_lock = threading.Lock()
    reset_after_fork()
    for client in list(_clients):
        try:
            client._after_fork()
        except Exception:  # noqa: BLE001
            logger.exception("restarting a client after fork failed")


def _register_fork_hook(client):
    with _clients_lock:
        _clients.add(client)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
elif hasattr(os, "fork") and not getattr(os.fork, "nacos_wrapped", False):  # Python 2.7 and 3.6
    _real_fork = os.fork

    def _fork():
        """``os.fork`` that readies every client for the child (what ``os.register_at_fork`` does on 3.7+):
        its background parts restart when the child first uses it."""
        pid = _real_fork()
        if pid == 0:
            _after_fork_in_child()
        return pid

    _fork.nacos_wrapped = True
    os.fork = _fork
