"""Services, instances, UDP subscribers and the ephemeral-instance health checker.

Mirrors the Nacos 2.x model closely enough for clients:

* one instance per ``(ip, port, ephemeral)`` "client" per service (re-registering
  in another cluster replaces it; deregistering ignores the cluster);
* a service is ephemeral or persistent, fixed by its first instance, and services
  created through ``POST /v1/ns/service`` are persistent and "explicit" (they
  have service metadata, so the protect threshold applies);
* ephemeral instances turn unhealthy ``heartbeat_timeout`` after their last beat
  and are deleted after ``delete_timeout`` (per-instance
  ``preserved.heart.beat.timeout`` / ``preserved.ip.delete.timeout`` metadata in
  milliseconds override), checked every ``health_check_interval``.

Every change calls ``on_change(namespace, grouped_service)`` outside the lock.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import threading
import time

from . import errors
from ._compat import monotonic
from .params import split_service

EMPTY_SERVICE_TIMEOUT = 60.0


class Instance(object):
    """One registered instance."""

    __slots__ = ("ip", "port", "cluster", "weight", "healthy", "enabled", "ephemeral",
                 "metadata", "last_beat", "service")

    def __init__(self, ip, port, service, cluster="DEFAULT", weight=1.0, healthy=True,
                 enabled=True, ephemeral=True, metadata=None):
        self.ip, self.port, self.service, self.cluster = ip, port, service, cluster
        self.weight, self.healthy, self.enabled = weight, healthy, enabled
        self.ephemeral = ephemeral
        self.metadata = metadata or {}
        self.last_beat = monotonic()

    @property
    def instance_id(self):
        """The 2.x simple id: ``ip#port#cluster#group@@service``."""
        return "%s#%d#%s#%s" % (self.ip, self.port, self.cluster, self.service)

    def _ms(self, name, default_ms):
        try:
            return int(self.metadata.get(name, default_ms))
        except (TypeError, ValueError):
            return default_ms

    def to_host(self, store, force_healthy=False):
        """The ``hosts[]`` JSON shape of ``/instance/list`` and UDP pushes."""
        return {"instanceId": self.instance_id, "ip": self.ip, "port": self.port,
                "weight": self.weight, "healthy": True if force_healthy else self.healthy,
                "enabled": self.enabled, "ephemeral": self.ephemeral, "clusterName": self.cluster,
                "serviceName": self.service, "metadata": dict(self.metadata),
                "instanceHeartBeatInterval": self._ms("preserved.heart.beat.interval", 5000),
                "instanceHeartBeatTimeOut": self._ms("preserved.heart.beat.timeout",
                                                     int(store.heartbeat_timeout * 1000)),
                "ipDeleteTimeout": self._ms("preserved.ip.delete.timeout", int(store.delete_timeout * 1000)),
                "instanceIdGenerator": self.metadata.get("preserved.instance.id.generator", "simple")}

    def to_v3(self, store):
        """The 3.x instance shape (see :func:`v3_host`)."""
        return v3_host(self.to_host(store))


def v3_host(host):
    """A ``hosts[]`` item in the 3.x shape: no ``instanceId``; ``serviceName`` is ``group@@name``; the real 3.1
    sends ``instanceIdGenerator`` only while the instance has no metadata."""
    host = dict(host)
    del host["instanceId"]
    if host["metadata"]:
        host.pop("instanceIdGenerator", None)
    return host


class Service(object):
    """One service in one namespace."""

    def __init__(self, namespace, name, ephemeral, explicit):
        self.namespace, self.name = namespace, name
        self.ephemeral, self.explicit = ephemeral, explicit
        self.protect_threshold = 0.0
        self.metadata = {}
        self.selector = {"type": "none"}
        self.instances = {}
        self.empty_since = None


class Subscriber(object):
    """A UDP push target registered by ``/instance/list?udpPort=``."""

    __slots__ = ("ip", "port", "clusters", "agent", "last_seen")

    def __init__(self, ip, port, clusters, agent):
        self.ip, self.port, self.clusters, self.agent = ip, port, clusters, agent
        self.last_seen = monotonic()


