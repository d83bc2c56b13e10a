"""Shared pieces of the Nacos 3.x HTTP APIs: the ``{code, message, data}`` envelope, the error codes, parameter
helpers, and the HTTP 410 answers of the v1 APIs on a server without them (``NacosServer(v1=False)``).

Everything here was checked against a real 3.1 server (``io.github.pig-mesh.nacos:nacos-server:3.1.0-bugfix``)
started with ``-Dnacos.core.api.compatibility.client.enabled=false``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from . import errors
from .errors import Response

V3_JSON = "application/json"  # every v3 answer, errors included, carries no charset

# ErrorCode values and their messages (com.alibaba.nacos.api.model.v2.ErrorCode)
PARAMETER_MISSING = (10000, "parameter missing")
PARAMETER_VALIDATE_ERROR = (20002, "parameter validate error")
RESOURCE_NOT_FOUND = (20004, "resource not found")
RESOURCE_CONFLICT = (20005, "resource conflict")
WEIGHT_ERROR = (21001, "weight error")
INSTANCE_NOT_FOUND = (21003, "instance not found")
INSTANCE_ERROR = (21004, "instance error")
SERVICE_ALREADY_EXIST = (21007, "service already exist")
SERVICE_NOT_EXIST = (21008, "service not exist")
SERVICE_DELETE_FAILURE = (21009, "service delete failure")
SERVER_ERROR = (30000, "server error")
API_DEPRECATED = 40000


def envelope(code, message, data):
    return errors.dumps({"code": code, "message": message, "data": data})


def ok(data, status=200):
    """``{"code":0,"message":"success","data":data}``."""
    return Response(status, envelope(0, "success", data), V3_JSON)


def failure(status, error, data=None):
    """An ``HttpError`` answering ``status`` with the envelope of ``error`` (a ``(code, message)`` pair)."""
    return errors.HttpError(Response(status, envelope(error[0], error[1], data), V3_JSON))


def spring(status, message, path):
    """Spring's error JSON as 3.x sends it: ``application/json`` without a charset."""
    exc = errors.spring_error(status, message, path)
    exc.response.content_type = V3_JSON
    return exc


def missing(name, type_name="String"):
    """A required form field that is absent or blank: 400, code 10000."""
    return failure(400, PARAMETER_MISSING, "Required parameter '%s' type %s is not present" % (name, type_name))


def required(req, name, type_name="String"):
    """The stripped value of ``name``; raises :func:`missing` when blank."""
    value = req.param(name)
    if value is None or not value.strip():
        raise missing(name, type_name)
    return value.strip()


def filtered(check, **kw):
    """Run the ``ParamCheckerFilter`` (``params.check_filter``); on 3.x its 400 carries no Content-Type."""
    try:
        check(**kw)
    except errors.HttpError as exc:
        exc.response.content_type = None
        raise


def namespace(req):
    """``namespaceId``: blank is ``public`` (both the config and the naming side of 3.x)."""
    ns = req.param("namespaceId")
    return ns.strip() if ns is not None and ns.strip() else "public"


def page(req):
    """``PageForm``: ``pageNo`` (default 1) and ``pageSize`` (default 100), both positive."""
    values = []
    for name, default in (("pageNo", 1), ("pageSize", 100)):
        raw = req.param(name)
        if raw is None or raw == "":
            values.append(default)
            continue
        try:
            values.append(int(raw))
        except ValueError:
            raise failure(500, (30000, "Validation failed for argument [1]: [Field error in object 'pageForm' on "
                                       "field '%s': rejected value [%s]; default message [Failed to convert property "
                                       "value of type 'java.lang.String' to required type 'int' for property '%s'; "
                                       "For input string: \"%s\"]] " % (name, raw, name, raw)))
    for name, value in zip(("pageNo", "pageSize"), values):
        if value < 1:
            raise failure(400, PARAMETER_VALIDATE_ERROR,
                          "Required parameter '%s' should be positive integer, current is %d" % (name, value))
    return values[0], values[1]


