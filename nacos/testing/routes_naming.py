"""Naming routes: ``/v1/ns/instance[/list|/beat]`` and ``/v1/ns/service[/list]``."""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import re

from . import errors, params
from .errors import ok_json, ok_text
from .naming_store import Instance


def ok_json_naming(obj):
    return ok_json(obj, errors.NAMING_JSON)


# User-Agents the real server pushes to (ClientInfo / UdpPushService.canEnablePush)
_PUSHABLE = re.compile(r"^(Nacos-Java-Client:v|Nacos-Go-Client:v|Nacos-C-Client:v|Nacos-CSharp-Client:v|"
                       r"Nacos-DNS:v|vip-client4cpp)")


def _namespace(req):
    ns = req.param("namespaceId")
    return ns.strip() if ns is not None and ns.strip() else "public"


def _metadata_or_none(raw):
    try:
        return params.parse_metadata(raw)
    except errors.HttpError:
        return None


def _filter(req):
    """The ParamCheckerFilter for naming requests."""
    params.check_filter(namespace_id=req.param("namespaceId"), service_name=req.param("serviceName"),
                        group=req.param("groupName"), clusters=req.param("clusters"),
                        cluster=req.param("clusterName") or req.param("cluster"), ip=req.param("ip"),
                        port=req.param("port"), metadata=_metadata_or_none(req.param("metadata")))


def _service(req, missing=errors.naming_required):
    """``serviceName`` grouped by ``groupName`` (ServiceNameFilter) and format-checked."""
    raw = req.param("serviceName")
    if raw is None or not raw.strip():
        raise missing("serviceName")
    grouped = params.group_service(raw.strip(), req.param("groupName"))
    params.check_service_name(grouped)
    return grouped


