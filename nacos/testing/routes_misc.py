"""Auth login, health, server state and naming metrics routes."""
from __future__ import absolute_import, division, print_function, unicode_literals

from . import errors
from .errors import ok_json, ok_text

SERVER_VERSION = "2.5.1"


def login(app, req):
    """``POST /v1/auth/[users/]login``: username/password in query or form."""
    result = app.auth.login(req.param("username"), req.param("password"))
    resp = ok_json(result, errors.NAMING_JSON)
    resp.headers.append(("Authorization", "Bearer " + result["accessToken"]))
    return resp


def liveness(app, req):
    """``200 OK``."""
    return ok_text("OK")


def readiness(app, req):
    """``200 OK`` (this server is always ready once started)."""
    return ok_text("OK")


def server_state(app, req):
    """The 2.x state map (string values), plus ``embedded_server``."""
    return ok_json({
        "version": SERVER_VERSION, "standalone_mode": "standalone", "function_mode": None,
        "auth_enabled": "true" if app.auth_enabled else "false",
        "login_page_enabled": "true" if app.auth_enabled else "false",
        "auth_system_type": "nacos", "auth_admin_request": "false",
        "console_ui_enabled": "false", "startup_mode": "server",
        "config_retention_days": "30", "embedded_server": "nacos.testing",
    })


def metrics(app, req):
    """2.x: ``{"status":"UP"}``, or the full counters with ``onlyStatus=false``."""
    if (req.param("onlyStatus") or "true").strip().lower() != "false":
        return ok_json({"status": "UP"}, errors.NAMING_JSON)
    services, instances, subscribers = app.naming.counts()
    return ok_json({"status": "UP", "serviceCount": services, "instanceCount": instances,
                    "subscribeCount": subscribers, "clientCount": instances,
                    "connectionBasedClientCount": 0, "ephemeralIpPortClientCount": instances,
                    "persistentIpPortClientCount": 0, "responsibleClientCount": instances,
                    "cpu": 0.0, "load": 0.0, "mem": 0.0})


ROUTES = {
    "/v1/auth/login": {"POST": (login, False)},
    "/v1/auth/users/login": {"POST": (login, False)},
    "/v1/console/health/liveness": {"GET": (liveness, False)},
    "/v1/console/health/readiness": {"GET": (readiness, False)},
    "/v1/console/server/state": {"GET": (server_state, True)},
    "/v1/ns/operator/metrics": {"GET": (metrics, False)},
    "/v1/ns/ops/metrics": {"GET": (metrics, False)},
}
