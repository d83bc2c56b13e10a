"""Wire calls of the naming API in both dialects (:mod:`nacos.dialect`). Arguments are already validated.

v1 parameters go in the query string, as the Java client and the legacy client send them (the beat JSON in the
form body). On a server without the v1 API the v3 equivalents are used, and their answers are given the v1
shapes:

=======================  =============================  ==================================================
call                     v1                             v3
=======================  =============================  ==================================================
register / deregister    ``POST/DELETE /v1/ns/instance``  ``POST/DELETE /v3/client/ns/instance`` (form)
beat                     ``PUT /v1/ns/instance/beat``     ``POST /v3/client/ns/instance`` ``heartBeat=true``
list                     ``GET /v1/ns/instance/list``     ``GET /v3/client/ns/instance/list``
instance detail/modify   ``GET/PUT /v1/ns/instance``      ``GET/PUT /v3/admin/ns/instance``
services                 ``/v1/ns/service[/list]``        ``/v3/admin/ns/service[/list]``
server status            ``GET /v1/ns/operator/metrics``  ``GET /v3/admin/ns/ops/metrics``
=======================  =============================  ==================================================
"""
from __future__ import absolute_import

import json
import logging
import time

from ..dialect import CODE_INSTANCE_NOT_FOUND, V3, data_of, envelope
from ..exception import NacosForbidden, NacosGone, NacosNotFound
from ..params import wire_bool
from ..policy import NOT_IDEMPOTENT, ONE_PASS
from ..transport import V3Call

logger = logging.getLogger(__name__)

INSTANCE = "/v1/ns/instance"
INSTANCE_LIST = "/v1/ns/instance/list"
BEAT = "/v1/ns/instance/beat"
SERVICE = "/v1/ns/service"
SERVICE_LIST = "/v1/ns/service/list"
METRICS = "/v1/ns/operator/metrics"
V3_INSTANCE = "/v3/client/ns/instance"
V3_INSTANCE_LIST = "/v3/client/ns/instance/list"
V3_ADMIN_INSTANCE = "/v3/admin/ns/instance"
V3_SERVICE = "/v3/admin/ns/service"
V3_SERVICE_LIST = "/v3/admin/ns/service/list"
V3_SERVICE_PAGE = 500  # services per v3 page read by list_services
V3_METRICS = "/v3/admin/ns/ops/metrics"
#: ``clusterName`` of a v3 list for "every cluster". A blank one means ``DEFAULT`` there (InstanceListForm fills
#: it in), where v1 lists every cluster; the server splits the value at commas and an empty set of names matches
#: every cluster (ServiceUtil.doSelectInstances), so a lone comma asks for all of them in one request.
ALL_CLUSTERS = ","
BEAT_OK = 10200
BEAT_UNKNOWN = 20404  # the v1 code for "instance not found": the heartbeat scheduler re-registers on it


def grouped(service_name, group_name):
    return "%s@@%s" % (group_name, service_name)


