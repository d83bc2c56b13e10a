"""``NacosServer(v1=False)`` / ``python -m nacos.testing --no-v1``: a Nacos 3.2+ without the legacy adapter.
Every v1 API answers HTTP 410 with the real body; the console paths 404; unknown paths use the 3.x wording."""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import os
import subprocess
import sys

import pytest
import requests
from support.net import free_port

from nacos.testing import NacosServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SWITCH = "`nacos.core.api.compatibility.%s.enabled=true` in application.properties."

# (method, v1 path, replacement named in the 410, switch) as the real 3.1 answers
GONE = [
    ("GET", "/v1/cs/configs", "GET ${contextPath:nacos}/v3/client/cs/config", "client"),
    ("POST", "/v1/cs/configs", "POST ${contextPath:nacos}/v3/admin/cs/config", "client"),
    ("DELETE", "/v1/cs/configs", "DELETE ${contextPath:nacos}/v3/admin/cs/config", "client"),
    ("POST", "/v1/cs/configs/listener", None, "client"),
    ("POST", "/v1/ns/instance", "POST ${contextPath:nacos}/v3/client/ns/instance", "client"),
    ("DELETE", "/v1/ns/instance", "DELETE ${contextPath:nacos}/v3/client/ns/instance", "client"),
    ("PUT", "/v1/ns/instance", "PUT ${contextPath:nacos}/v3/admin/ns/instance", "admin"),
    ("GET", "/v1/ns/instance", "GET ${contextPath:nacos}/v3/admin/ns/instance", "admin"),
    ("GET", "/v1/ns/instance/list", "GET ${contextPath:nacos}/v3/client/ns/instance/list", "client"),
    ("PUT", "/v1/ns/instance/beat", "POST ${contextPath:nacos}/v3/client/ns/instance?heartBeat=true", "client"),
    ("POST", "/v1/ns/service", "POST ${contextPath:nacos}/v3/admin/ns/service", "admin"),
    ("PUT", "/v1/ns/service", "PUT ${contextPath:nacos}/v3/admin/ns/service", "admin"),
    ("DELETE", "/v1/ns/service", "DELETE ${contextPath:nacos}/v3/admin/ns/service", "admin"),
    ("GET", "/v1/ns/service", "GET ${contextPath:nacos}/v3/admin/ns/service", "admin"),
    ("GET", "/v1/ns/service/list", "GET ${contextPath:nacos}/v3/admin/ns/service/list", "client"),
    ("GET", "/v1/ns/operator/metrics", "GET ${contextPath:nacos}/v3/admin/ns/ops/metrics", "client"),
    ("GET", "/v1/ns/ops/metrics", "GET ${contextPath:nacos}/v3/admin/ns/ops/metrics", "client"),
    ("POST", "/v1/auth/login", "POST ${contextPath:nacos}/v3/auth/user/login", "client"),
    ("POST", "/v1/auth/users/login", "POST ${contextPath:nacos}/v3/auth/user/login", "client"),
]


def assert_gone(r, path, replacement, switch):
    assert r.status_code == 410
    expected_type = "application/json;charset=UTF-8" if path.startswith("/v1/cs/") else "application/json"
    assert r.headers["Content-Type"] == expected_type
    body = r.json()
    assert (body["status"], body["error"], body["path"]) == (410, "Gone", "/nacos" + path)
    assert "timestamp" in body
    if replacement is None:
        text = "Current API will be deprecated, If wanted continue to use, please set " + SWITCH % switch
    else:
        text = "Current API will be deprecated, please use API(s) `%s` instead, or set %s" % (
            replacement, SWITCH % switch)
    assert json.loads(body["message"]) == {"code": 40000, "message": text}
    assert body["message"].startswith('{"code":40000,"message":"Current API')


@pytest.mark.parametrize("method,path,replacement,switch", GONE, ids=["%s %s" % g[:2] for g in GONE])
def test_every_v1_api_is_gone(http, make_server, method, path, replacement, switch):
    base = make_server(v1=False).url + "/nacos"
    assert_gone(http.request(method, base + path, data={"dataId": "d", "group": "g", "content": "x"}), path,
                replacement, switch)


def test_gone_comes_before_auth_and_after_faults(http, make_server):
    srv = make_server(v1=False, auth_enabled=True)
    base = srv.url + "/nacos"
    assert_gone(http.get(base + "/v1/cs/configs", params={"dataId": "d", "group": "g"}), "/v1/cs/configs",
                "GET ${contextPath:nacos}/v3/client/cs/config", "client")
    srv.fail_next(1, status=503, body="busy", path="/v1/cs/configs")
    assert http.get(base + "/v1/cs/configs").status_code == 503
    assert [e["status"] for e in srv.request_log] == [410, 503]


def test_console_paths_and_unknown_paths_use_the_3x_wording(http, make_server):
    base = make_server(v1=False).url + "/nacos"
    for path in ("/v1/console/namespaces", "/v1/console/health/readiness", "/v1/console/server/state",
                 "/v3/no/such/api"):
        r = http.get(base + path)
        assert r.status_code == 404 and r.headers["Content-Type"] == "application/json"
        assert r.json()["message"] == "No endpoint GET /nacos%s." % path
    for path, content_type in (("/v3/admin/cs/config", "application/json"),
                               ("/v1/cs/configs", "application/json;charset=UTF-8")):
        r = http.patch(base + path)
        assert (r.status_code, r.json()["message"]) == (405, "Method 'PATCH' is not supported.")
        assert r.headers["Content-Type"] == content_type
    r = http.patch(base + "/v1/ns/instance/list")
    assert (r.status_code, r.json()["message"]) == (501, "no such api:PATCH:/nacos/v1/ns/instance/list")


def test_default_mode_serves_v1_and_v3(http, make_server):
    srv = make_server()
    base = srv.url + "/nacos"
    assert srv.v1 is True and "no v1" not in repr(srv)
    assert http.get(base + "/v1/cs/configs", params={"dataId": "d", "group": "g"}).status_code == 404
    assert http.get(base + "/v1/console/health/readiness").text == "OK"
    assert http.get(base + "/v3/client/cs/config", params={"dataId": "d", "groupName": "g"}).json()["code"] == 20004
    r = http.get(base + "/v3/no/such/api")
    assert (r.status_code, r.json()["message"]) == (404, "No message available")  # the 2.x wording
    off = make_server(v1=False)
    assert off.v1 is False and "(no v1)" in repr(off)


def test_context_path_is_kept_in_the_410(http):
    with NacosServer(v1=False, context_path="/ctx") as srv:
        r = http.get(srv.url + "/ctx/v1/ns/instance/list", params={"serviceName": "s"})
        assert r.status_code == 410 and r.json()["path"] == "/ctx/v1/ns/instance/list"
        assert "${contextPath:nacos}/v3/client/ns/instance/list" in r.json()["message"]


def test_standalone_command_no_v1():
    port = free_port()
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "nacos.testing", "--port", str(port), "--no-v1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        first = proc.stdout.readline().decode("utf-8")
        assert "127.0.0.1:%d" % port in first and "no v1 APIs" in first
        base = "http://127.0.0.1:%d/nacos" % port
        assert requests.get(base + "/v1/cs/configs", params={"dataId": "d", "group": "g"}).status_code == 410
        r = requests.post(base + "/v3/admin/cs/config", data={"dataId": "d", "groupName": "g", "content": "c"})
        assert r.json()["data"] is True
    finally:
        proc.terminate()
        proc.wait()
