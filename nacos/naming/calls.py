"""The naming half of :class:`~nacos.NacosClient` (legacy signatures, legacy positional order), as a mixin.

Every call accepts ``group_name``; the cluster defaults to ``DEFAULT`` (never the string "None"); metadata
may be a dict or a JSON object string; booleans go out as ``true``/``false``.
"""
from __future__ import absolute_import

import logging

from .. import params as P
from .shapes import normalize_instance, normalize_service_info

logger = logging.getLogger(__name__)


class NamingCalls(object):
    """Naming methods of NacosClient. Relies on ``_naming_api``, ``_options``, ``namespace``."""

    def add_naming_instance(self, service_name, ip, port, cluster_name=None, weight=1.0, metadata=None,
                            enable=True, healthy=True, ephemeral=True, group_name=P.DEFAULT_GROUP_NAME,
                            heartbeat_interval=None):
        """Register an instance (``POST /v1/ns/instance``); True when the server says ``ok``."""
        service_name = P.service_name(service_name)
        group_name = P.group(group_name, "group_name")
        ip = P.ip(ip)
        port = P.port(port)
        cluster_name = P.cluster_name(cluster_name)
        weight = P.weight(weight)
        metadata = P.metadata(metadata)
        P.boolean(enable, "enable")
        P.boolean(healthy, "healthy")
        P.boolean(ephemeral, "ephemeral")
        if heartbeat_interval is not None:
            P.timeout(heartbeat_interval, "heartbeat_interval")
        return self._naming_api.register(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                         enable, healthy, ephemeral)

    def remove_naming_instance(self, service_name, ip, port, cluster_name=None, ephemeral=True,
                               group_name=P.DEFAULT_GROUP_NAME):
        """Deregister an instance (``DELETE /v1/ns/instance``); True when the server says ``ok``."""
        service_name = P.service_name(service_name)
        group_name = P.group(group_name, "group_name")
        ip = P.ip(ip)
        port = P.port(port)
        cluster_name = P.cluster_name(cluster_name)
        P.boolean(ephemeral, "ephemeral")
        return self._naming_api.deregister(service_name, group_name, ip, port, cluster_name, ephemeral)

    def modify_naming_instance(self, service_name, ip, port, cluster_name=None, weight=None, metadata=None,
                               enable=None, ephemeral=True, group_name=P.DEFAULT_GROUP_NAME):
        """Update an instance's weight, metadata or enabled flag (``PUT /v1/ns/instance``)."""
        service_name = P.service_name(service_name)
        group_name = P.group(group_name, "group_name")
        ip = P.ip(ip)
        port = P.port(port)
        cluster_name = P.cluster_name(cluster_name)
        weight = P.weight(weight, allow_none=True)
        metadata = P.metadata(metadata)
        if enable is not None:
            P.boolean(enable, "enable")
        P.boolean(ephemeral, "ephemeral")
        return self._naming_api.modify(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                       enable, ephemeral)

    def list_naming_instance(self, service_name, clusters=None, namespace_id=None, group_name=None,
                             healthy_only=False):
        """Instances of a service (``GET /v1/ns/instance/list``) in the legacy dict shape:
        ``{"name", "groupName", "clusters", "cacheMillis", "hosts": [{"ip", "port", "healthy", "enabled",
        "weight", "metadata", "instanceId", "clusterName", "serviceName", "ephemeral", "valid"}], ...}``."""
        service_name = P.service_name(service_name)
        clusters = P.clusters(clusters)
        namespace_id = P.namespace(namespace_id, "namespace_id") if namespace_id is not None else None
        group_name = P.group(group_name, "group_name")
        P.boolean(healthy_only, "healthy_only")
        data = self._naming_api.list(service_name, group_name, clusters, healthy_only, namespace_id)
        return normalize_service_info(data, service_name, group_name, clusters)

    def get_naming_instance(self, service_name, ip, port, cluster_name=None, group_name=P.DEFAULT_GROUP_NAME):
        """One instance (``GET /v1/ns/instance``) as a dict (``ip``, ``port``, ``weight``, ``healthy``,
        ``metadata``, ``instanceId``, ``clusterName``, ``service``)."""
        service_name = P.service_name(service_name)
        ip = P.ip(ip)
        port = P.port(port)
        cluster_name = P.cluster_name(cluster_name)
        group_name = P.group(group_name, "group_name")
        data = self._naming_api.get(service_name, group_name, ip, port, cluster_name)
        return normalize_instance(data, service_name, group_name)

    def send_heartbeat(self, service_name, ip, port, cluster_name=None, weight=1.0, metadata=None,
                       ephemeral=True, group_name=P.DEFAULT_GROUP_NAME):
        """Send one beat (``PUT /v1/ns/instance/beat``); returns the server's dict, e.g.
        ``{"clientBeatInterval": 5000, "code": 10200, "lightBeatEnabled": true}``."""
        service_name = P.service_name(service_name)
        group_name = P.group(group_name, "group_name")
        ip = P.ip(ip)
        port = P.port(port)
        cluster_name = P.cluster_name(cluster_name)
        weight = P.weight(weight)
        metadata = P.metadata(metadata)
        P.boolean(ephemeral, "ephemeral")
        return self._naming_api.beat(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                     ephemeral)
