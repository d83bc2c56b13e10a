"""Wire calls of the naming API (``/v1/ns/...``). Arguments are already validated by the caller.

Parameters go in the query string, as the Java client and the legacy client send them; the beat JSON goes in
the form body.
"""
from __future__ import absolute_import

import json
import logging

from ..exception import NacosGone, NacosNotFound
from ..params import wire_bool

logger = logging.getLogger(__name__)

INSTANCE = "/v1/ns/instance"
INSTANCE_LIST = "/v1/ns/instance/list"
BEAT = "/v1/ns/instance/beat"
SERVICE = "/v1/ns/service"
SERVICE_LIST = "/v1/ns/service/list"
METRICS = "/v1/ns/operator/metrics"


def grouped(service_name, group_name):
    return "%s@@%s" % (group_name, service_name)


def _json(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class NamingAPI(object):
    def __init__(self, transport, namespace):
        self.transport = transport
        self.namespace = namespace
        # Set once a server answered 410 Gone to a v1 admin call (Nacos 3.x default): the client API
        # equivalents are used from then on instead of asking again.
        self.admin_gone = False

    def _params(self, service_name, group_name, namespace=None, **extra):
        params = {"serviceName": grouped(service_name, group_name), "groupName": group_name}
        ns = self.namespace if namespace is None else namespace
        if ns:
            params["namespaceId"] = ns
        for key, value in extra.items():
            if value is not None:
                params[key] = value
        return params

    @staticmethod
    def _ok(resp):
        return resp.text.strip() == "ok"

    def register(self, service_name, group_name, ip, port, cluster_name, weight=1.0, metadata=None,
                 enabled=True, healthy=True, ephemeral=True):
        """``POST /v1/ns/instance``; True when the server answers ``ok``."""
        params = self._params(service_name, group_name, ip=ip, port=str(port), clusterName=cluster_name,
                              weight=repr(float(weight)), enabled=wire_bool(enabled), enable=wire_bool(enabled),
                              healthy=wire_bool(healthy), ephemeral=wire_bool(ephemeral),
                              metadata=_json(metadata) if metadata else None)
        return self._ok(self.transport.request("POST", INSTANCE, params=params))

    def deregister(self, service_name, group_name, ip, port, cluster_name, ephemeral=True, timeout=None):
        """``DELETE /v1/ns/instance``; True when the server answers ``ok``."""
        params = self._params(service_name, group_name, ip=ip, port=str(port), clusterName=cluster_name,
                              ephemeral=wire_bool(ephemeral))
        return self._ok(self.transport.request("DELETE", INSTANCE, params=params, timeout=timeout))

    def modify(self, service_name, group_name, ip, port, cluster_name, weight=None, metadata=None, enabled=None,
               ephemeral=True):
        """``PUT /v1/ns/instance``; True when the server answers ``ok``."""
        if not self.admin_gone:
            params = self._params(service_name, group_name, ip=ip, port=str(port), clusterName=cluster_name,
                                  ephemeral=wire_bool(ephemeral),
                                  weight=repr(float(weight)) if weight is not None else None,
                                  enabled=wire_bool(enabled) if enabled is not None else None,
                                  enable=wire_bool(enabled) if enabled is not None else None,
                                  metadata=_json(metadata) if metadata is not None else None)
            try:
                return self._ok(self.transport.request("PUT", INSTANCE, params=params))
            except NacosGone as exc:  # Nacos 3.x: nacos.core.api.compatibility.admin.enabled=false
                self._mark_admin_gone(exc)
        return self._modify_by_register(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                        enabled, ephemeral)

    def _mark_admin_gone(self, exc):
        if not self.admin_gone:
            logger.info("nacos answered 410 Gone to a v1 admin API (%s %s): using the client API instead "
                        "(Nacos 3.x without nacos.core.api.compatibility.admin.enabled)", exc.method, exc.url)
        self.admin_gone = True

    def _modify_by_register(self, service_name, group_name, ip, port, cluster_name, weight, metadata, enabled,
                            ephemeral):
        """``PUT /v1/ns/instance`` is an admin API that Nacos 3.x answers 410 by default. Registering again
        (``POST /v1/ns/instance``, a client API) replaces weight, metadata and the enabled flag of the same
        ip:port just as the PUT would; values left None are taken from the instance list."""
        current = None
        if weight is None or metadata is None or enabled is None:
            current = self._find_in_list(service_name, group_name, ip, port, cluster_name)
            if current is None:
                raise NacosNotFound("instance %s:%s not found in %s (needed to modify it through a "
                                    "re-registration: the server answered 410 to PUT /v1/ns/instance)"
                                    % (ip, port, grouped(service_name, group_name)), status=404,
                                    method="PUT", url=INSTANCE)
        if weight is None:
            weight = current.get("weight", 1.0)
        if metadata is None:
            metadata = current.get("metadata") if isinstance(current.get("metadata"), dict) else None
        if enabled is None:
            enabled = bool(current.get("enabled", True))
        healthy = bool(current.get("healthy", True)) if current is not None else True
        return self.register(service_name, group_name, ip, port, cluster_name, weight, metadata, enabled,
                             healthy, ephemeral)

    def _find_in_list(self, service_name, group_name, ip, port, cluster_name, namespace=None):
        info = self.list(service_name, group_name, clusters=cluster_name or "", namespace=namespace)
        for host in (info.get("hosts") or []) if isinstance(info, dict) else []:
            if isinstance(host, dict) and host.get("ip") == ip and str(host.get("port")) == str(port):
                return host
        return None

    def list(self, service_name, group_name, clusters="", healthy_only=False, namespace=None, udp_port=None,
             client_ip=None, headers=None, timeout=None):
        """``GET /v1/ns/instance/list``: the server's ServiceInfo dict (not normalised)."""
        params = self._params(service_name, group_name, namespace, clusters=clusters,
                              healthyOnly=wire_bool(healthy_only),
                              udpPort=str(udp_port) if udp_port else None, clientIP=client_ip)
        return self.transport.request("GET", INSTANCE_LIST, params=params, headers=headers,
                                      timeout=timeout).json()

    def get(self, service_name, group_name, ip, port, cluster_name, namespace=None):
        """``GET /v1/ns/instance``: one instance's dict."""
        if not self.admin_gone:
            params = self._params(service_name, group_name, namespace, ip=ip, port=str(port),
                                  clusterName=cluster_name, cluster=cluster_name)
            try:
                return self.transport.request("GET", INSTANCE, params=params).json()
            except NacosGone as exc:
                self._mark_admin_gone(exc)
        # Nacos 3.x answers 410 to this admin API by default: the client API list, filtered, says the same.
        host = self._find_in_list(service_name, group_name, ip, port, cluster_name, namespace)
        if host is None:
            raise NacosNotFound("no matched ip found! (%s:%s in %s)" % (ip, port, grouped(service_name, group_name)),
                                status=404, method="GET", url=INSTANCE_LIST)
        return {"service": host.get("serviceName") or grouped(service_name, group_name), "ip": host.get("ip"),
                "port": host.get("port"), "clusterName": host.get("clusterName") or cluster_name,
                "weight": host.get("weight"), "healthy": host.get("healthy", host.get("valid")),
                "instanceId": host.get("instanceId"), "metadata": host.get("metadata") or {}}

    def beat(self, service_name, group_name, ip, port, cluster_name, weight=1.0, metadata=None, ephemeral=True,
             light=False, period_ms=5000):
        """``PUT /v1/ns/instance/beat``: the answer dict (``clientBeatInterval``, ``code``, ``lightBeatEnabled``).

        A light beat sends no beat body (the server then answers code 20404 for an unknown instance).
        """
        params = self._params(service_name, group_name, ip=ip, port=str(port), clusterName=cluster_name)
        form = None
        if not light:
            form = {"beat": _json({
                "serviceName": grouped(service_name, group_name), "ip": ip, "port": int(port),
                "cluster": cluster_name, "weight": float(weight), "metadata": metadata or {},
                "ephemeral": bool(ephemeral), "scheduled": False, "period": int(period_ms), "stopped": False})}
        return self.transport.request("PUT", BEAT, params=params, data=form).json()

    def create_service(self, service_name, group_name, protect_threshold=0.0, metadata=None, selector=None):
        """``POST /v1/ns/service`` (not idempotent: a second call says the service exists)."""
        params = self._params(service_name, group_name, protectThreshold=repr(float(protect_threshold)),
                              metadata=_json(metadata) if metadata else None,
                              selector=_json(selector) if selector else None)
        return self._ok(self.transport.request("POST", SERVICE, params=params, idempotent=False))

    def delete_service(self, service_name, group_name):
        """``DELETE /v1/ns/service``."""
        return self._ok(self.transport.request("DELETE", SERVICE, params=self._params(service_name, group_name)))

    def update_service(self, service_name, group_name, protect_threshold=0.0, metadata=None, selector=None):
        """``PUT /v1/ns/service``."""
        params = self._params(service_name, group_name, protectThreshold=repr(float(protect_threshold)),
                              metadata=_json(metadata) if metadata else None,
                              selector=_json(selector) if selector else None)
        return self._ok(self.transport.request("PUT", SERVICE, params=params))

    def get_service(self, service_name, group_name):
        """``GET /v1/ns/service``: the service dict."""
        return self.transport.request("GET", SERVICE, params=self._params(service_name, group_name)).json()

    def list_services(self, page_no=1, page_size=20, group_name=None):
        """``GET /v1/ns/service/list``: ``{"count": N, "doms": [names]}``."""
        params = {"pageNo": str(page_no), "pageSize": str(page_size)}
        if group_name:
            params["groupName"] = group_name
        if self.namespace:
            params["namespaceId"] = self.namespace
        return self.transport.request("GET", SERVICE_LIST, params=params).json()

    def server_status(self):
        """``GET /v1/ns/operator/metrics``: ``{"status": "UP", ...}``."""
        return self.transport.request("GET", METRICS).json()
