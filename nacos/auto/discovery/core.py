"""``Discovery``: service names to instance addresses, from the client's subscription cache.

* The first request to a name asks Nacos once (``list_naming_instance``): a name with instances becomes a
  watched service (``client.subscribe(name, fn)``, push + poll) and is never asked again - every later
  request is answered from memory. A name Nacos has no instance of is remembered as "unknown" for
  ``unknown_ttl`` seconds and goes to DNS meanwhile.
* Only usable instances are chosen (healthy, enabled, weight > 0), filtered by metadata and by the URL's
  port, by round-robin (default), random or weighted random (:mod:`nacos.naming.selector`).
* Empty protection: an update without a usable instance never replaces a list that had some.
* Sit-out: an instance that failed at the connection level is skipped for ``failure_ttl`` seconds; after
  that the next request may pick it again (the "half-open" try: success clears it, failure starts a new
  sit-out). When every candidate is sitting out they are tried anyway rather than failing the request.
"""
from __future__ import absolute_import

import logging
import random
import threading

from ...compat import monotonic
from ...exception import NacosException, NacosInvalidParam
from ...naming import selector
from . import settings as S
from . import urls
from .call import Call
from .errors import DiscoveryError, NoInstanceError

logger = logging.getLogger(__name__)

#: :meth:`Discovery.start` answer when a blocking Nacos lookup is needed and ``lookup=False`` was asked
NEEDS_LOOKUP = object()
UNREACHABLE_TTL = 5.0  # seconds a name passes to DNS after Nacos could not be asked about it
_CLASSIFY_CACHE_MAX = 2048


def address(host):
    return host["ip"], int(host["port"])


class Service(object):
    """One watched ``(name, group, clusters)``: the last accepted host list and a round-robin position."""

    def __init__(self, name, group, clusters, hosts, empty_protection=True):
        self.name, self.group, self.clusters = name, group, clusters
        self.empty_protection = empty_protection
        self.rr = selector.RoundRobin()
        self.registered, self.usable = 0, ()
        self.update(hosts)

    def update(self, hosts):
        hosts = sorted(hosts or [], key=lambda h: (h.get("ip"), int(h.get("port") or 0)))
        usable = tuple(selector.healthy(hosts))
        if not usable and self.usable and self.empty_protection:
            logger.info("keeping the %d known instances of %s: the update has no usable instance",
                        len(self.usable), self.name)
            return
        self.registered, self.usable = len(hosts), usable  # read without a lock: replaced, never mutated

    def on_change(self, event):
        """The subscription listener (runs on the client's subscription thread)."""
        self.update(event.get("hosts"))
        logger.debug("%s@@%s: %d usable of %d instances", self.group, self.name, len(self.usable),
                     self.registered)


