"""3.x core and auth routes: ``/v3/admin/core/state[/readiness|/liveness]``, ``POST /v3/auth/user/login`` and
``POST /v3/auth/user/admin``."""
from __future__ import absolute_import, division, print_function, unicode_literals

import binascii
import os

from . import errors, v3
from .auth import Denied, request_token

SERVER_VERSION = "3.1.0"


def state(app, req):
    """The 3.x state map (string values, in the envelope), plus ``embedded_server``; no token needed."""
    return v3.ok({
        "version": SERVER_VERSION, "startup_mode": "standalone", "function_mode": None,
        "auth_enabled": "true" if app.auth_enabled else "false", "auth_system_type": "nacos",
        "auth_admin_request": "false", "config_retention_days": "30", "maxContent": "10485760",
        "server_port": "%d" % app.port, "embedded_server": "nacos.testing",
    })


def health(app, req):
    """Readiness and liveness: ``data: "ok"`` (this server is ready once started)."""
    return v3.ok("ok")


def _login_failed(status, req):
    message = "Access Denied" if status == 403 else "No message available"
    return v3.spring(status, message, req.path)


def login(app, req):
    """``POST /v3/auth/user/login`` (form or query ``username``/``password``): the bare
    ``{"accessToken","tokenTtl","globalAdmin","username"}`` (no envelope) and an ``Authorization`` header.

    As 3.1 answers, with auth on or off: an unknown user is 403 ``Access Denied``; a wrong or missing password
    (or no username) is 500 ``No message available``; a request that carries a token logs in with that token
    (500 when it is invalid or expired).
    """
    token = request_token(req, v3=True)
    if token:
        try:
            result = app.auth.login_with_token(token)
        except Denied:
            raise _login_failed(500, req)
    else:
        username, password = req.param("username"), req.param("password")
        if not username:
            raise _login_failed(500, req)
        if username not in app.auth.users:
            raise _login_failed(403, req)
        if not app.auth.authenticate(username, password):
            raise _login_failed(500, req)
        result = app.auth.login(username, password)
    resp = errors.ok_json(result, v3.V3_JSON)
    resp.headers.append(("Authorization", "Bearer " + result["accessToken"]))
    return resp


def create_admin(app, req):
    """``POST /v3/auth/user/admin`` (``password``, random when blank): creates the user ``nacos``; once a global
    admin exists, 200 with code 409 ``have admin user cannot use it.``; no token needed."""
    password = req.param("password")
    if password is None or not password.strip():
        password = binascii.hexlify(os.urandom(8)).decode("ascii")
    if not app.auth.create_admin(password):
        return errors.Response(200, v3.envelope(409, "have admin user cannot use it.", None), v3.V3_JSON)
    return v3.ok({"username": "nacos", "password": password})


ROUTES = {
    "/v3/admin/core/state": {"GET": (state, False)},
    "/v3/admin/core/state/readiness": {"GET": (health, False)},
    "/v3/admin/core/state/liveness": {"GET": (health, False)},
    "/v3/auth/user/login": {"POST": (login, False)},
    "/v3/auth/user/admin": {"POST": (create_admin, False)},
}
