"""3.x config routes: ``GET /v3/client/cs/config`` and ``GET/POST/DELETE /v3/admin/cs/config[/list]``.

They read and write the same ``ConfigStore`` as ``/v1/cs/configs``: ``namespaceId`` blank or ``public`` is the
v1 tenant ``""``, and ``groupName`` is the v1 ``group``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from . import errors, params, v3
from .config_store import md5_hex

MAX_POST_SIZE = 2 * 1024 * 1024  # Tomcat's maxPostSize: a larger form body is not parsed at all


def _key(req, check_content=False):
    """The ParamCheckerFilter, then ``ConfigFormV3.validate``: groupName, dataId (and content) required."""
    v3.filtered(params.check_filter, namespace_id=req.param("namespaceId"), data_id=req.param("dataId"),
                group=req.param("groupName"))
    group = v3.required(req, "groupName")
    data_id = v3.required(req, "dataId")
    if check_content:
        v3.required(req, "content")
    return params.config_tenant(req.param("namespaceId")), group, data_id


def client_config_get(app, req):
    """``GET /v3/client/cs/config``: 200 with code 20004 (``data`` null) when missing; a missing parameter is a
    plain-text 400 ``caused: Required parameter 'groupName' type String is not present;`` on this path."""
    v3.filtered(params.check_filter, namespace_id=req.param("namespaceId"), data_id=req.param("dataId"),
                group=req.param("groupName"))
    for name in ("groupName", "dataId"):
        value = req.param(name)
        if value is None or not value.strip():
            raise errors.caused(400, "Required parameter '%s' type String is not present" % name)
    found = app.configs.get((params.config_tenant(req.param("namespaceId")), req.param("groupName").strip(),
                             req.param("dataId").strip()))
    if found is None:
        return v3.Response(200, v3.envelope(v3.RESOURCE_NOT_FOUND[0], v3.RESOURCE_NOT_FOUND[1], None), v3.V3_JSON)
    content, md5, item = found
    return v3.ok({"resultCode": 200, "errorCode": 0, "message": None, "requestId": None, "content": content,
                  "encryptedDataKey": item.encrypted_data_key or "", "contentType": item.type, "md5": md5,
                  "lastModified": item.modify_time, "tag": None, "beta": False, "success": True})


def admin_config_get(app, req):
    """``GET /v3/admin/cs/config``: one config with its content; 404 with code 20004 when it does not exist."""
    key = _key(req)
    found = app.configs.get(key)
    if found is None:
        raise v3.failure(404, v3.RESOURCE_NOT_FOUND, "Config not exist, please publish Config first.")
    info = found[2].to_all_info()
    return v3.ok({"id": info["id"], "namespaceId": key[0] or "public", "groupName": key[1], "dataId": key[2],
                  "md5": found[1], "type": info["type"], "appName": info["appName"],
                  "createTime": info["createTime"], "modifyTime": info["modifyTime"], "content": found[0],
                  "desc": info["desc"], "encryptedDataKey": info["encryptedDataKey"] or "",
                  "createUser": info["createUser"], "createIp": info["createIp"], "configTags": info["configTags"]})


def admin_config_post(app, req):
    """``POST /v3/admin/cs/config``: ``data: true``. The ``casMd5`` HEADER is honoured (500, code 20005, on a
    mismatch); a ``casMd5`` form field is ignored, as on 3.1. ``tag`` stores tag-specific content. A form body
    over 2 MiB is not parsed (Tomcat's limit), so the 10 MiB content limit cannot be reached."""
    if len(req.body or b"") > MAX_POST_SIZE:  # 3.1 then answers as if the form were empty (groupName missing)
        req.form = {}
    key = _key(req, check_content=True)
    content = req.param("content")
    extra = {"desc": req.param("desc"), "config_tags": req.param("configTags"),
             "encrypted_data_key": req.param("encryptedDataKey"), "src_user": req.param("srcUser"),
             "src_ip": req.client[0]}
    cas = req.headers.get("casmd5")
    cas = cas if cas is not None and cas.strip() else None
    tag = req.param("tag")
    if not app.configs.publish(key, content, config_type=req.param("type") or "text",
                               app_name=req.param("appName") or "", tag=tag or None, cas_md5=cas, extra=extra):
        raise v3.failure(500, v3.RESOURCE_CONFLICT, "Cas publish fail, server md5 may have changed.")
    return v3.ok(True)


def admin_config_delete(app, req):
    """``DELETE /v3/admin/cs/config``: ``data: true``, also when the config does not exist."""
    key = _key(req)
    app.configs.remove(key, req.param("tag") or None)
    return v3.ok(True)


def admin_config_list(app, req):
    """``GET /v3/admin/cs/config/list``: the search page (``search`` blur by default, ``*`` wildcards in the
    group; the ParamCheckerFilter refuses ``*`` in ``dataId``); items carry md5 but no content."""
    tenant_raw = req.param("namespaceId")
    v3.filtered(params.check_filter, namespace_id=tenant_raw, data_id=req.param("dataId"))
    page_no, page_size = v3.page(req)
    mode = "blur" if (req.param("search") or "blur") == "blur" else "accurate"
    tenant = params.config_tenant(tenant_raw)
    found = app.configs.search(mode, tenant, req.param("dataId") or "", req.param("groupName") or "",
                               req.param("appName"), page_no, page_size)
    found["pageItems"] = [
        {"id": item["id"], "namespaceId": tenant or "public", "groupName": item["group"], "dataId": item["dataId"],
         "md5": md5_hex(item["content"]), "type": item["type"], "appName": item["appName"], "createTime": 0,
         "modifyTime": 0}
        for item in found["pageItems"]]
    return v3.ok(found)


ROUTES = {
    "/v3/client/cs/config": {"GET": (client_config_get, "v3")},
    "/v3/admin/cs/config": {"GET": (admin_config_get, "v3"), "POST": (admin_config_post, "v3"),
                            "DELETE": (admin_config_delete, "v3")},
    "/v3/admin/cs/config/list": {"GET": (admin_config_list, "v3")},
}
