"""``client.naming``: the naming service of :class:`~nacos.NacosClient` (legacy signatures, legacy positional
order; the client's methods of the same names delegate here).

Every call accepts ``group_name`` (or a grouped ``group@@service`` name, as legacy code passed); the
cluster defaults to ``DEFAULT`` (never the string "None"); metadata may be a dict, a JSON object string or
``"k=v,k2=v2"``; booleans go out as ``true``/``false``; list results have the legacy dict shape whatever the
server version. Ephemeral instances registered here are kept alive by the client's
heartbeat scheduler (:mod:`.heartbeat`) unless ``managed_heartbeat=False``. Subscriptions are in
:mod:`.subscribe_calls`.
"""
from __future__ import absolute_import

import logging

from .. import params as P
from ..exception import NacosException
from .cache import DiskCache, only_healthy
from .api import NamingAPI
from .heartbeat import BeatEntry, HeartbeatScheduler, beat_key
from .shapes import normalize_instance, normalize_service_info
from .subscribe import UNAVAILABLE
from .subscribe_calls import SubscribeCalls

logger = logging.getLogger(__name__)


def _instance_args(service_name, group_name, ip, port, cluster_name):
    """The validated arguments that name one instance (errors name the argument)."""
    service_name, group_name = P.service_and_group(service_name, group_name)
    return service_name, group_name, P.ip(ip), P.port(port), P.cluster_name(cluster_name)


