"""3.x naming routes: ``/v3/client/ns/instance[/list]``, ``/v3/admin/ns/instance[/list]``,
``/v3/admin/ns/service[/list]`` and ``/v3/admin/ns/ops/metrics``.

They use the same ``NamingStore`` as the v1 routes: an instance registered here is in ``/v1/ns/instance/list``
and expires with the same timings; ``heartBeat=true`` is the v1 beat without a body. Unlike v1, ``serviceName``
is never split: the stored name is always ``groupName@@serviceName``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import re

from . import errors, params, v3
from .naming_store import Instance, v3_host
from .routes_naming import _check_beat_settings, _metadata_or_none


def _filter(req):
    v3.filtered(params.check_filter, namespace_id=req.param("namespaceId"), service_name=req.param("serviceName"),
                group=req.param("groupName"), cluster=req.param("clusterName"), ip=req.param("ip"),
                port=req.param("port"), metadata=_metadata_or_none(req.param("metadata")))


def _service(req):
    """``groupName@@serviceName`` (group default ``DEFAULT_GROUP``); serviceName is required."""
    name = v3.required(req, "serviceName")
    group = req.param("groupName")
    return "%s@@%s" % (group.strip() if group and group.strip() else "DEFAULT_GROUP", name)


def _identity(req):
    """``InstanceForm.validate``: namespace, grouped service, ip, port and cluster (default ``DEFAULT``)."""
    _filter(req)
    service = _service(req)
    ip = v3.required(req, "ip")
    port = int(v3.required(req, "port", "Integer"))  # the filter already refused a non-integer port
    cluster = (req.param("clusterName") or "").strip() or "DEFAULT"
    return v3.namespace(req), service, ip, port, cluster


def _weight(req):
    raw = req.param("weight")
    if raw is None or raw.strip() == "":
        return 1.0
    try:
        weight = float(raw)
    except ValueError:
        raise v3.failure(500, (30000, "Validation failed for argument [0]: [Field error in object 'instanceForm' "
                                      "on field 'weight': rejected value [%s]]" % raw))
    if weight < 0 or weight > 10000:
        raise v3.failure(400, v3.WEIGHT_ERROR, "instance format invalid: The weights range from 0.0 to 10000.0")
    return weight


def _instance(req):
    """The instance described by the form (``InstanceUtil.buildInstance`` plus the 3.x checks)."""
    ns, service, ip, port, cluster = _identity(req)
    weight = _weight(req)
    enabled = v3.bool_param(req, "enabled", True)
    healthy = v3.bool_param(req, "healthy", True)
    ephemeral = v3.bool_param(req, "ephemeral", True)
    raw = req.param("metadata")
    try:
        metadata = params.parse_metadata(raw)
    except errors.HttpError:
        raise v3.spring(500, "ErrCode:400, ErrMsg:metadata format incorrect:%s" % raw, req.path)
    try:
        params.check_cluster(cluster)
    except errors.HttpError:
        raise v3.failure(400, v3.INSTANCE_ERROR, "Instance 'clusterName' should be characters with only "
                                                 "0-9a-zA-Z-. (current: %s)" % cluster)
    try:
        _check_beat_settings(metadata)
    except errors.HttpError as exc:
        raise v3.failure(400, v3.INSTANCE_ERROR, exc.response.body)
    return ns, Instance(ip, port, service, cluster, weight, healthy, enabled, ephemeral, metadata)


SELECTOR_ERROR = (21006, "selector error")


def _clusters(req):
    """3.x lists one cluster set: a blank ``clusterName`` means ``DEFAULT`` only, not every cluster
    (``InstanceListForm``). Otherwise the value is split at commas as Java's ``String.split`` does (trailing
    empty names dropped, no trimming) and an empty set matches every cluster (``ServiceUtil.doSelectInstances``),
    so ``","`` lists them all (None here)."""
    raw = req.param("clusterName") or ""
    if not raw.strip():
        return set(["DEFAULT"])
    names = raw.split(",")
    while names and names[-1] == "":
        names.pop()
    return set(names) or None


# ----------------------------------------------------------------------------- client API

def client_instance_post(app, req):
    """Register (``data: "ok"``), or with ``heartBeat=true`` beat: code 21003 when the instance is unknown."""
    if v3.bool_param(req, "heartBeat", False):
        ns, service, ip, port, _cluster = _identity(req)
        if app.naming.beat(ns, service, ip, port) != 10200:
            return v3.Response(200, v3.envelope(v3.INSTANCE_NOT_FOUND[0], v3.INSTANCE_NOT_FOUND[1], None),
                               v3.V3_JSON)
        return v3.ok("ok")
    ns, inst = _instance(req)
    try:
        app.naming.register(ns, inst)
    except errors.HttpError as exc:  # ephemeral/persistent clash: the 2.x text wrapped in code 30000
        raise v3.failure(400, v3.SERVER_ERROR, exc.response.body)
    return v3.ok("ok")


def client_instance_delete(app, req):
    """Deregister: ``data: "ok"``, also for an unknown instance."""
    ns, service, ip, port, _cluster = _identity(req)
    app.naming.deregister(ns, service, ip, port, v3.bool_param(req, "ephemeral", True))
    return v3.ok("ok")


def client_instance_list(app, req):
    """A bare list of the enabled instances of the clusters asked for; ``healthyOnly`` is ignored (3.1). When the
    healthy share is at or under the protect threshold of a service with metadata, every instance is marked
    healthy, as in the v1 list."""
    v3.filtered(params.check_filter, namespace_id=req.param("namespaceId"), service_name=req.param("serviceName"),
                group=req.param("groupName"))
    service = _service(req)
    info = app.naming.service_info(v3.namespace(req), service, ",".join(sorted(_clusters(req) or [])))  # "": every cluster
    return v3.ok([v3_host(host) for host in info["hosts"]])


# ----------------------------------------------------------------------------- admin API: instances

def admin_instance_get(app, req):
    """Instance detail; 404 with code 20004 when the service or the instance is unknown."""
    ns, service, ip, port, cluster = _identity(req)
    inst = app.naming.find(ns, service, ip, port, cluster)
    if inst is None:
        if not app.naming.find_service(ns, service):
            raise v3.failure(404, v3.RESOURCE_NOT_FOUND, "no ips found for cluster %s in service %s"
                             % (cluster, service))
        raise v3.failure(404, v3.RESOURCE_NOT_FOUND, "no matched ip found!")
    return v3.ok(inst.to_v3(app.naming))


def admin_instance_put(app, req):
    """Update: ``enabled``, ``weight`` and ``metadata`` are all overwritten (defaults when absent)."""
    ns, inst = _instance(req)
    try:
        app.naming.update(ns, inst.service, inst.ip, inst.port, inst.ephemeral, weight=inst.weight,
                          enabled=inst.enabled, metadata=inst.metadata)
    except errors.HttpError:
        group, _, name = inst.service.partition("@@")
        raise v3.failure(400, v3.INSTANCE_ERROR, "service not found, namespace: %s, service: Service{namespace='%s', "
                                                 "group='%s', name='%s', ephemeral=%s, revision=0}"
                         % (ns, ns, group, name, "true" if inst.ephemeral else "false"))
    return v3.ok("ok")


def admin_instance_list(app, req):
    """Every instance of the clusters asked for (disabled ones too); ``healthyOnly`` is honoured here; 404 with
    code 30000 for an unknown service."""
    v3.filtered(params.check_filter, namespace_id=req.param("namespaceId"), service_name=req.param("serviceName"),
                group=req.param("groupName"))
    service, ns = _service(req), v3.namespace(req)
    if not app.naming.find_service(ns, service):
        raise v3.failure(404, v3.SERVER_ERROR, "service %s is not found!" % service)
    found = app.naming.instances(ns, service, _clusters(req),
                                 healthy_only=v3.bool_param(req, "healthyOnly", False))
    return v3.ok([inst.to_v3(app.naming) for inst in found])


# ----------------------------------------------------------------------------- admin API: services

def _threshold(req):
    raw = req.param("protectThreshold")
    if raw is None or raw.strip() == "":
        return 0.0
    try:
        return float(raw)
    except ValueError:
        raise v3.failure(500, (30000, "Validation failed: [Field error in object 'serviceForm' on field "
                                      "'protectThreshold': rejected value [%s]]" % raw))


def _service_form(req):
    v3.filtered(params.check_filter, namespace_id=req.param("namespaceId"), service_name=req.param("serviceName"),
                group=req.param("groupName"))
    return v3.namespace(req), _service(req)


def _selector(req):
    """``selector``: blank or ``{"type":"none"}``, or ``{"type":"label","expression":...}``; else 400, code 21006
    (3.1 answers a selector that is not JSON with an empty HTTP 101, not copied here)."""
    raw = req.param("selector")
    if raw is None or not raw.strip():
        return {"type": "none"}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == "none":
        return {"type": "none"}
    if kind == "label":
        expression = "%s" % (value.get("expression") or "")
        return {"type": "label", "expression": expression, "contextType": "CMDB",
                "labels": sorted(set(re.findall(r"CONSUMER\.label\.([\w.-]+)", expression)))}
    raise v3.failure(400, SELECTOR_ERROR, "not match any type of selector!")


def service_post(app, req):
    """Create a service (persistent unless ``ephemeral=true``): ``data: "ok"``; 400 code 21007 when it exists."""
    ns, service = _service_form(req)
    metadata, selector, threshold = params.parse_metadata(req.param("metadata")), _selector(req), _threshold(req)
    ephemeral = v3.bool_param(req, "ephemeral", False)
    try:
        app.naming.create_service(ns, service, threshold, metadata, selector, ephemeral=ephemeral)
    except errors.HttpError:
        raise v3.failure(400, v3.SERVICE_ALREADY_EXIST, "specified service %s already exists!" % service)
    return v3.ok("ok")


def service_put(app, req):
    """Update: ``protectThreshold`` (default 0), ``metadata`` (default empty) and ``selector`` are overwritten."""
    ns, service = _service_form(req)
    metadata, selector, threshold = params.parse_metadata(req.param("metadata")), _selector(req), _threshold(req)
    try:
        app.naming.update_service(ns, service, threshold, metadata, selector)
    except errors.HttpError:
        raise v3.failure(400, v3.SERVICE_NOT_EXIST, "service %s not found!" % service)
    return v3.ok("ok")


def service_delete(app, req):
    """Delete an empty service: 400 code 21008 when unknown, 21009 when it still has instances."""
    ns, service = _service_form(req)
    if not app.naming.find_service(ns, service):
        raise v3.failure(400, v3.SERVICE_NOT_EXIST, "service %s not found!" % service)
    try:
        app.naming.delete_service(ns, service)
    except errors.HttpError:
        raise v3.failure(400, v3.SERVICE_DELETE_FAILURE, "Service %s is not empty, can't be delete. Please "
                                                         "unregister instance first" % service)
    return v3.ok("ok")


def service_get(app, req):
    """Service detail with ``clusterMap``; 400 code 21008 when unknown."""
    ns, service = _service_form(req)
    detail = app.naming.service_detail(ns, service)
    if detail is None:
        raise v3.failure(400, v3.SERVICE_NOT_EXIST, "service not found, namespace: %s, serviceName: %s"
                         % (ns, service))
    return v3.ok(detail)


def service_list(app, req):
    """A page of service views of every group; ``groupNameParam``/``serviceNameParam`` match substrings.
    ``pagesAvailable`` is ``totalCount // pageSize + 1`` (0 when empty), as 3.1's ``PageUtil.subPage`` computes."""
    v3.filtered(params.check_filter, namespace_id=req.param("namespaceId"))
    page_no, page_size = v3.page(req)
    views = app.naming.service_views(v3.namespace(req), (req.param("groupNameParam") or "").strip(),
                                     (req.param("serviceNameParam") or "").strip())
    if v3.bool_param(req, "ignoreEmptyService", False):
        views = [v for v in views if v["ipCount"]]
    total = len(views)
    start = (page_no - 1) * page_size
    return v3.ok({"totalCount": total, "pageNumber": page_no, "pagesAvailable": total // page_size + 1 if total else 0,
                  "pageItems": views[start:start + page_size]})