def _port(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise errors.plain(400, "For input string: \"%s\"" % raw)


def _required(req, name):
    value = req.param(name)
    if value is None or not value.strip():
        raise errors.naming_required(name)
    return value.strip()


def _build_instance(app, req, service):
    """``HttpRequestInstanceBuilder``: the instance described by the request parameters."""
    ip = _required(req, "ip")
    port = _port(_required(req, "port"))
    cluster = req.param("clusterName") or req.param("cluster") or "DEFAULT"
    weight = params.parse_weight(req.param("weight"))
    enabled_raw = req.param("enabled")
    enabled = params.parse_bool(enabled_raw if enabled_raw is not None else req.param("enable"), True)
    healthy = params.parse_bool(req.param("healthy"), True)
    ephemeral = params.parse_bool(req.param("ephemeral"), True)
    try:
        metadata = params.parse_metadata(req.param("metadata"))
    except errors.HttpError:
        raw = req.param("metadata")
        raise errors.spring_error(500, "Server failed, caused: ErrCode:400, ErrMsg:metadata format incorrect:%s;"
                                       "caused: metadata format incorrect:%s;" % (raw, raw), req.path)
    params.check_cluster(cluster)
    _check_beat_settings(metadata)
    return Instance(ip, port, service, cluster, weight, healthy, enabled, ephemeral, metadata)


def _check_beat_settings(metadata):
    def ms(name, default):
        try:
            return int(metadata.get(name, default))
        except (TypeError, ValueError):
            return default
    interval = ms("preserved.heart.beat.interval", 5000)
    if ms("preserved.heart.beat.timeout", 15000) < interval or \
            ms("preserved.ip.delete.timeout", 30000) < interval:
        raise errors.plain(400, "Instance 'heart beat interval' must less than 'heart beat timeout' "
                                "and 'ip delete timeout'.")


# ----------------------------------------------------------------------------- /v1/ns/instance


def instance_post(app, req):
    """Register: ``ok``."""
    _filter(req)
    service = _service(req)
    inst = _build_instance(app, req, service)
    app.naming.register(_namespace(req), inst)
    return ok_text("ok")


def instance_delete(app, req):
    """Deregister client ``ip:port`` (``ephemeral`` must match): ``ok`` even when unknown."""
    _filter(req)
    service = _service(req)
    ip = _required(req, "ip")
    port = _port(_required(req, "port"))
    ephemeral = params.parse_bool(req.param("ephemeral"), True)
    app.naming.deregister(_namespace(req), service, ip, port, ephemeral)
    return ok_text("ok")


def instance_put(app, req):
    """2.x update: enabled, weight and metadata (all three overwritten); ``ok``."""
    _filter(req)
    service = _service(req)
    inst = _build_instance(app, req, service)
    app.naming.update(_namespace(req), service, inst.ip, inst.port, inst.ephemeral,
                      weight=inst.weight, enabled=inst.enabled, metadata=inst.metadata)
    return ok_text("ok")


def instance_get(app, req):
    """Instance detail JSON; 404 when the service or the instance is unknown."""
    _filter(req)
    service = _service(req, errors.naming_missing_param)
    for name in ("ip", "port"):
        if req.param(name) is None:
            raise errors.naming_missing_param(name)
    ip, port = req.param("ip"), _port(req.param("port"))
    cluster = req.param("clusterName") or req.param("cluster") or "DEFAULT"
    ns = _namespace(req)
    inst = app.naming.find(ns, service, ip, port, cluster)
    if inst is None:
        if not app.naming.find_service(ns, service):
            raise errors.naming_caused(500, "no ips found for cluster %s in service %s" % (cluster, service))
        raise errors.naming_caused(500, "no matched ip found!")
    return ok_json_naming({"service": service, "ip": inst.ip, "port": inst.port, "clusterName": inst.cluster,
                           "weight": inst.weight, "healthy": inst.healthy, "instanceId": inst.instance_id,
                           "metadata": dict(inst.metadata)})


def user_agent(req):
    """2.x ``WebUtils.getUserAgent``: ``User-Agent`` first, then ``Client-Version`` when it is empty."""
    return req.headers.get("user-agent") or req.headers.get("client-version") or ""


def can_push(app, agent):
    """Whether ``push_mode`` lets this User-Agent receive UDP pushes."""
    if app.push_mode == "all":
        return True
    if app.push_mode == "recognised":
        return bool(_PUSHABLE.match(agent))
    return False


def instance_list(app, req):
    """2.x ``ServiceInfo``; ``udpPort`` (+ ``clientIP``) subscribes a pushable caller."""
    _filter(req)
    service = _service(req)
    ns = _namespace(req)
    clusters = req.param("clusters") or ""
    healthy_only = params.parse_bool(req.param("healthyOnly"), False)
    udp_port = _port(req.param("udpPort") or "0")
    # 2.3.2 answers 10000 to every caller; kept at 3000 for callers that get no push, on purpose: subscribers
    # poll at cacheMillis, and tests of the SDK's poll path would wait 10 s per round (docs/embedded-server.md)
    cache_millis = 3000
    if udp_port > 0 and can_push(app, user_agent(req)):
        client_ip = (req.param("clientIP") or "").strip() or req.client[0]
        if app.naming.subscribe(ns, service, client_ip, udp_port, clusters, user_agent(req)):
            app.pusher.notify(ns, service, (client_ip, udp_port))
        cache_millis = 10000
    return ok_json_naming(app.naming.service_info(ns, service, clusters, healthy_only, cache_millis))


def instance_beat(app, req):
    """Heartbeat: ``{"clientBeatInterval","code","lightBeatEnabled"}`` (20404 = re-register)."""
    _filter(req)
    beat_raw = req.param("beat")
    beat = None
    if beat_raw is not None and beat_raw.strip():
        try:
            beat = json.loads(beat_raw)
            if not isinstance(beat, dict):
                raise ValueError("beat is not an object")
        except ValueError as exc:
            raise errors.caused(500, "%s" % exc)
    cluster = req.param("clusterName") or "DEFAULT"
    ip = req.param("ip") or ""
    port = _port(req.param("port") or "0")
    if beat is not None:
        cluster = beat.get("cluster") or cluster
        ip = beat.get("ip") or ""
        port = _port(beat.get("port") or 0)
    service = _service(req)
    ns = _namespace(req)
    beat_instance = None
    if beat is not None:
        metadata = dict((k, "%s" % v) for k, v in (beat.get("metadata") or {}).items())
        params.check_cluster(cluster)
        beat_instance = Instance(ip, port, service, cluster, float(beat.get("weight") or 1.0),
                                 True, True, bool(beat.get("ephemeral", True)), metadata)
    code = app.naming.beat(ns, service, ip, port, beat_instance)
    interval = app.client_beat_interval
    inst = app.naming.find(ns, service, ip, port)
    if inst is not None and "preserved.heart.beat.interval" in inst.metadata:
        interval = inst._ms("preserved.heart.beat.interval", interval)
    return ok_json_naming({"clientBeatInterval": interval, "code": code,
                           "lightBeatEnabled": app.light_beat_enabled})


# ----------------------------------------------------------------------------- /v1/ns/service


def _threshold(raw, default=0.0):
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise errors.plain(400, "For input string: \"%s\"" % raw)


def _selector(raw):
    if raw is None or not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise errors.plain(400, "Param 'selector' is illegal, it should be a JSON object.")
    return value if isinstance(value, dict) else None


def service_post(app, req):
    """Create a (persistent) service: ``ok``; 400 when it exists."""
    _filter(req)
    service = _service(req, errors.naming_missing_param)
    app.naming.create_service(_namespace(req), service, _threshold(req.param("protectThreshold")),
                              params.parse_metadata(req.param("metadata")), _selector(req.param("selector")))
    return ok_text("ok")


def service_put(app, req):
    """Update threshold/metadata/selector: ``ok``."""
    _filter(req)
    service = _service(req, errors.naming_missing_param)
    if req.param("protectThreshold") is None:
        raise errors.naming_missing_param("protectThreshold")
    metadata_raw = req.param("metadata")
    app.naming.update_service(_namespace(req), service, _threshold(req.param("protectThreshold")),
                              params.parse_metadata(metadata_raw) if metadata_raw is not None else None,
                              _selector(req.param("selector")))
    return ok_text("ok")


def service_delete(app, req):
    """Delete an empty service: ``ok``."""
    _filter(req)
    service = _service(req, errors.naming_missing_param)
    app.naming.delete_service(_namespace(req), service)
    return ok_text("ok")


def service_get(app, req):
    """Service detail JSON."""
    _filter(req)
    service = _service(req, errors.naming_missing_param)
    return ok_json_naming(app.naming.get_service(_namespace(req), service))


def service_list(app, req):
    """``{"count", "doms"}`` for one group of one namespace."""
    _filter(req)
    page_no = _port(_required(req, "pageNo"))
    page_size = _port(_required(req, "pageSize"))
    group = req.param("groupName") or "DEFAULT_GROUP"
    return ok_json_naming(app.naming.list_services(_namespace(req), group, page_no, page_size))


ROUTES = {
    "/v1/ns/instance": {"POST": (instance_post, True), "DELETE": (instance_delete, True),
                        "PUT": (instance_put, True), "GET": (instance_get, True)},
    "/v1/ns/instance/list": {"GET": (instance_list, True)},
    "/v1/ns/instance/beat": {"PUT": (instance_beat, True)},
    "/v1/ns/service": {"POST": (service_post, True), "PUT": (service_put, True),
                       "DELETE": (service_delete, True), "GET": (service_get, True)},
    "/v1/ns/service/list": {"GET": (service_list, True)},
}