class NamingService(SubscribeCalls):
    """Instances, managed heartbeats and subscriptions of one client (``client.naming``).

    :param runtime: the client's :class:`~nacos.runtime.Runtime` (threads, parts, options).
    :param transport: the client's transport. :param servers: its server list. :param namespace: its namespace.
    """

    def __init__(self, runtime, transport, servers, namespace):
        self._runtime = runtime
        self._options = runtime.options
        self._metrics = transport.metrics
        self._servers = servers
        self.namespace = namespace
        self._naming_api = NamingAPI(transport, namespace, runtime.options)
        self._naming_disk_cache = DiskCache(runtime.options)

    # ------------------------------------------------------------------ parts
    def _naming_fork_check(self):
        self._runtime.check_fork()  # Python 2.7 and 3.6 have no os.register_at_fork

    def _beats(self, create=True):
        """The heartbeat scheduler part (None when ``create`` is False and it does not exist)."""
        if not create:
            return self._runtime.get(HeartbeatScheduler)
        return self._runtime.part(HeartbeatScheduler, lambda: HeartbeatScheduler(self._runtime, self._naming_api))

    def _naming_disk(self):
        return self._naming_disk_cache

    # ------------------------------------------------------------------ instances
    def add_naming_instance(self, service_name, ip, port, cluster_name=None, weight=1.0, metadata=None,
                            enable=True, healthy=True, ephemeral=True, group_name=P.DEFAULT_GROUP_NAME,
                            heartbeat_interval=None):
        """Register an instance (``POST /v1/ns/instance``); True when the server says ``ok``.

        An ephemeral instance is then kept alive by managed heartbeats (``PUT /v1/ns/instance/beat``) every
        ``heartbeat_interval`` seconds (else the ``heartbeat_interval`` option, else the server's
        ``clientBeatInterval``). ``managed_heartbeat=False`` turns that off unless ``heartbeat_interval`` is
        given here (the legacy behaviour).
        """
        self._naming_fork_check()
        service_name, group_name, ip, port, cluster_name = _instance_args(service_name, group_name, ip, port,
                                                                          cluster_name)
        weight = P.weight(weight)
        metadata = P.metadata(metadata)
        P.boolean(enable, "enable")
        P.boolean(healthy, "healthy")
        P.boolean(ephemeral, "ephemeral")
        if heartbeat_interval is not None:
            heartbeat_interval = P.timeout(heartbeat_interval, "heartbeat_interval")
        ok = self._naming_api.register(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                       enable, healthy, ephemeral)
        if ok and ephemeral:
            key = beat_key(self.namespace, group_name, service_name, ip, port)
            if heartbeat_interval is not None or self._options["managed_heartbeat"]:
                self._beats().add(BeatEntry(self.namespace, service_name, group_name, ip, port, cluster_name,
                                            weight, metadata, enable, heartbeat_interval))
            elif self._beats(create=False) is not None:
                self._beats(create=False).remove(key)  # re-registered unmanaged: the old beat stops
        return ok

    def remove_naming_instance(self, service_name, ip, port, cluster_name=None, ephemeral=True,
                               group_name=P.DEFAULT_GROUP_NAME):
        """Deregister an instance (``DELETE /v1/ns/instance``); True when the server says ``ok``. Its managed
        heartbeat stops first (a beat in flight is waited for), so no beat can register it again."""
        self._naming_fork_check()
        service_name, group_name, ip, port, cluster_name = _instance_args(service_name, group_name, ip, port,
                                                                          cluster_name)
        P.boolean(ephemeral, "ephemeral")
        beats = self._beats(create=False)
        if beats is not None:
            beats.remove(beat_key(self.namespace, group_name, service_name, ip, port))
        return self._naming_api.deregister(service_name, group_name, ip, port, cluster_name, ephemeral)

    def modify_naming_instance(self, service_name, ip, port, cluster_name=None, weight=None, metadata=None,
                               enable=None, ephemeral=True, group_name=P.DEFAULT_GROUP_NAME):
        """Update an instance's weight, metadata or enabled flag (``PUT /v1/ns/instance``).

        Nacos 2.x replaces all three with what the request carries, so a weight or metadata left as None is
        first read from the server (``GET /v1/ns/instance``, best effort) and sent unchanged.
        """
        self._naming_fork_check()
        service_name, group_name, ip, port, cluster_name = _instance_args(service_name, group_name, ip, port,
                                                                          cluster_name)
        weight = P.weight(weight, allow_none=True)
        metadata = P.metadata(metadata)
        if enable is not None:
            P.boolean(enable, "enable")
        P.boolean(ephemeral, "ephemeral")
        if weight is None or metadata is None:
            try:
                current = self._naming_api.get(service_name, group_name, ip, port, cluster_name)
            except NacosException as exc:
                logger.debug("modify_naming_instance: cannot read the current instance (%s)", exc)
            else:
                if weight is None and isinstance(current.get("weight"), (int, float)):
                    weight = float(current["weight"])
                if metadata is None and isinstance(current.get("metadata"), dict):
                    metadata = current["metadata"]
        ok = self._naming_api.modify(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                     enable, ephemeral)
        beats = self._beats(create=False)
        if ok and ephemeral and beats is not None:
            beats.update(beat_key(self.namespace, group_name, service_name, ip, port), weight=weight,
                         metadata=metadata, enabled=enable)
        return ok

    def list_naming_instance(self, service_name, clusters=None, namespace_id=None, group_name=None,
                             healthy_only=False):
        """Instances of a service (``GET /v1/ns/instance/list``) in the legacy dict shape:
        ``{"name", "groupName", "clusters", "cacheMillis", "hosts": [{"ip", "port", "healthy", "enabled",
        "weight", "metadata", "instanceId", "clusterName", "serviceName", "ephemeral", "valid"}], ...}``.

        When no server answers, the naming disk cache is served (with a warning); with no cache the error is
        raised.
        """
        self._naming_fork_check()
        service_name, group_name = P.service_and_group(service_name, group_name)
        clusters = P.clusters(clusters)
        namespace_id = P.namespace(namespace_id, "namespace_id") if namespace_id is not None else None
        P.boolean(healthy_only, "healthy_only")
        namespace = self.namespace if namespace_id is None else namespace_id
        disk = self._naming_disk()
        grouped = "%s@@%s" % (group_name, service_name)
        try:
            data = self._naming_api.list(service_name, group_name, clusters, healthy_only, namespace_id)
        except UNAVAILABLE as exc:
            cached = disk.read(namespace, grouped, clusters)
            if cached is None:
                raise
            self._metrics.inc("nacos_naming_disk_cache_reads_total")
            logger.warning("list_naming_instance %s: no server answered (%s); serving the disk cache %s",
                           grouped, exc, disk.path(namespace, grouped, clusters))
            cached = normalize_service_info(cached, service_name, group_name, clusters)
            return only_healthy(cached) if healthy_only else cached
        info = normalize_service_info(data, service_name, group_name, clusters)
        if clusters:  # r-nacos 0.8 ignores the clusters parameter: filter here (a no-op on Nacos 1.x-3.x)
            wanted = set(clusters.split(","))
            info["hosts"] = [h for h in info["hosts"] if h.get("clusterName") in wanted]
        if not healthy_only:
            disk.write(namespace, info)
        return info

    def get_naming_instance(self, service_name, ip, port, cluster_name=None, group_name=P.DEFAULT_GROUP_NAME):
        """One instance (``GET /v1/ns/instance``) as a dict (``ip``, ``port``, ``weight``, ``healthy``,
        ``metadata``, ``instanceId``, ``clusterName``, ``service``)."""
        self._naming_fork_check()
        service_name, group_name, ip, port, cluster_name = _instance_args(service_name, group_name, ip, port,
                                                                          cluster_name)
        data = self._naming_api.get(service_name, group_name, ip, port, cluster_name)
        return normalize_instance(data, service_name, group_name)

    def send_heartbeat(self, service_name, ip, port, cluster_name=None, weight=1.0, metadata=None,
                       ephemeral=True, group_name=P.DEFAULT_GROUP_NAME):
        """Send one beat with the full body (``PUT /v1/ns/instance/beat``); returns the server's dict, e.g.
        ``{"clientBeatInterval": 5000, "code": 10200, "lightBeatEnabled": true}``. Not needed for
        instances registered through this client: their beats are managed."""
        self._naming_fork_check()
        service_name, group_name, ip, port, cluster_name = _instance_args(service_name, group_name, ip, port,
                                                                          cluster_name)
        weight = P.weight(weight)
        metadata = P.metadata(metadata)
        P.boolean(ephemeral, "ephemeral")
        return self._naming_api.beat(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                     ephemeral)

    def list_naming_services(self, page_no=1, page_size=100, group_name=None):
        """One page of the service names of one group (None: DEFAULT_GROUP) of the namespace
        (``GET /v1/ns/service/list``; on a server without the v1 API ``GET /v3/admin/ns/service/list``), in
        the v1 shape whatever the server: ``{"count": <services in all pages>, "doms": [service names]}``."""
        from ..exception import NacosInvalidParam
        self._naming_fork_check()
        page_no = P.positive_int(page_no, "page_no")
        page_size = P.positive_int(page_size, "page_size")
        if page_size > 500:
            raise NacosInvalidParam("page_size", "must be at most 500, not %r" % (page_size,), page_size)
        group_name = P.group(group_name, "group_name")
        answer = self._naming_api.list_services(page_no, page_size, group_name)
        doms = answer.get("doms") if isinstance(answer, dict) else None
        if not isinstance(doms, list):
            raise NacosException("service list: unexpected answer %r" % (answer,))
        return {"count": int(answer.get("count") or 0), "doms": doms}
