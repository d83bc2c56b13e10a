"""Config routes: ``/v1/cs/configs``, ``/v1/cs/configs/listener`` and ``/v1/console/namespaces`` (the 3.x config
routes are in ``routes_v3_config``)."""
from __future__ import absolute_import, division, print_function, unicode_literals

import email.utils

from . import errors, params
from .errors import Response, TEXT_PLAIN, ok_json, ok_text
from .handler import DROP
from .longpoll import ProbeError, Waiter, encode_keys, parse_probe, store_key

MAX_CONTENT = 10 * 1024 * 1024

CONTENT_TYPES = {
    "json": "application/json;charset=UTF-8",
    "xml": "application/xml;charset=UTF-8",
    "html": "text/html;charset=UTF-8",
}

_NO_CACHE = [("Pragma", "no-cache"), ("Cache-Control", "no-cache,no-store")]


def _http_date(ms):
    return email.utils.formatdate(ms / 1000.0, usegmt=True)


def _required(req, name, type_name="String"):
    value = req.param(name)
    if value is None:
        raise errors.missing_request_param(name, type_name)
    return value


def _int_param(req, name):
    raw = _required(req, name, "int")
    try:
        return int(raw)
    except ValueError:
        raise errors.caused(500, "Failed to convert value of type 'java.lang.String' to required type "
                                 "'int'; For input string: \"%s\"" % raw)


# ----------------------------------------------------------------------------- /v1/cs/configs

def config_get(app, req):
    """GET one config (raw content + headers), a search Page, or ``show=all`` JSON."""
    search = req.param("search")
    if search in ("accurate", "blur"):
        return _search(app, req, search)
    tenant_raw = req.param("tenant")
    data_id, group, tag = req.param("dataId"), req.param("group"), req.param("tag")
    params.check_filter(namespace_id=tenant_raw, data_id=data_id, group=group)
    _required(req, "dataId")
    _required(req, "group")
    params.check_tenant(tenant_raw)
    params.check_config_key(data_id, group)
    key = (params.config_tenant(tenant_raw), group, data_id)
    if req.param("show") == "all":
        found = app.configs.get(key)
        return ok_json(found[2].to_all_info()) if found else Response(200, "", errors.APPLICATION_JSON)
    found = app.configs.get(key, tag or None)
    if found is None:
        return Response(404, "config data not exist\n", errors.APPLICATION_JSON, list(_NO_CACHE))
    content, md5, item = found
    headers = [("Content-MD5", md5), ("Config-Type", item.type),
               ("Last-Modified", _http_date(item.modify_time))] + _NO_CACHE
    if item.encrypted_data_key:
        headers.append(("Encrypted-Data-Key", item.encrypted_data_key))
    if tag:
        headers.append(("Vipserver-Tag", tag))
    return Response(200, content, CONTENT_TYPES.get(item.type, TEXT_PLAIN), headers)


def _search(app, req, mode):
    data_id, group = req.param("dataId"), req.param("group")
    tenant_raw = req.param("tenant")
    if mode == "accurate":
        params.check_filter(namespace_id=tenant_raw, data_id=data_id, group=group)
    else:
        params.check_filter(namespace_id=tenant_raw)
    _required(req, "dataId")
    _required(req, "group")
    page_no, page_size = _int_param(req, "pageNo"), _int_param(req, "pageSize")
    page = app.configs.search(mode, params.config_tenant(tenant_raw), data_id, group,
                              req.param("appName"), page_no, page_size)
    return ok_json(page)


def config_post(app, req):
    """Publish (``true``); CAS via the ``casMd5`` header; ``tag`` for gray content."""
    tenant_raw = req.param("tenant")
    data_id, group = req.param("dataId"), req.param("group")
    params.check_filter(namespace_id=tenant_raw, data_id=data_id, group=group)
    _required(req, "dataId")
    _required(req, "group")
    content = _required(req, "content")
    tag = req.param("tag")
    params.check_tenant(tenant_raw)
    params.check_config_key(data_id, group, content, tag)
    if len(content) > MAX_CONTENT:
        raise errors.caused(400, "invalid content, over %d" % MAX_CONTENT)
    config_type = req.param("type") or "text"
    extra = {"desc": req.param("desc"), "use": req.param("use"), "effect": req.param("effect"),
             "schema": req.param("schema"), "config_tags": req.param("config_tags"),
             "encrypted_data_key": req.param("encryptedDataKey"), "src_user": req.param("src_user"),
             "src_ip": req.client[0]}
    cas = req.headers.get("casmd5")
    cas = cas if cas is not None and cas.strip() else None
    ok = app.configs.publish((params.config_tenant(tenant_raw), group, data_id), content,
                             config_type=config_type, app_name=req.param("appName") or "",
                             tag=tag or None, cas_md5=cas, extra=extra)
    if not ok:
        raise errors.caused(500, "Cas publish fail, server md5 may have changed.")
    return Response(200, "true", errors.APPLICATION_JSON)