def bool_param(req, name, default):
    """Spring's boolean binding (true/false/on/off/yes/no/1/0); anything else is a 500 with code 30000."""
    raw = req.param(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("true", "on", "yes", "1"):
        return True
    if value in ("false", "off", "no", "0"):
        return False
    raise failure(500, (30000, "Validation failed for argument [0]: [Field error on field '%s': rejected value "
                               "[%s]; default message [Failed to convert property value of type 'java.lang.String' "
                               "to required type 'java.lang.Boolean' for property '%s'; Invalid boolean value "
                               "[%s]]] " % (name, raw, name, raw)))


# ----------------------------------------------------------------------------- v1 paths on a server without them

_CLIENT_SWITCH = "nacos.core.api.compatibility.client.enabled"
_ADMIN_SWITCH = "nacos.core.api.compatibility.admin.enabled"
_CTX = "${contextPath:nacos}"

# (v1 route, method) -> (replacement API or None, switch named in the message); as the real 3.1 answers
GONE = {
    ("/v1/cs/configs", "GET"): ("GET %s/v3/client/cs/config", _CLIENT_SWITCH),
    ("/v1/cs/configs", "POST"): ("POST %s/v3/admin/cs/config", _CLIENT_SWITCH),
    ("/v1/cs/configs", "DELETE"): ("DELETE %s/v3/admin/cs/config", _CLIENT_SWITCH),
    ("/v1/cs/configs/listener", "POST"): (None, _CLIENT_SWITCH),
    ("/v1/ns/instance", "POST"): ("POST %s/v3/client/ns/instance", _CLIENT_SWITCH),
    ("/v1/ns/instance", "DELETE"): ("DELETE %s/v3/client/ns/instance", _CLIENT_SWITCH),
    ("/v1/ns/instance", "PUT"): ("PUT %s/v3/admin/ns/instance", _ADMIN_SWITCH),
    ("/v1/ns/instance", "GET"): ("GET %s/v3/admin/ns/instance", _ADMIN_SWITCH),
    ("/v1/ns/instance/list", "GET"): ("GET %s/v3/client/ns/instance/list", _CLIENT_SWITCH),
    ("/v1/ns/instance/beat", "PUT"): ("POST %s/v3/client/ns/instance?heartBeat=true", _CLIENT_SWITCH),
    ("/v1/ns/service", "POST"): ("POST %s/v3/admin/ns/service", _ADMIN_SWITCH),
    ("/v1/ns/service", "PUT"): ("PUT %s/v3/admin/ns/service", _ADMIN_SWITCH),
    ("/v1/ns/service", "DELETE"): ("DELETE %s/v3/admin/ns/service", _ADMIN_SWITCH),
    ("/v1/ns/service", "GET"): ("GET %s/v3/admin/ns/service", _ADMIN_SWITCH),
    ("/v1/ns/service/list", "GET"): ("GET %s/v3/admin/ns/service/list", _CLIENT_SWITCH),
    ("/v1/ns/operator/metrics", "GET"): ("GET %s/v3/admin/ns/ops/metrics", _CLIENT_SWITCH),
    ("/v1/ns/ops/metrics", "GET"): ("GET %s/v3/admin/ns/ops/metrics", _CLIENT_SWITCH),
    ("/v1/auth/login", "POST"): ("POST %s/v3/auth/user/login", _CLIENT_SWITCH),
    ("/v1/auth/users/login", "POST"): ("POST %s/v3/auth/user/login", _CLIENT_SWITCH),
}


def gone(route, method, path):
    """The 410 answer for a v1 ``route``, or None when the real server has no such API (it answers 404, e.g. the
    ``/v1/console/*`` paths, which a 3.x server without the console does not serve).

    The body is Spring's error JSON whose ``message`` is the JSON text of ``Result.failure(40000, ...)``;
    config paths carry ``application/json;charset=UTF-8``, naming and auth paths ``application/json``.
    """
    entry = GONE.get((route, method))
    if entry is None:
        return None
    replacement, switch = entry
    if replacement is None:
        text = "Current API will be deprecated, If wanted continue to use, please set `%s=true` in " \
               "application.properties." % switch
    else:
        text = "Current API will be deprecated, please use API(s) `%s` instead, or set `%s=true` in " \
               "application.properties." % (replacement % _CTX, switch)
    message = '{"code":%d,"message":%s}' % (API_DEPRECATED, errors.dumps(text))  # key order as Jackson writes it
    resp = errors.spring_error(410, message, path).response
    if not route.startswith("/v1/cs/"):
        resp.content_type = V3_JSON
    return resp
