"""Server addresses: parsing, the rotating server list, and the address-server refresher.

Accepted address forms (comma separated, spaces tolerated): ``host``, ``host:port``, ``http://host:port``,
``https://host:port``, ``[::1]:8848``, ``[::1]``, a bare IPv6 literal. A bare host uses port 8848; a URL with a
scheme and no port uses that scheme's default port (80/443).
"""
from __future__ import absolute_import

import logging
import random
import re

from .compat import string_types, urlsplit
from .exception import NacosInvalidParam, NacosUnavailable, http_error
from .forksafe import ForkSafeLock

logger = logging.getLogger(__name__)

_IPV6_CHARS = re.compile(r"^[0-9A-Fa-f:.]+(%[\w.-]+)?$")
DEFAULT_PORT = 8848
ADDRESS_SERVER_PORT = 8080
ADDRESS_SERVER_PATH = "/nacos/serverlist"
ADDRESS_REFRESH_INTERVAL = 30.0


class Server(object):
    """One Nacos server: scheme, host, port. ``legacy`` is the legacy ``(host, port)`` tuple."""

    __slots__ = ("scheme", "host", "port", "url")

    def __init__(self, scheme, host, port):
        self.scheme = scheme
        self.host = host
        self.port = port
        host_part = "[%s]" % host if ":" in host else host
        self.url = "%s://%s:%d" % (scheme, host_part, port)

    @property
    def legacy(self):
        host = self.host if self.scheme == "http" else "%s://%s" % (self.scheme, self.host)
        return (host, self.port)

    def __eq__(self, other):
        return isinstance(other, Server) and self.url == other.url

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.url)

    def __repr__(self):
        return "Server(%r)" % self.url


def _port(text, entry, argument):
    if not text.isdigit() or not 0 < int(text) <= 65535:
        raise NacosInvalidParam(argument, "bad port in %r" % entry, entry)
    return int(text)


def parse_address(entry, argument="server_addresses", default_port=DEFAULT_PORT):
    """Parse one address into a :class:`Server`."""
    raw = entry.strip()
    if not raw:
        raise NacosInvalidParam(argument, "empty address")
    if "://" in raw:
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise NacosInvalidParam(argument, "scheme must be http or https in %r" % raw, raw)
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise NacosInvalidParam(
                argument, "%r has a path; set the context path with the context_path option" % raw, raw)
        netloc = parts.netloc
        if "@" in netloc:
            shown = "%s://***@%s" % (scheme, netloc.rsplit("@", 1)[1])
            raise NacosInvalidParam(argument, "user info is not allowed in %r; use username/password" % shown)
        port_default = 443 if scheme == "https" else 80
    else:
        scheme, netloc, port_default = "http", raw, default_port
    if netloc.startswith("["):
        host, sep, rest = netloc[1:].partition("]")
        if not sep or not host:
            raise NacosInvalidParam(argument, "unclosed IPv6 bracket in %r" % raw, raw)
        if rest and not rest.startswith(":"):
            raise NacosInvalidParam(argument, "malformed address %r" % raw, raw)
        port = _port(rest[1:], raw, argument) if rest else port_default
    elif netloc.count(":") > 1:  # bare IPv6 literal without a port
        if not _IPV6_CHARS.match(netloc):
            raise NacosInvalidParam(argument, "malformed address %r" % raw, raw)
        host, port = netloc, port_default
    elif ":" in netloc:
        host, port_text = netloc.split(":", 1)
        port = _port(port_text, raw, argument)
    else:
        host, port = netloc, port_default
    if not host or any(c.isspace() for c in host) or "/" in host:
        raise NacosInvalidParam(argument, "malformed address %r" % raw, raw)
    return Server(scheme, host, port)


def parse_addresses(value, argument="server_addresses"):
    """Parse a comma-separated string (or a list) of addresses; duplicates are dropped."""
    if isinstance(value, string_types):
        entries = value.split(",")
    elif isinstance(value, (list, tuple)):
        entries = []
        for item in value:
            if not isinstance(item, string_types):
                raise NacosInvalidParam(argument, "entries must be strings, not %r" % (item,), value)
            entries.extend(item.split(","))
    else:
        raise NacosInvalidParam(argument, "must be a comma-separated string of addresses", value)
    servers = []
    for entry in entries:
        if entry.strip():
            server = parse_address(entry, argument)
            if server not in servers:
                servers.append(server)
    if not servers:
        raise NacosInvalidParam(argument, "no address given", value)
    return servers


def parse_server_list_body(text):
    """Parse an address server's answer: one ``ip`` or ``ip:port`` per line. Bad lines are skipped."""
    servers = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            server = parse_address(line, "address server line")
        except NacosInvalidParam:
            logger.warning("address server: ignoring malformed line %r", line)
            continue
        if server not in servers:
            servers.append(server)
    return servers


def address_server_url(endpoint, namespace=None):
    """The URL to fetch the server list from: ``http://<endpoint>[:8080]/nacos/serverlist[?namespace=ns]``."""
    raw = endpoint.strip()
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    if not parts.hostname:
        raise NacosInvalidParam("endpoint", "no host in %r" % endpoint, endpoint)
    netloc = parts.netloc if parts.port else "%s:%d" % (parts.netloc, ADDRESS_SERVER_PORT)
    path = parts.path if parts.path not in ("", "/") else ADDRESS_SERVER_PATH
    url = "%s://%s%s" % (parts.scheme, netloc, path)
    query = parts.query
    if namespace:
        query = (query + "&" if query else "") + "namespace=" + namespace
    return url + ("?" + query if query else "")