def config_delete(app, req):
    """Delete; ``true`` even when the config does not exist."""
    tenant_raw = req.param("tenant")
    data_id, group = req.param("dataId"), req.param("group")
    params.check_filter(namespace_id=tenant_raw, data_id=data_id, group=group)
    _required(req, "dataId")
    _required(req, "group")
    tag = req.param("tag")
    params.check_tenant(tenant_raw)
    params.check_config_key(data_id, group, tag=tag)
    app.configs.remove((params.config_tenant(tenant_raw), group, data_id), tag or None)
    return Response(200, "true", errors.APPLICATION_JSON)


# ----------------------------------------------------------------------------- listener

def _client_version(req):
    raw = req.headers.get("client-version") or "2.0.0"
    nums = []
    for part in raw.split(":v")[-1].split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        nums.append(int(digits) if digits else 0)
    return tuple(nums + [0] * (3 - len(nums)))


def config_listener(app, req):
    """Long polling: answer changed keys at once, else hold until a change or the timeout."""
    try:
        lines = parse_probe(req.param("Listening-Configs"))
    except ProbeError:
        lines = []
    if not lines:  # 2.3.2: IllegalArgumentException outside the config advice -> Spring's 500 JSON
        raise errors.spring_error(500, "invalid probeModify", req.path)
    for data_id, group, _md5, tenant in lines:
        params.check_filter(namespace_id=tenant, data_id=data_id, group=group)
    keys, client_md5 = {}, {}
    for data_id, group, md5, tenant in lines:
        key = store_key(data_id, group, tenant)
        keys[key] = (data_id, group, tenant)
        client_md5[key] = md5
    timeout_hdr = req.headers.get("long-pulling-timeout")
    if timeout_hdr is None:
        changed = [keys[k] for k in keys if app.configs.md5(k) != client_md5[k]]
        return _short_poll(req, changed)
    try:
        timeout_ms = int(timeout_hdr.strip())
    except ValueError:
        raise errors.caused(500, "For input string: \"%s\"" % timeout_hdr)
    waiter = Waiter(keys)
    app.hub.register(waiter)
    try:
        changed = [keys[k] for k in keys if app.configs.md5(k) != client_md5[k]]
        no_hangup = (req.headers.get("long-pulling-timeout-no-hangup") or "").strip().lower() == "true"
        if changed or no_hangup:
            return _poll_answer(changed)
        if app.stopping.is_set():
            return DROP
        hold = max(app.long_poll_min_hold, timeout_ms / 1000.0 - 0.5)
        waiter.event.wait(hold)
        if waiter.aborted or app.stopping.is_set():
            return DROP
        return _poll_answer(waiter.result or [])
    finally:
        app.hub.unregister(waiter)


def _poll_answer(changed):
    return Response(200, encode_keys(changed), errors.APPLICATION_JSON, list(_NO_CACHE))


def _short_poll(req, changed):
    # 2.3.2 answers an empty body whatever the Client-Version; the result is in the headers only.
    old = "".join("%s:%s;" % (k[0], k[1]) for k in changed)
    return Response(200, "", errors.APPLICATION_JSON, [("Probe-Modify-Response", old),
                                                       ("Probe-Modify-Response-New", encode_keys(changed).strip())])


# ----------------------------------------------------------------------------- namespaces

def namespaces_get(app, req):
    """List namespaces, show one (``show=all``), or check an id (``checkNamespaceIdExist``)."""
    if req.param("checkNamespaceIdExist") == "true":
        custom = req.param("customNamespaceId") or ""
        return ok_text("true" if custom and app.namespaces.exists(custom) else "false")
    if req.param("show") == "all":
        ns_id = _required(req, "namespaceId")
        info = app.namespaces.describe(ns_id, app.configs.count(params.config_tenant(ns_id)))
        if info is None:
            raise errors.plain(404, "namespaceId [ %s ] not exist" % ns_id)
        return ok_json(info)
    data = [app.namespaces.describe(ns, app.configs.count(ns)) for ns in app.namespaces.ids()]
    return ok_json({"code": 200, "message": None, "data": data})


def namespaces_post(app, req):
    """Create: ``true``, or ``false`` for a bad/taken id or a bad name."""
    name = _required(req, "namespaceName")
    ok = app.namespaces.create(req.param("customNamespaceId") or "", name, req.param("namespaceDesc"))
    return ok_text("true" if ok else "false")


def namespaces_put(app, req):
    """Edit: ``true``/``false``."""
    ns_id = _required(req, "namespace")
    name = _required(req, "namespaceShowName")
    return ok_text("true" if app.namespaces.update(ns_id, name, req.param("namespaceDesc")) else "false")


def namespaces_delete(app, req):
    """Delete: ``true``."""
    ns_id = _required(req, "namespaceId")
    return ok_text("true" if app.namespaces.delete(ns_id) else "false")


ROUTES = {
    "/v1/cs/configs": {"GET": (config_get, True), "POST": (config_post, True),
                       "DELETE": (config_delete, True)},
    "/v1/cs/configs/listener": {"POST": (config_listener, True)},
    "/v1/console/namespaces": {"GET": (namespaces_get, True), "POST": (namespaces_post, True),
                               "PUT": (namespaces_put, True), "DELETE": (namespaces_delete, True)},
}