class NamingStore(object):
    """Thread-safe naming data plus change notification."""

    def __init__(self, heartbeat_timeout=15.0, delete_timeout=30.0, subscriber_timeout=180.0,
                 on_change=None, expire_explicit=False):
        self.heartbeat_timeout = heartbeat_timeout
        #: remove empty services made by ``POST .../service`` too (a real 3.1 does, after 60 s)
        self.expire_explicit = expire_explicit
        self.delete_timeout = delete_timeout
        self.subscriber_timeout = subscriber_timeout
        self.on_change = on_change
        self._lock = threading.RLock()
        self._services = {}
        self._subscribers = {}

    def wipe(self):
        """Forget every service, instance and subscriber."""
        with self._lock:
            self._services = {}
            self._subscribers = {}

    def _fire(self, keys):
        if self.on_change is not None:
            for key in keys:
                self.on_change(key[0], key[1])

    # ------------------------------------------------------------------ instances
    def register(self, namespace, inst):
        """Register (or replace) ``inst``; raises 400 on an ephemeral/persistent clash."""
        key = (namespace, inst.service)
        with self._lock:
            svc = self._services.get(key)
            if svc is None:
                svc = Service(namespace, inst.service, inst.ephemeral, explicit=False)
                self._services[key] = svc
            elif svc.ephemeral != inst.ephemeral:
                kind = "ephemeral" if svc.ephemeral else "persistent"
                other = "persistent" if svc.ephemeral else "ephemeral"
                raise errors.naming_runtime("Current service %s is %s service, can't register %s instance."
                                            % (inst.service, kind, other))
            inst.last_beat = monotonic()
            svc.instances[(inst.ip, inst.port, inst.ephemeral)] = inst
            svc.empty_since = None
        self._fire([key])

    def deregister(self, namespace, service, ip, port, ephemeral):
        """Remove the instance of client ``ip:port`` (cluster ignored, as in 2.x)."""
        key = (namespace, service)
        with self._lock:
            svc = self._services.get(key)
            if svc is None or svc.instances.pop((ip, port, ephemeral), None) is None:
                return
            if not svc.instances:
                svc.empty_since = monotonic()
        self._fire([key])

    def find(self, namespace, service, ip, port, cluster=None, ephemeral=None):
        """The instance for ``ip:port`` (optionally in ``cluster``), or None."""
        with self._lock:
            svc = self._services.get((namespace, service))
            if svc is None:
                return None
            for inst in svc.instances.values():
                if inst.ip == ip and inst.port == port and (cluster is None or inst.cluster == cluster) \
                        and (ephemeral is None or inst.ephemeral == ephemeral):
                    return inst
        return None

    def find_service(self, namespace, service):
        """Whether the service exists."""
        with self._lock:
            return (namespace, service) in self._services

    def update(self, namespace, service, ip, port, ephemeral, weight=None, enabled=None, metadata=None):
        """2.x PUT: change enabled/weight/metadata; 400 when the service is unknown."""
        key = (namespace, service)
        with self._lock:
            svc = self._services.get(key)
            if svc is None:
                group, _, name = service.partition("@@")
                raise errors.naming_caused(500, "service not found, namespace: %s, service: Service{namespace='%s', "
                                                "group='%s', name='%s', ephemeral=%s, revision=0}"
                                           % (namespace, namespace, group, name, "true" if ephemeral else "false"))
            inst = svc.instances.get((ip, port, ephemeral))
            if inst is None:
                return
            if weight is not None:
                inst.weight = weight
            if enabled is not None:
                inst.enabled = enabled
            if metadata is not None:
                inst.metadata = metadata
        self._fire([key])

    def beat(self, namespace, service, ip, port, beat_instance=None):
        """Process a heartbeat; returns 10200, or 20404 when unknown without a beat body."""
        key = (namespace, service)
        with self._lock:
            svc = self._services.get(key)
            inst = svc.instances.get((ip, port, True)) if svc is not None else None
            if inst is not None:
                inst.last_beat = monotonic()
                changed = not inst.healthy
                inst.healthy = True
        if inst is None:
            if beat_instance is None:
                return 20404
            self.register(namespace, beat_instance)
            return 10200
        if changed:
            self._fire([key])
        return 10200

    # ------------------------------------------------------------------ queries
    def service_info(self, namespace, service, clusters="", healthy_only=False, cache_millis=3000):
        """The 2.x ``ServiceInfo`` JSON: enabled hosts only, protect threshold applied."""
        group = split_service(service)[0]
        hosts, reach = [], False
        with self._lock:
            svc = self._services.get((namespace, service))
            if svc is not None:
                wanted = set(c for c in clusters.split(",") if c)
                cand = [i for i in svc.instances.values()
                        if i.enabled and (not wanted or i.cluster in wanted)]
                cand.sort(key=lambda i: (i.cluster, i.ip, i.port))
                healthy = [i for i in cand if i.healthy]
                threshold = max(svc.protect_threshold, 0.0)
                if svc.explicit and cand and float(len(healthy)) / len(cand) <= threshold:
                    reach = True
                    hosts = [i.to_host(self, force_healthy=True) for i in cand]
                else:
                    hosts = [i.to_host(self) for i in (healthy if healthy_only else cand)]
        return {"name": service, "groupName": group, "clusters": clusters, "cacheMillis": cache_millis,
                "hosts": hosts, "lastRefTime": int(time.time() * 1000), "checksum": "",
                "allIPs": False, "reachProtectionThreshold": reach, "valid": True}

    def instances(self, namespace, service, clusters=None, healthy_only=False):
        """The instances of a service (all clusters when ``clusters`` is None), sorted by cluster, ip, port."""
        with self._lock:
            svc = self._services.get((namespace, service))
            found = list(svc.instances.values()) if svc is not None else []
        found = [i for i in found if (clusters is None or i.cluster in clusters) and (i.healthy or not healthy_only)]
        found.sort(key=lambda i: (i.cluster, i.ip, i.port))
        return found

    def service_views(self, namespace, group_part="", name_part=""):
        """3.x service list items of one namespace, filtered by substrings of the group and the name."""
        views = []
        with self._lock:
            for (ns, grouped), svc in sorted(self._services.items()):
                group, name = split_service(grouped)
                if ns != namespace or group_part not in group or name_part not in name:
                    continue
                insts = list(svc.instances.values())
                healthy = sum(1 for i in insts if i.healthy)
                # 3.1: healthy/ipCount <= protectThreshold, where 0/0 (NaN) is never <=
                trigger = bool(insts) and float(healthy) / len(insts) <= svc.protect_threshold
                views.append({"name": name, "groupName": group,
                              "clusterCount": len(set(i.cluster for i in insts)), "ipCount": len(insts),
                              "healthyInstanceCount": healthy, "triggerFlag": "true" if trigger else "false"})
        return views

    def service_detail(self, namespace, service):
        """3.x service detail (``clusterMap`` keyed by cluster name), or None when the service does not exist."""
        with self._lock:
            svc = self._services.get((namespace, service))
            if svc is None:
                return None
            group, name = split_service(service)
            clusters = sorted(set(i.cluster for i in svc.instances.values()))
            selector = dict(svc.selector)
            selector.setdefault("contextType", "NONE" if selector.get("type") == "none" else "CMDB")
            return {"namespaceId": namespace, "serviceName": name, "groupName": group,
                    "clusterMap": dict((c, {"clusterName": c, "healthChecker": {"type": "TCP"},
                                            "healthyCheckPort": 80, "useInstancePortForCheck": True, "metadata": {},
                                            "hosts": None}) for c in clusters),
                    "metadata": dict(svc.metadata), "protectThreshold": svc.protect_threshold,
                    "selector": selector, "ephemeral": svc.ephemeral}

    def counts(self):
        """``(services, instances, subscribers)`` for the metrics endpoint."""
        with self._lock:
            return (len(self._services), sum(len(s.instances) for s in self._services.values()),
                    sum(len(s) for s in self._subscribers.values()))

    # ------------------------------------------------------------------ services
    def create_service(self, namespace, service, protect_threshold, metadata, selector, ephemeral=False):
        """``POST /ns/service``: an explicit service, persistent unless ``ephemeral`` (3.x only)."""
        with self._lock:
            if (namespace, service) in self._services:
                raise errors.plain(400, "specified service %s already exists!" % service)
            svc = Service(namespace, service, ephemeral=ephemeral, explicit=True)
            svc.protect_threshold, svc.metadata = protect_threshold, metadata
            if selector:
                svc.selector = selector
            svc.empty_since = monotonic()
            self._services[(namespace, service)] = svc

    def update_service(self, namespace, service, protect_threshold, metadata, selector):
        """v1 ``PUT /ns/service``; gives the service metadata (so it becomes explicit)."""
        with self._lock:
            svc = self._services.get((namespace, service))
            if svc is None:
                raise errors.plain(400, "service not found, namespace: %s, service: %s" % (namespace, service))
            svc.protect_threshold = protect_threshold
            svc.explicit = True
            if metadata is not None:
                svc.metadata = metadata
            if selector:
                svc.selector = selector
        self._fire([(namespace, service)])

    def delete_service(self, namespace, service):
        """v1 ``DELETE /ns/service``: only an existing, empty service."""
        with self._lock:
            svc = self._services.get((namespace, service))
            if svc is None:
                raise errors.plain(400, "service %s not found!" % service)
            if svc.instances:
                raise errors.plain(400, "Service %s is not empty, can't be delete. Please unregister "
                                        "instance first" % service)
            del self._services[(namespace, service)]

    def get_service(self, namespace, service):
        """v1 ``GET /ns/service`` detail JSON."""
        with self._lock:
            svc = self._services.get((namespace, service))
            if svc is None:  # observed on 2.3.2 (docs/real-servers.md)
                raise errors.naming_caused(500, "service not found, namespace: %s, serviceName: %s"
                                           % (namespace, service))
            group, name = split_service(service)
            clusters = sorted(set(i.cluster for i in svc.instances.values()))
            return {"namespaceId": namespace, "groupName": group, "name": name,
                    "protectThreshold": svc.protect_threshold, "metadata": dict(svc.metadata),
                    "selector": svc.selector,
                    "clusters": [{"name": c, "healthChecker": {"type": "TCP" if not svc.ephemeral else "NONE"},
                                  "metadata": {}} for c in clusters]}

    def list_services(self, namespace, group, page_no, page_size):
        """v1 ``GET /ns/service/list``: ``{"count", "doms"}`` with ungrouped names."""
        with self._lock:
            names = sorted(split_service(svc.name)[1] for (ns, _), svc in self._services.items()
                           if ns == namespace and split_service(svc.name)[0] == group)
        start = (max(page_no, 1) - 1) * max(page_size, 1)
        return {"count": len(names), "doms": names[start:start + max(page_size, 1)]}

    # ------------------------------------------------------------------ subscribers
    def subscribe(self, namespace, service, ip, port, clusters, agent):
        """Record (or refresh) a UDP subscriber; True when it is new."""
        with self._lock:
            subs = self._subscribers.setdefault((namespace, service), {})
            sub = subs.get((ip, port))
            if sub is None:
                subs[(ip, port)] = Subscriber(ip, port, clusters, agent)
                return True
            sub.clusters, sub.agent, sub.last_seen = clusters, agent, monotonic()
            return False

    def subscribers(self, namespace, service):
        """A snapshot list of the subscribers of one service."""
        with self._lock:
            return list(self._subscribers.get((namespace, service), {}).values())

    # ------------------------------------------------------------------ health check
    def check(self):
        """One health-check pass: unhealthy/expired instances, stale subscribers, empty services."""
        now = monotonic()
        changed = []
        with self._lock:
            for key, svc in list(self._services.items()):
                touched = False
                for ikey, inst in list(svc.instances.items()):
                    if not inst.ephemeral:
                        continue
                    idle_ms = (now - inst.last_beat) * 1000.0
                    if idle_ms > inst._ms("preserved.ip.delete.timeout", int(self.delete_timeout * 1000)):
                        del svc.instances[ikey]
                        touched = True
                    elif inst.healthy and idle_ms > inst._ms("preserved.heart.beat.timeout",
                                                             int(self.heartbeat_timeout * 1000)):
                        inst.healthy = False
                        touched = True
                if touched:
                    changed.append(key)
                if not svc.instances:
                    if svc.empty_since is None:
                        svc.empty_since = now
                    elif (not svc.explicit or self.expire_explicit) and \
                            now - svc.empty_since > EMPTY_SERVICE_TIMEOUT:
                        del self._services[key]
            for key, subs in list(self._subscribers.items()):
                for skey, sub in list(subs.items()):
                    if now - sub.last_seen > self.subscriber_timeout:
                        del subs[skey]
                if not subs:
                    del self._subscribers[key]
        self._fire(changed)


class HealthChecker(object):
    """One daemon thread running ``NamingStore.check`` every ``interval`` seconds."""

    def __init__(self, store, interval):
        self.store = store
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None

    def start(self, label=""):
        """Start the checker thread (named ``nacos-testing-health<label>``)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="nacos-testing-health" + label)
        self._thread.daemon = True
        self._thread.start()

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.store.check()
            except Exception:  # pragma: no cover - never let the checker die
                pass

    def stop(self, timeout=1.0):
        """Stop and join the checker thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