def _json(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class NamingAPI(object):
    def __init__(self, transport, namespace, options=None):
        self.transport = transport
        self.namespace = namespace
        self.options = options if options is not None else {}

    def _params(self, service_name, group_name, namespace=None, **extra):
        params = {"serviceName": grouped(service_name, group_name), "groupName": group_name}
        ns = self.namespace if namespace is None else namespace
        if ns:
            params["namespaceId"] = ns
        for key, value in extra.items():
            if value is not None:
                params[key] = value
        return params

    def _v3(self, service_name, group_name, namespace=None, **extra):
        """v3 parameters: the same as v1 but with the bare service name (v3 takes the group separately)."""
        params = self._params(service_name, group_name, namespace, **extra)
        params["serviceName"] = service_name
        return params

    @staticmethod
    def _ok(resp):
        if resp.dialect == V3:
            return data_of(resp) == "ok"
        return resp.text.strip() == "ok"

    def register(self, service_name, group_name, ip, port, cluster_name, weight=1.0, metadata=None,
                 enabled=True, healthy=True, ephemeral=True):
        """``POST /v1/ns/instance`` (v3: ``POST /v3/client/ns/instance``); True when the server says ``ok``."""
        fields = dict(ip=ip, port=str(port), clusterName=cluster_name, weight=repr(float(weight)),
                      enabled=wire_bool(enabled), healthy=wire_bool(healthy), ephemeral=wire_bool(ephemeral),
                      metadata=_json(metadata) if metadata else None)
        params = self._params(service_name, group_name, enable=wire_bool(enabled), **fields)
        return self._ok(self.transport.request("POST", INSTANCE, params=params, family="naming",
                                               v3=V3Call("POST", V3_INSTANCE,
                                                         data=self._v3(service_name, group_name, **fields))))

    def deregister(self, service_name, group_name, ip, port, cluster_name, ephemeral=True, timeout=None):
        """``DELETE /v1/ns/instance`` (v3: ``DELETE /v3/client/ns/instance``); True when the server says ``ok``."""
        fields = dict(ip=ip, port=str(port), clusterName=cluster_name, ephemeral=wire_bool(ephemeral))
        return self._ok(self.transport.request("DELETE", INSTANCE, params=self._params(service_name, group_name,
                                                                                       **fields),
                                               timeout=timeout, family="naming",
                                               v3=V3Call("DELETE", V3_INSTANCE,
                                                         self._v3(service_name, group_name, **fields))))

    def modify(self, service_name, group_name, ip, port, cluster_name, weight=None, metadata=None, enabled=None,
               ephemeral=True):
        """``PUT /v1/ns/instance`` (v3: ``PUT /v3/admin/ns/instance``); True when the server says ``ok``.

        Both are admin APIs: Nacos 3.0/3.1 answer 410 to the v1 one by default, and with auth on the v3 one may be
        refused (403) to an identity without write rights on the namespace. Where neither is allowed the instance
        is registered again instead (:meth:`_modify_by_register`), which replaces the same fields."""
        fields = dict(ip=ip, port=str(port), clusterName=cluster_name, ephemeral=wire_bool(ephemeral),
                      weight=repr(float(weight)) if weight is not None else None,
                      enabled=wire_bool(enabled) if enabled is not None else None,
                      metadata=_json(metadata) if metadata is not None else None)
        params = self._params(service_name, group_name,
                              enable=wire_bool(enabled) if enabled is not None else None, **fields)
        try:
            return self._ok(self.transport.request("PUT", INSTANCE, params=params, family="naming-admin",
                                                   v3=V3Call("PUT", V3_ADMIN_INSTANCE,
                                                             data=self._v3(service_name, group_name, **fields))))
        except (NacosGone, NacosForbidden) as exc:
            logger.debug("modifying %s:%s through the admin API failed (%s); registering it again", ip, port, exc)
        return self._modify_by_register(service_name, group_name, ip, port, cluster_name, weight, metadata,
                                        enabled, ephemeral)

    def _modify_by_register(self, service_name, group_name, ip, port, cluster_name, weight, metadata, enabled,
                            ephemeral):
        """Registering again (a client API) replaces weight, metadata and the enabled flag of the same ip:port
        just as the admin PUT would; values left None are taken from the instance list."""
        current = None
        if weight is None or metadata is None or enabled is None:
            current = self._find_in_list(service_name, group_name, ip, port, cluster_name)
            if current is None:
                raise NacosNotFound("instance %s:%s not found in %s (needed to modify it through a "
                                    "re-registration: the server refused the admin API)"
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
        """``GET /v1/ns/instance/list``: the server's ServiceInfo dict (not normalised). On a v3 server
        ``GET /v3/client/ns/instance/list`` in the same shape (see :meth:`_v3_list`)."""
        params = self._params(service_name, group_name, namespace, clusters=clusters,
                              healthyOnly=wire_bool(healthy_only),
                              udpPort=str(udp_port) if udp_port else None, clientIP=client_ip)
        v3_params = self._v3(service_name, group_name, namespace, clusterName=clusters or ALL_CLUSTERS)
        resp = self.transport.request("GET", INSTANCE_LIST, params=params, headers=headers, timeout=timeout,
                                      family="naming", v3=V3Call("GET", V3_INSTANCE_LIST, v3_params))
        if resp.dialect != V3:
            return resp.json()
        return self._v3_list(resp, service_name, group_name, clusters, healthy_only)

    def _v3_list(self, resp, service_name, group_name, clusters, healthy_only):
        """A v3 list (a bare list of instances; the server ignores ``healthyOnly``) as a v1 ServiceInfo."""
        hosts = [h for h in data_of(resp, list) if isinstance(h, dict)]
        if healthy_only:
            hosts = [h for h in hosts if h.get("healthy")]
        interval = self.options.get("naming_poll_interval") or 2.0
        return {"name": grouped(service_name, group_name), "groupName": group_name, "clusters": clusters or "",
                "cacheMillis": int(float(interval) * 1000), "hosts": hosts, "lastRefTime": int(time.time() * 1000),
                "checksum": "", "allIPs": False, "reachProtectionThreshold": False, "valid": True}

    def get(self, service_name, group_name, ip, port, cluster_name, namespace=None):
        """``GET /v1/ns/instance`` (v3: ``GET /v3/admin/ns/instance``): one instance's dict. Where neither admin
        API is allowed, the instance list filtered to it."""
        params = self._params(service_name, group_name, namespace, ip=ip, port=str(port),
                              clusterName=cluster_name, cluster=cluster_name)
        v3_params = self._v3(service_name, group_name, namespace, ip=ip, port=str(port), clusterName=cluster_name)
        try:
            resp = self.transport.request("GET", INSTANCE, params=params, family="naming-admin",
                                          v3=V3Call("GET", V3_ADMIN_INSTANCE, v3_params))
            if resp.dialect != V3:
                return resp.json()
            host = data_of(resp, dict)
        except (NacosGone, NacosForbidden) as exc:
            logger.debug("reading %s:%s through the admin API failed (%s); using the list", ip, port, exc)
            host = self._find_in_list(service_name, group_name, ip, port, cluster_name, namespace)
            if host is None:
                raise NacosNotFound("no matched ip found! (%s:%s in %s)" % (ip, port, grouped(service_name,
                                                                                              group_name)),
                                    status=404, method="GET", url=INSTANCE_LIST)
        return {"service": host.get("serviceName") or grouped(service_name, group_name), "ip": host.get("ip"),
                "port": host.get("port"), "clusterName": host.get("clusterName") or cluster_name,
                "weight": host.get("weight"), "healthy": host.get("healthy", host.get("valid")),
                "enabled": host.get("enabled", True), "ephemeral": host.get("ephemeral", True),
                "instanceId": host.get("instanceId"), "metadata": host.get("metadata") or {}}

    def beat(self, service_name, group_name, ip, port, cluster_name, weight=1.0, metadata=None, ephemeral=True,
             light=False, period_ms=5000, retry=None, timeout=None):
        """``PUT /v1/ns/instance/beat``: the answer dict (``clientBeatInterval``, ``code``, ``lightBeatEnabled``).

        A light beat sends no beat body (the server then answers code 20404 for an unknown instance). On a v3
        server ``POST /v3/client/ns/instance?heartBeat=true``, whose answer is given that shape: code 10200, or
        20404 for its 21003 "instance not found" (so the caller registers again). A beat is never retried over
        a retry window: the heartbeat scheduler passes :func:`nacos.policy.beat_policy` (one pass over the
        servers, ended by its deadline or its instance's removal)."""
        params = self._params(service_name, group_name, ip=ip, port=str(port), clusterName=cluster_name)
        form = None
        if not light:
            form = {"beat": _json({
                "serviceName": grouped(service_name, group_name), "ip": ip, "port": int(port),
                "cluster": cluster_name, "weight": float(weight), "metadata": metadata or {},
                "ephemeral": bool(ephemeral), "scheduled": False, "period": int(period_ms), "stopped": False})}
        v3_form = self._v3(service_name, group_name, ip=ip, port=str(port), clusterName=cluster_name,
                           ephemeral=wire_bool(ephemeral), heartBeat="true")
        resp = self.transport.request("PUT", BEAT, params=params, data=form, family="naming",
                                      v3=V3Call("POST", V3_INSTANCE, data=v3_form, kind="naming_beat"),
                                      retry=retry or ONE_PASS, timeout=timeout)
        if resp.dialect != V3:
            return resp.json()
        code, _ = envelope(resp)
        if code == CODE_INSTANCE_NOT_FOUND:
            return {"clientBeatInterval": int(period_ms), "code": BEAT_UNKNOWN, "lightBeatEnabled": True}
        data_of(resp)  # any other failure code raises
        return {"clientBeatInterval": int(period_ms), "code": BEAT_OK, "lightBeatEnabled": True}

    def _service_fields(self, protect_threshold, metadata, selector):
        return dict(protectThreshold=repr(float(protect_threshold)), metadata=_json(metadata) if metadata else None,
                    selector=_json(selector) if selector else None)

    def create_service(self, service_name, group_name, protect_threshold=0.0, metadata=None, selector=None):
        """``POST /v1/ns/service`` (v3: ``POST /v3/admin/ns/service``; not idempotent: a second call says the
        service exists)."""
        fields = self._service_fields(protect_threshold, metadata, selector)
        return self._ok(self.transport.request("POST", SERVICE, params=self._params(service_name, group_name,
                                                                                    **fields),
                                               retry=NOT_IDEMPOTENT, family="naming-admin",
                                               v3=V3Call("POST", V3_SERVICE,
                                                         data=self._v3(service_name, group_name, **fields))))

    def delete_service(self, service_name, group_name):
        """``DELETE /v1/ns/service`` (v3: ``DELETE /v3/admin/ns/service``)."""
        return self._ok(self.transport.request("DELETE", SERVICE, params=self._params(service_name, group_name),
                                               family="naming-admin",
                                               v3=V3Call("DELETE", V3_SERVICE, self._v3(service_name, group_name))))

    def update_service(self, service_name, group_name, protect_threshold=0.0, metadata=None, selector=None):
        """``PUT /v1/ns/service`` (v3: ``PUT /v3/admin/ns/service``)."""
        fields = self._service_fields(protect_threshold, metadata, selector)
        return self._ok(self.transport.request("PUT", SERVICE, params=self._params(service_name, group_name,
                                                                                   **fields),
                                               family="naming-admin",
                                               v3=V3Call("PUT", V3_SERVICE,
                                                         data=self._v3(service_name, group_name, **fields))))

    def get_service(self, service_name, group_name):
        """``GET /v1/ns/service`` (v3: ``GET /v3/admin/ns/service``): the service dict, v1-shaped."""
        resp = self.transport.request("GET", SERVICE, params=self._params(service_name, group_name),
                                      family="naming-admin",
                                      v3=V3Call("GET", V3_SERVICE, self._v3(service_name, group_name)))
        if resp.dialect != V3:
            return resp.json()
        data = data_of(resp, dict)
        clusters = data.get("clusterMap") if isinstance(data.get("clusterMap"), dict) else {}
        return {"namespaceId": data.get("namespaceId"), "groupName": data.get("groupName") or group_name,
                "name": data.get("serviceName") or service_name, "protectThreshold": data.get("protectThreshold"),
                "metadata": data.get("metadata") or {}, "selector": data.get("selector"),
                "clusters": [dict(c, name=c.get("clusterName", n)) for n, c in sorted(clusters.items())
                             if isinstance(c, dict)]}

    def list_services(self, page_no=1, page_size=20, group_name=None):
        """``GET /v1/ns/service/list`` (v3: ``GET /v3/admin/ns/service/list``): ``{"count": N, "doms": [names]}``
        of one group (v1 default DEFAULT_GROUP). v3 filters groups by substring and lists every group without
        one, so its pages are read whole, kept to the exact group and cut into the page asked for."""
        group_name = group_name or "DEFAULT_GROUP"
        params = {"pageNo": str(page_no), "pageSize": str(page_size), "groupName": group_name}
        v3_params = {"pageNo": "1", "pageSize": str(V3_SERVICE_PAGE), "groupNameParam": group_name}
        if self.namespace:
            params["namespaceId"] = v3_params["namespaceId"] = self.namespace
        resp = self.transport.request("GET", SERVICE_LIST, params=params, family="naming-admin",
                                      v3=V3Call("GET", V3_SERVICE_LIST, v3_params))
        if resp.dialect != V3:
            return resp.json()
        names, read, v3_page = [], 0, 1
        while True:
            data = data_of(resp, dict)
            items = data.get("pageItems") if isinstance(data.get("pageItems"), list) else []
            read += len(items)
            names.extend(i.get("name") for i in items
                         if isinstance(i, dict) and i.get("name") and i.get("groupName") == group_name)
            if not items or read >= int(data.get("totalCount") or 0):
                break
            v3_page += 1
            v3_params = dict(v3_params, pageNo=str(v3_page))
            resp = self.transport.request("GET", SERVICE_LIST, params=params, family="naming-admin",
                                          v3=V3Call("GET", V3_SERVICE_LIST, v3_params))
        start = (page_no - 1) * page_size
        return {"count": len(names), "doms": sorted(names)[start:start + page_size]}

    def server_status(self):
        """``GET /v1/ns/operator/metrics`` (v3: ``GET /v3/admin/ns/ops/metrics``): ``{"status": "UP", ...}``."""
        resp = self.transport.request("GET", METRICS, family="naming", v3=V3Call("GET", V3_METRICS))
        if resp.dialect != V3:
            return resp.json()
        return data_of(resp, dict)

