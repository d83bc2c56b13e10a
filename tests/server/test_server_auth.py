"""Auth: login endpoints, token checks, expiry, and auth switched off."""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

import pytest

CONFIG = "/v1/cs/configs"
Q = {"dataId": "a", "group": "g"}


@pytest.fixture
def auth_srv(make_server):
    return make_server(auth_enabled=True, users={"nacos": "nacos", "bob": "pw"})


@pytest.fixture
def abase(auth_srv):
    return auth_srv.url + "/nacos"


def login(http, abase, user="nacos", password="nacos", path="/v1/auth/login"):
    return http.post(abase + path, params={"username": user}, data={"password": password})


def assert_denied(r, message, path="/nacos/v1/cs/configs"):
    assert r.status_code == 403
    body = r.json()
    assert body["status"] == 403 and body["error"] == "Forbidden"
    assert body["message"] == message
    assert body["path"] == path
    assert "timestamp" in body


def test_auth_off_needs_no_token_and_login_still_works(http, base):
    assert http.get(base + CONFIG, params=Q).status_code == 404
    r = http.post(base + "/v1/auth/login", data={"username": "nacos", "password": "nacos"})
    assert r.status_code == 200 and r.json()["username"] == "nacos"


def test_login_answer(http, abase):
    for path in ("/v1/auth/login", "/v1/auth/users/login"):
        r = login(http, abase, path=path)
        assert r.status_code == 200
        body = r.json()
        assert set(body) == set(["accessToken", "tokenTtl", "globalAdmin", "username"])
        assert body["tokenTtl"] == 18000 and body["globalAdmin"] is True and body["username"] == "nacos"
        assert r.headers["Authorization"] == "Bearer " + body["accessToken"]
    body = http.post(abase + "/v1/auth/login", data={"username": "bob", "password": "pw"}).json()
    assert body["globalAdmin"] is False


def test_bad_credentials(http, abase):
    r = login(http, abase, password="wrong")
    assert (r.status_code, r.text) == (403, "user not found!")
    r = login(http, abase, user="nobody")
    assert (r.status_code, r.text) == (403, "user not found!")
    r = http.post(abase + "/v1/auth/login")
    assert r.status_code == 403


def test_requests_need_a_valid_token(http, abase):
    assert_denied(http.get(abase + CONFIG, params=Q), "user not found!")
    assert_denied(http.get(abase + CONFIG, params=dict(Q, accessToken="garbage")), "token invalid!")
    token = login(http, abase).json()["accessToken"]
    assert http.get(abase + CONFIG, params=dict(Q, accessToken=token)).status_code == 404
    assert http.get(abase + CONFIG, params=Q, headers={"Authorization": "Bearer " + token}).status_code == 404
    r = http.post(abase + CONFIG, data=dict(Q, content="x", accessToken=token))
    assert r.text == "true"


def test_raw_username_password_params_are_accepted(http, abase):
    assert http.get(abase + CONFIG, params=dict(Q, username="bob", password="pw")).status_code == 404
    assert_denied(http.get(abase + CONFIG, params=dict(Q, username="bob", password="no")), "user not found!")


def test_every_area_is_protected_but_health_and_login(http, abase):
    # the metrics stay open, as on a real 2.3.2 (recorded in tests/conformance)
    assert http.get(abase + "/v1/ns/operator/metrics").status_code == 200
    for path in ("/v1/ns/instance/list?serviceName=s", "/v1/console/namespaces", "/v1/ns/service/list",
                 "/v1/console/server/state"):
        r = http.get(abase + path)
        assert r.status_code == 403, path
        assert r.json()["path"] == "/nacos" + path.split("?")[0]
    assert http.get(abase + "/v1/console/health/liveness").status_code == 200
    assert http.get(abase + "/v1/console/health/readiness").status_code == 200
    assert http.get(abase + "/v1/unknown").status_code == 404


def test_expire_tokens(http, abase, auth_srv):
    token = login(http, abase).json()["accessToken"]
    auth_srv.expire_tokens()
    assert_denied(http.get(abase + CONFIG, params=dict(Q, accessToken=token)), "token expired!")
    fresh = login(http, abase).json()["accessToken"]
    assert http.get(abase + CONFIG, params=dict(Q, accessToken=fresh)).status_code == 404


def test_token_ttl(make_server, http):
    server = make_server(auth_enabled=True, token_ttl=1)
    base = server.url + "/nacos"
    body = login(http, base).json()
    assert body["tokenTtl"] == 1
    assert http.get(base + CONFIG, params=dict(Q, accessToken=body["accessToken"])).status_code == 404
    time.sleep(1.1)
    assert_denied(http.get(base + CONFIG, params=dict(Q, accessToken=body["accessToken"])), "token expired!")


def test_wipe_forgets_tokens(http, abase, auth_srv):
    token = login(http, abase).json()["accessToken"]
    auth_srv.wipe()
    assert_denied(http.get(abase + CONFIG, params=dict(Q, accessToken=token)), "token invalid!")


def test_state_reports_auth(http, abase):
    token = login(http, abase).json()["accessToken"]
    state = http.get(abase + "/v1/console/server/state", params={"accessToken": token}).json()
    assert state["auth_enabled"] == "true"
