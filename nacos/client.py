"""``NacosClient``: the legacy facade, composed of two services on one transport and one runtime.

* ``client.config`` (:class:`nacos.config.calls.ConfigService`): config calls, local files, the watcher pool;
* ``client.naming`` (:class:`nacos.naming.calls.NamingService`): instances, heartbeats, subscriptions;
* ``client._runtime`` (:class:`nacos.runtime.Runtime`): every thread, timer, executor, lock and background
  part; start, stop and after-fork live there, once;
* ``client._transport`` (:class:`nacos.transport.Transport`): servers, rotation, auth, errors.

The legacy methods (``get_config``, ``add_naming_instance``, ...) are thin delegates to the services, made
below with the services' own signatures, so positional order, defaults and introspection stay the legacy ones.
Options are an immutable snapshot (:class:`nacos.options.Options`) that ``set_options`` swaps atomically.
"""
from __future__ import absolute_import

import logging

from . import params as P
from .auth import StaticCredentialsProvider, TokenManager
from .config.api import md5_hex
from .config.calls import ConfigService
from .config.watcher import WatcherPool
from .delegate import delegate_to
from .dialect import FAMILIES
from .exception import NacosException, NacosInvalidParam
from .legacy import LegacyHooks
from .logsetup import setup_file_logging
from .metrics import Metrics, NullMetrics
from .naming.calls import NamingService
from .naming.heartbeat import HeartbeatScheduler
from .naming.subscribe import SubscriptionManager
from .options import DEFAULTS, OPTIONS, SPEC, LiveOptions, defaults, validate
from .runtime import Runtime
from .servers import (AddressServerRefresher, ServerList, address_fetcher, address_server_url, parse_address,
                      parse_addresses)
from .transport import Transport, default_user_agent

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


class NacosClient(LegacyHooks):
    """A synchronous Nacos client over HTTP: the v1 OpenAPI, or the v3 API of Nacos 3.2+ (chosen per server).

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

    ``client.config`` and ``client.naming`` are its two services; every legacy method delegates to one of them.
    """

    def __init__(self, server_addresses=None, endpoint=None, namespace=None, ak=None, sk=None, username=None,
                 password=None, logDir=None, log_level=None, log_rotation_backup_count=None,
                 credentials_provider=None, **options):
        values = defaults()
        for name, value in options.items():
            values[name] = validate(name, value)
        self._options = LiveOptions(values)  # parts read the current snapshot through it
        namespace = P.namespace(namespace)
        self._namespace = namespace
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

        if server_addresses:
            servers = parse_addresses(server_addresses)
        elif endpoint:
            servers = None
        else:
            raise NacosInvalidParam("server_addresses", "server address & endpoint must not both be none")
        self._servers = ServerList(servers or [])
        self._runtime = runtime = Runtime(_describe(servers, endpoint, namespace), self._options)
        self._lock = runtime.lock("client", reentrant=True)
        self._metrics = Metrics() if self._options["metrics_enabled"] else NullMetrics()
        self._transport = Transport(
            self._servers, context_path=self._options["context_path"], timeout=self._options["default_timeout"],
            verify=self._options["tls_verify"], cert=self._options["tls_cert"], proxies=self._options["proxies"],
            pool_size=self._pool_size(), credentials_provider=credentials_provider, metrics=self._metrics,
            user_agent=self._options["user_agent"])
        if servers is None:
            refresher = AddressServerRefresher(
                runtime, address_server_url(endpoint, namespace), self._servers,
                address_fetcher(self._transport), interval=self._options["address_refresh_interval"],
                timeout=ADDRESS_SERVER_TIMEOUT)
            self._servers.replace(refresher.initial())
            runtime.part(AddressServerRefresher, lambda: refresher).start()
        self._transport.retry_window = float(self._options["retry_window"])
        self._transport.on_use = runtime.check_fork  # a forked child starts its parts at its first request
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

        self.config = ConfigService(runtime, self._transport, namespace)
        self.naming = NamingService(runtime, self._transport, self._servers, namespace)
        for name, part, method in (("nacos_config_watched_keys", WatcherPool, "watched"),
                                   ("nacos_config_long_polls_in_flight", WatcherPool, "in_flight"),
                                   ("nacos_naming_managed_instances", HeartbeatScheduler, "managed_count"),
                                   ("nacos_naming_subscriptions", SubscriptionManager, "subscriptions")):
            self._metrics.gauge(name, _part_gauge(runtime, part, method))

    # ------------------------------------------------------------------ options and legacy attributes
    def _pool_size(self):
        return max(10, self._options["callback_thread_num"] + 6)

    def set_options(self, **kwargs):
        """Set options (legacy keys and the newer ones in :data:`nacos.options.SPEC`). Unknown names and bad
        values raise :class:`NacosInvalidParam` naming the option."""
        with self._lock:
            checked = self._options.update(kwargs)  # validated first: a bad value changes nothing
        transport = self._transport
        if "default_timeout" in checked:
            transport.set_timeout(checked["default_timeout"])
        if "retry_window" in checked:
            transport.retry_window = float(checked["retry_window"])
        if set(checked) & set(["proxies", "tls_verify", "tls_cert", "callback_thread_num", "user_agent"]):
            transport.user_agent = self._options["user_agent"] or default_user_agent()
            transport.proxies = self._options["proxies"]
            transport.verify = self._options["tls_verify"]
            transport.cert = self._options["tls_cert"]
            transport.pool_size = self._pool_size()
            transport.reset_session()  # the next request builds a session with the new settings
        if "context_path" in checked:
            transport.context_path = transport_context(checked["context_path"])
        if "api_version" in checked or "api_recheck_interval" in checked:
            self._set_dialect_options()
        self._runtime.options_changed(checked)

    def options(self):
        """A copy of the current options (a plain dict)."""
        return dict(self._options.snapshot.items())

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
    def namespace(self):
        """The namespace id ("" for public). Legacy code may assign it: local file names and the keys of new
        watchers, instances and subscriptions follow (requests keep the namespace the client was made with)."""
        return self._namespace

    @namespace.setter
    def namespace(self, value):
        self._namespace = self.config.namespace = self.naming.namespace = value

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

    # ------------------------------------------------------------------ lifecycle
    def stop(self, timeout=1.0):
        """Stop every background thread the client owns (joined within ``timeout``), deregister managed
        instances when ``deregister_on_stop`` is set, and close connections. Idempotent; a stopped client
        can still make calls, and starts its background parts again when one needs them."""
        self._runtime.stop(timeout)
        self._transport.close()

    close = stop

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self):
        urls = [s.url for s in self._servers.servers]
        return "<NacosClient servers=%s namespace=%r>" % (urls, self.namespace)


def _part_gauge(runtime, part_type, method):
    """A gauge reading ``method`` of the runtime's part of ``part_type`` (0 when it does not exist)."""
    def read():
        part = runtime.get(part_type)
        if part is None:
            return 0
        value = getattr(part, method)()
        return value if isinstance(value, (int, float)) else len(value)
    return read


def _describe(servers, endpoint, namespace):
    where = ",".join(s.url for s in servers) if servers else "endpoint %s" % endpoint
    return "nacos client (%s, namespace %r)" % (where, namespace)


def transport_context(value):
    from .transport import normalize_context_path
    return normalize_context_path(value)


for _name in SPEC:
    setattr(NacosClient, _name, _OptionProperty(_name))

# the legacy methods and properties, delegated to the two services (their signatures, docstrings)
delegate_to(NacosClient, "config", ConfigService)
delegate_to(NacosClient, "naming", NamingService)