class ServerList(object):
    """The servers a client talks to, with a sticky current server.

    ``rotate(server)`` moves past ``server`` if it is still the current one, so concurrent failures on the
    same server rotate once. ``pin(server)`` (the legacy ``client.current_server = ...``) makes a server that
    is not in the list the current one until it fails; it then takes the current one's turn, as in the
    legacy client.
    """

    def __init__(self, servers):
        self._lock = ForkSafeLock("server list")
        self._servers = list(servers)
        self._index = 0
        self._pinned = None

    @property
    def servers(self):
        return list(self._servers)

    @property
    def offset(self):
        with self._lock:
            return self._index % len(self._servers)

    def current(self):
        with self._lock:
            return self._pinned or self._servers[self._index % len(self._servers)]

    def pin(self, server):
        with self._lock:
            if server in self._servers:
                self._index, self._pinned = self._servers.index(server), None
            else:
                self._pinned = server

    def attempt_order(self):
        """As many tries as servers, starting with the current one."""
        with self._lock:
            n = len(self._servers)
            start = self._index % n
            if self._pinned is not None:
                return [self._pinned] + [self._servers[(start + i) % n] for i in range(1, n)]
            return [self._servers[(start + i) % n] for i in range(n)]

    def rotate(self, failed=None):
        with self._lock:
            n = len(self._servers)
            if self._pinned is not None and (failed is None or failed == self._pinned):
                self._pinned = None
                self._index = (self._index + 1) % n
            elif failed is None or self._servers[self._index % n] == failed:
                self._index = (self._index + 1) % n
                new = self._servers[self._index]
                if n > 1:
                    logger.info("nacos server switched to %s", new.url)
            return self._servers[self._index % n]

    def replace(self, servers):
        """Install a new list (from the address server), keeping the current server when it is still there."""
        if not servers:
            return
        with self._lock:
            current = self._servers[self._index % len(self._servers)] if self._servers else None
            self._servers = list(servers)
            self._index = self._servers.index(current) if current in self._servers else 0


def address_fetcher(transport):
    """``fetch(url, timeout)`` for :class:`AddressServerRefresher`: GET through the transport's session, the
    body decoded as UTF-8 whatever the Content-Type says (as the legacy client did; a charset guess turns
    a short ASCII list into garbage)."""
    def fetch(url, timeout):
        raw = transport.session.get(url, timeout=(timeout, timeout), verify=transport._verify_setting(),
                                    proxies=transport._proxies_for(url))
        if raw.status_code != 200:
            raise http_error(raw.status_code, "GET", url, raw.content.decode("utf-8", "replace"))
        return raw.content.decode("utf-8", "replace").lstrip(u"\ufeff")
    return fetch


class AddressServerRefresher(object):
    """Fetches the server list from an address server now and every ``interval`` seconds (jittered).

    A background part of the client: the runtime's scheduler times each refresh and its worker runs it (a
    blocking GET never holds up other timers); no thread of its own. Keeps the last list when a refresh
    fails. ``fetch(url, timeout)`` returns the body text.
    """

    def __init__(self, runtime, url, server_list, fetch, interval=ADDRESS_REFRESH_INTERVAL, timeout=3.0):
        self.runtime = runtime
        self.url = url
        self.server_list = server_list
        self._fetch = fetch
        self.interval = interval
        self.timeout = timeout
        self._stop = runtime.event()
        self._timer = None
        self._state = runtime.lock("address refresher")

    def fetch_once(self):
        body = self._fetch(self.url, self.timeout)
        servers = parse_server_list_body(body)
        if not servers:
            raise NacosUnavailable("address server %s returned no servers" % self.url)
        return servers

    def initial(self, attempts=3):
        """Fetch at start-up (a few tries); raises NacosUnavailable when no list can be had."""
        last = None
        for i in range(attempts):
            try:
                return self.fetch_once()
            except Exception as exc:  # noqa: BLE001 - reported below
                last = exc
                if self._stop.wait(0.2 * (i + 1)):
                    break
        raise NacosUnavailable("cannot get the server list from the address server: %s" % last,
                               attempts=[(self.url, str(last))])

    def start(self):
        """Schedule the refreshes (idempotent)."""
        with self._state:
            self._stop.clear()
            if self._timer is None:
                self._schedule()

    def stop(self, timeout=1.0):
        with self._state:
            self._stop.set()
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    def after_fork(self):
        """In a forked child (at its first use of the client): the parent's timer is not here; start again."""
        self._state = self.runtime.lock("address refresher")
        self._timer = None
        if not self._stop.is_set():
            self.start()

    def _schedule(self):  # with the state lock
        self._timer = self.runtime.call_later(self.interval * random.uniform(0.9, 1.1), self._due)

    def _due(self):  # on the scheduler thread: the GET runs on the runtime's worker
        self.runtime.submit("address-refresh", self.refresh)

    def refresh(self):
        """One refresh now (then the next one is scheduled)."""
        try:
            if not self._stop.is_set():
                self._refresh()
        finally:
            with self._state:
                if not self._stop.is_set():
                    self._schedule()

    def _refresh(self):
        try:
            servers = self.fetch_once()
        except Exception as exc:  # noqa: BLE001 - keep the last list
            logger.warning("address server refresh failed, keeping the last list: %s", exc)
            return
        if servers != self.server_list.servers:
            logger.info("address server: server list is now %s", [s.url for s in servers])
        self.server_list.replace(servers)