def metrics(app, req):
    """``{"status":"UP"}``, or the counters with ``onlyStatus=false``."""
    if v3.bool_param(req, "onlyStatus", True):
        return v3.ok({"status": "UP"})
    services, instances, subscribers = app.naming.counts()
    return v3.ok({"status": "UP", "serviceCount": services, "instanceCount": instances,
                  "subscribeCount": subscribers, "clientCount": instances, "connectionBasedClientCount": 0,
                  "ephemeralIpPortClientCount": instances, "persistentIpPortClientCount": 0,
                  "responsibleClientCount": instances})


ROUTES = {
    "/v3/client/ns/instance": {"POST": (client_instance_post, "v3"), "DELETE": (client_instance_delete, "v3")},
    "/v3/client/ns/instance/list": {"GET": (client_instance_list, "v3")},
    "/v3/admin/ns/instance": {"GET": (admin_instance_get, "v3"), "PUT": (admin_instance_put, "v3")},
    "/v3/admin/ns/instance/list": {"GET": (admin_instance_list, "v3")},
    "/v3/admin/ns/service": {"POST": (service_post, "v3"), "PUT": (service_put, "v3"),
                             "DELETE": (service_delete, "v3"), "GET": (service_get, "v3")},
    "/v3/admin/ns/service/list": {"GET": (service_list, "v3")},
    "/v3/admin/ns/ops/metrics": {"GET": (metrics, "v3-admin")},
}