class Discovery(object):
    """Resolves service-name URLs for the adapters. Thread-safe; one per process is the normal case
    (:func:`nacos.auto.discovery.configure`), more are fine (each with its own client and cache).

    :param settings: a :class:`~.settings.DiscoverySettings` (default: :func:`~.settings.build` with ``options``).
    :param client: a :class:`nacos.NacosClient` to use (not stopped by :meth:`close`); default: one created
        from the settings on the first lookup.
    """

    def __init__(self, settings=None, client=None, **options):
        self.settings = settings if settings is not None else S.build(**options)
        self._client = client
        self._own_client = client is None
        if client is not None:
            self._register_gauges(client)
        self._lock = threading.Lock()
        self._services = {}   # (name, group, clusters) -> Service
        self._unknown = {}    # (name, group, clusters) -> monotonic expiry
        self._lookups = {}    # key -> Lock, one lookup per key at a time
        self._classified = {}  # host -> (kind, name)
        self._down = {}       # (ip, port) -> monotonic time the sit-out ends
        self._failed = {}     # key -> (monotonic expiry, DiscoveryError): a forced name Nacos could not answer
        self._rng = random.Random(self.settings.seed)
        self._closed = False

    # ------------------------------------------------------------------ client
    @property
    def client(self):
        if self._client is None:
            with self._lock:
                if self._closed:
                    raise DiscoveryError("this Discovery was closed (configure() replaced it?)")
                if self._client is None:
                    import nacos
                    kwargs = self.settings.client_kwargs()
                    logger.info("discovery: connecting to Nacos %s (namespace '%s')", kwargs["server_addresses"],
                                kwargs["namespace"] or "public")
                    self._client = nacos.NacosClient(**kwargs)
                    self._register_gauges(self._client)
        return self._client

    def _register_gauges(self, client):
        client._metrics.gauge("nacos_discovery_instances_sitting_out", lambda: len(self.sitting_out()))

    @property
    def metrics(self):
        """The metrics registry of the client (None before the first lookup)."""
        client = self._client
        return client._metrics if client is not None else None

    @property
    def namespace(self):
        return self._client.namespace if self._client is not None else self.settings.namespace

    def close(self):
        """Stop watching; stops the client when this Discovery created it."""
        with self._lock:
            self._closed = True
            client, services = self._client, list(self._services.values())
            self._services = {}
        if client is None:
            return
        if self._own_client:
            client.stop()
        else:
            for svc in services:
                client.unsubscribe(svc.name, svc.on_change, svc.group)

    # ------------------------------------------------------------------ resolution
    def start(self, url, method, overrides=None, replayable=True, lookup=True):
        """A :class:`Call` for a request to ``url``, or None when the URL goes through unchanged.
        With ``lookup=False`` a needed Nacos lookup is not made: :data:`NEEDS_LOOKUP` is returned (async
        adapters then call again with ``lookup=True`` in a worker thread)."""
        parts = urls.split(url)
        if parts is None:
            return None
        kind, name = self._classify(parts[2])
        if kind == urls.PASS:
            return None
        group, clusters, metadata, strategy, retries = S.call_options(self.settings, overrides)
        key = (name, group, clusters)
        svc = self._services.get(key)
        if svc is None:
            if kind == urls.CANDIDATE:
                until = self._unknown.get(key)
                if until is not None and until > monotonic():
                    return None
            if not lookup:
                return NEEDS_LOOKUP
            started = monotonic()
            svc = self._lookup(key, kind == urls.SERVICE)
            if svc is None:
                return None
            self._count_resolution(svc, "miss", monotonic() - started)
        else:
            self._count_resolution(svc, "hit", None)
        return Call(self, svc, parts, method, metadata, strategy, retries, replayable)

    def _count_resolution(self, svc, result, seconds):
        metrics = self.metrics
        if metrics is not None:
            metrics.inc("nacos_discovery_resolutions_total", (("result", result), ("service", svc.name)))
            if seconds is not None:
                metrics.observe("nacos_discovery_lookup_seconds", seconds, (("service", svc.name),))

    def _classify(self, host):
        found = self._classified.get(host)
        if found is None:
            found = urls.classify(host, self.settings)
            if len(self._classified) >= _CLASSIFY_CACHE_MAX:
                self._classified = {}
            self._classified[host] = found
        return found

    def _lookup(self, key, forced):
        with self._lock:
            lock = self._lookups.setdefault(key, threading.Lock())
        with lock:
            svc = self._services.get(key)
            if svc is not None:
                return svc
            now = monotonic()
            until = self._unknown.get(key)
            if not forced and until is not None and until > now:
                return None
            failed = self._failed.get(key)
            if forced and failed is not None and failed[0] > now:
                raise failed[1]  # Nacos was just asked and did not answer: no Nacos call per request
            if self._closed:
                raise DiscoveryError("this Discovery was closed (configure() replaced it?)")
            return self._ask(key, forced)

    def _ask(self, key, forced):
        name, group, clusters = key
        client = self.client
        try:
            info = client.list_naming_instance(name, clusters=clusters or None, group_name=group)
        except NacosInvalidParam as exc:
            if forced:
                raise DiscoveryError("'%s' cannot be a Nacos service name: %s" % (name, exc))
            return self._remember_unknown(key, self.settings.unknown_ttl, "not a valid service name")
        except NacosException as exc:
            if forced:
                error = DiscoveryError("cannot look up service '%s' (group '%s', namespace '%s') in Nacos: %s"
                                       % (name, group, client.namespace or "public", exc))
                self._failed[key] = (monotonic() + min(UNREACHABLE_TTL, self.settings.unknown_ttl), error)
                raise error
            logger.warning("discovery: cannot ask Nacos whether '%s' is a service (%s); it goes to DNS for "
                           "%.0f s", name, exc, UNREACHABLE_TTL)
            return self._remember_unknown(key, min(UNREACHABLE_TTL, self.settings.unknown_ttl), "unreachable")
        hosts = info.get("hosts") or []
        if not hosts and not forced:
            return self._remember_unknown(key, self.settings.unknown_ttl, "no instance")
        svc = Service(name, group, clusters, hosts, self.settings.empty_protection)
        client.subscribe(name, svc.on_change, cluster_name=clusters or None, group_name=group)
        with self._lock:
            if self._closed:
                client.unsubscribe(name, svc.on_change, group)
                raise DiscoveryError("this Discovery was closed (configure() replaced it?)")
            self._services[key] = svc
            self._unknown.pop(key, None)
        logger.info("discovery: '%s' is a Nacos service (group '%s', %d instances); watching it", name, group,
                    len(hosts))
        return svc

    def _remember_unknown(self, key, ttl, why):
        logger.debug("discovery: '%s' (group '%s') is not a service (%s); DNS for %.0f s", key[0], key[1], why, ttl)
        with self._lock:
            if len(self._unknown) > 4096:
                now = monotonic()
                self._unknown = dict((k, v) for k, v in self._unknown.items() if v > now)
            self._unknown[key] = monotonic() + ttl
        return None

    # ------------------------------------------------------------------ choosing
    def candidates(self, svc, port, metadata, exclude=()):
        """The usable hosts of ``svc`` that pass the metadata and port filters, minus ``exclude``."""
        hosts = svc.usable
        if metadata:
            hosts = selector.match_metadata(hosts, metadata)
        if port is not None:
            hosts = [h for h in hosts if int(h["port"]) == port]
        if exclude:
            hosts = [h for h in hosts if address(h) not in exclude]
        return hosts

    def choose(self, svc, port, metadata, strategy, exclude=()):
        """One usable host of ``svc`` (None when none is left after the filters and ``exclude``)."""
        hosts = self.candidates(svc, port, metadata, exclude)
        if not hosts:
            return None
        if self._down:
            now = monotonic()
            up = [h for h in hosts if self._down.get(address(h), 0) <= now]
            hosts = up or hosts  # all sitting out: try them anyway
        if strategy == "round_robin" and not exclude:  # a retry does not move the round-robin position
            return svc.rr.choose(hosts)
        if strategy == "weighted_random":
            return selector.weighted_random(hosts, self._rng)
        return selector.random_choice(hosts, self._rng)

    def no_instance(self, svc, port, metadata):
        usable = svc.usable
        matching = selector.match_metadata(usable, metadata) if metadata else usable
        on_port = [h for h in matching if port is None or int(h["port"]) == port]
        return NoInstanceError(svc.name, svc.group, self.namespace, svc.clusters, metadata, port,
                               (svc.registered, len(usable), len(matching), len(on_port)))

    def mark_down(self, addr):
        self._down[addr] = monotonic() + self.settings.failure_ttl

    def mark_up(self, addr):
        if addr in self._down:
            self._down.pop(addr, None)
            logger.info("discovery: instance %s:%s answers again", addr[0], addr[1])

    def sitting_out(self):
        """``{(ip, port): seconds left}`` of the instances currently skipped."""
        now = monotonic()
        return dict((a, until - now) for a, until in list(self._down.items()) if until > now)

    def services(self):
        """``{(name, group, clusters): [usable hosts]}`` of the watched services (a snapshot)."""
        return dict((k, list(s.usable)) for k, s in list(self._services.items()))
