"""3.x auth: ``/v3/auth/user/login``, ``/v3/auth/user/admin`` and the token checks of the v3 routes (3.x wording:
``Code: 401, Message: token invalid!.``)."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest

LOGIN = "/v3/auth/user/login"
CLIENT = "/v3/client/cs/config"
KEY = {"dataId": "d", "groupName": "G"}
NOT_FOUND = {"code": 20004, "message": "resource not found", "data": None}


@pytest.fixture(params=[True, False], ids=["v1-on", "v1-off"])
def asrv(request, make_server):
    return make_server(v1=request.param, auth_enabled=True, users={"nacos": "nacos", "bob": "pw"}, token_ttl=60)


@pytest.fixture
def abase(asrv):
    return asrv.url + "/nacos"


def token(http, abase, user="nacos", password="nacos"):
    return http.post(abase + LOGIN, data={"username": user, "password": password}).json()["accessToken"]


def assert_spring(r, status, message, path):
    assert r.status_code == status and r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert (body["status"], body["message"], body["path"]) == (status, message, "/nacos" + path)
    assert "timestamp" in body and "error" in body


def test_login_answer_and_failures(http, abase):
    r = http.post(abase + LOGIN, data={"username": "nacos", "password": "nacos"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert set(body) == set(["accessToken", "tokenTtl", "globalAdmin", "username"])  # no envelope
    assert (body["tokenTtl"], body["globalAdmin"], body["username"]) == (60, True, "nacos")
    assert r.headers["Authorization"] == "Bearer " + body["accessToken"]
    assert http.post(abase + LOGIN, params={"username": "bob", "password": "pw"}).json()["globalAdmin"] is False
    assert_spring(http.post(abase + LOGIN, data={"username": "nobody", "password": "x"}), 403, "Access Denied", LOGIN)
    for form in ({"username": "nacos", "password": "wrong"}, {"username": "nacos"}, {}):
        assert_spring(http.post(abase + LOGIN, data=form), 500, "No message available", LOGIN)
    r = http.post(abase + LOGIN, params={"accessToken": "bad"}, data={"username": "nacos", "password": "nacos"})
    assert_spring(r, 500, "No message available", LOGIN)  # a token in the request is checked first
    again = http.post(abase + LOGIN, params={"accessToken": body["accessToken"]}).json()
    assert again["accessToken"] == body["accessToken"] and 0 < again["tokenTtl"] <= 60


def test_token_sources(http, abase):
    tok = token(http, abase)
    for kw in ({"params": dict(KEY, accessToken=tok)}, {"params": KEY, "headers": {"accessToken": tok}},
               {"params": KEY, "headers": {"Authorization": "Bearer " + tok}},
               {"params": dict(KEY, username="bob", password="pw")}):
        r = http.get(abase + CLIENT, **kw)
        assert (r.status_code, r.json()) == (200, NOT_FOUND), kw


def test_denials_use_the_3x_wording(http, abase, asrv):
    user_not_found = "Code: 401, Message: User not found! Please check user exist or password is right!."
    for method, path in (("GET", CLIENT), ("POST", "/v3/admin/cs/config"), ("GET", "/v3/client/ns/instance/list"),
                         ("POST", "/v3/client/ns/instance"), ("GET", "/v3/admin/ns/service/list"),
                         ("GET", "/v3/admin/ns/ops/metrics")):
        assert_spring(http.request(method, abase + path, params=KEY), 403, user_not_found, path)
    assert_spring(http.get(abase + CLIENT, params=dict(KEY, accessToken="bad")), 403,
                  "Code: 401, Message: token invalid!.", CLIENT)
    assert_spring(http.get(abase + CLIENT, params=dict(KEY, username="bob", password="no")), 403, user_not_found,
                  CLIENT)
    tok = token(http, abase)
    asrv.expire_tokens()
    assert_spring(http.get(abase + CLIENT, params=dict(KEY, accessToken=tok)), 403,
                  "Code: 401, Message: token expired!.", CLIENT)


def test_metrics_need_the_admin_other_routes_any_user(http, abase):
    bob = token(http, abase, "bob", "pw")
    assert_spring(http.get(abase + "/v3/admin/ns/ops/metrics", params={"accessToken": bob}), 403,
                  "Code: 403, Message: authorization failed!.", "/v3/admin/ns/ops/metrics")
    admin = token(http, abase)
    assert http.get(abase + "/v3/admin/ns/ops/metrics", params={"accessToken": admin}).json()["data"] == {
        "status": "UP"}
    r = http.post(abase + "/v3/admin/cs/config", data=dict(KEY, content="x", accessToken=bob))
    assert r.json() == {"code": 0, "message": "success", "data": True}


def test_open_routes(http, abase):
    for path in ("/v3/admin/core/state", "/v3/admin/core/state/readiness", "/v3/admin/core/state/liveness"):
        assert http.get(abase + path).status_code == 200
    assert http.get(abase + "/v3/admin/core/state").json()["data"]["auth_enabled"] == "true"


def test_create_admin(http, make_server):
    base = make_server(v1=False, auth_enabled=True, users={"bob": "pw"}).url + "/nacos"
    assert_spring(http.post(base + LOGIN, data={"username": "nacos", "password": "s3"}), 403, "Access Denied", LOGIN)
    r = http.post(base + "/v3/auth/user/admin", data={"password": "s3"})
    assert r.json() == {"code": 0, "message": "success", "data": {"username": "nacos", "password": "s3"}}
    assert token(http, base, "nacos", "s3")
    r = http.post(base + "/v3/auth/user/admin", data={"password": "other"})
    assert (r.status_code, r.json()) == (200, {"code": 409, "message": "have admin user cannot use it.", "data": None})
    base = make_server(users={"bob": "pw"}).url + "/nacos"
    generated = http.post(base + "/v3/auth/user/admin").json()["data"]["password"]
    assert len(generated) >= 8 and token(http, base, "nacos", generated)


def test_auth_off_login_still_checks_the_user(http, make_server):
    base = make_server(v1=False).url + "/nacos"
    assert http.post(base + LOGIN, data={"username": "nacos", "password": "nacos"}).status_code == 200
    assert_spring(http.post(base + LOGIN, data={"username": "nobody", "password": "x"}), 403, "Access Denied", LOGIN)
    assert http.get(base + CLIENT, params=KEY).json() == NOT_FOUND
