"""Fault knobs, request log, lifecycle (stop/restart/wipe) and the standalone command."""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import subprocess
import sys
import threading
import time

import pytest
import requests
from support.net import free_port

from nacos.testing import NacosServer

CONFIG = "/v1/cs/configs"
Q = {"dataId": "a", "group": "g"}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_fail_next_counts_and_defaults(http, base, srv):
    srv.fail_next(2)
    for _ in range(2):
        r = http.get(base + CONFIG, params=Q)
        assert (r.status_code, r.text) == (500, "caused: injected failure;")
    assert http.get(base + CONFIG, params=Q).status_code == 404


def test_fail_next_scoped_by_path_and_method(http, base, srv):
    srv.fail_next(1, status=503, body="busy", path="/cs/configs/listener")
    srv.fail_next(1, status=502, body="bad gw", method="POST")
    assert http.get(base + CONFIG, params=Q).status_code == 404
    r = http.post(base + CONFIG + "/listener", data={"Listening-Configs": "a\x02g\x02\x01"})
    assert (r.status_code, r.text) == (503, "busy")
    r = http.post(base + CONFIG, data=dict(Q, content="x"))
    assert (r.status_code, r.text) == (502, "bad gw")
    assert http.post(base + CONFIG, data=dict(Q, content="x")).text == "true"


def test_drop_next_closes_without_answer(http, base, srv):
    srv.drop_next(1, path="/cs/configs")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(base + CONFIG, params=Q)
    assert requests.get(base + CONFIG, params=Q).status_code == 404
    assert [e["status"] for e in srv.request_log] == [0, 404]


def test_delay_until_cleared_and_scoping(http, base, srv):
    srv.delay(0.3, path="/cs/configs")
    started = time.time()
    http.get(base + CONFIG, params=Q)
    assert time.time() - started >= 0.3
    started = time.time()
    http.get(base + "/v1/console/health/liveness")
    assert time.time() - started < 0.25
    srv.delay(0.3, method="DELETE")
    srv.delay(0, path="/cs/configs")
    started = time.time()
    http.get(base + CONFIG, params=Q)
    assert time.time() - started < 0.25
    started = time.time()
    http.delete(base + CONFIG, params=Q)
    assert time.time() - started >= 0.3
    srv.delay(0)
    started = time.time()
    http.delete(base + CONFIG, params=Q)
    assert time.time() - started < 0.25


def test_clear_faults(http, base, srv):
    srv.fail_next(5)
    srv.drop_next(5)
    srv.delay(5)
    srv.clear_faults()
    assert http.get(base + CONFIG, params=Q).status_code == 404


def test_request_log(http, base, srv):
    http.post(base + CONFIG + "?tenant=", data=dict(Q, content="x"), headers={"X-Test": "1"})
    entry = srv.request_log[-1]
    assert entry["method"] == "POST" and entry["path"] == "/nacos/v1/cs/configs"
    assert entry["query"] == {"tenant": ""}
    assert entry["form"] == {"dataId": "a", "group": "g", "content": "x"}
    assert entry["headers"]["x-test"] == "1"
    assert entry["client"][0] == "127.0.0.1" and entry["status"] == 200
    srv.clear_log()
    assert srv.request_log == []


def test_restart_keeps_or_wipes_data_on_same_port(http, base, srv):
    http.post(base + CONFIG, data=dict(Q, content="kept"))
    http.post(base + "/v1/ns/instance", data={"serviceName": "s", "ip": "1.1.1.1", "port": 1,
                                              "ephemeral": "false"})
    port = srv.port
    srv.restart()
    assert srv.port == port
    assert requests.get(base + CONFIG, params=Q).text == "kept"
    assert len(requests.get(base + "/v1/ns/instance/list", params={"serviceName": "s"}).json()["hosts"]) == 1
    srv.restart(wipe=True)
    assert srv.port == port
    assert requests.get(base + CONFIG, params=Q).status_code == 404
    assert requests.get(base + "/v1/ns/instance/list", params={"serviceName": "s"}).json()["hosts"] == []


def test_wipe(base, srv):
    requests.post(base + CONFIG, data=dict(Q, content="x"))
    requests.post(base + "/v1/console/namespaces", data={"customNamespaceId": "n", "namespaceName": "n"})
    srv.wipe()
    assert requests.get(base + CONFIG, params=Q).status_code == 404
    assert len(requests.get(base + "/v1/console/namespaces").json()["data"]) == 1


def test_stop_closes_held_long_poll_and_idle_connections(http, base, srv):
    http.get(base + CONFIG, params=Q)  # an idle keep-alive connection stays open
    outcome = {}

    def poller():
        started = time.time()
        try:
            requests.post(base + CONFIG + "/listener", data={"Listening-Configs": "a\x02g\x02\x01"},
                          headers={"Long-Pulling-Timeout": "30000"}, timeout=10)
            outcome["result"] = "answered"
        except requests.exceptions.ConnectionError:
            outcome["result"] = "connection error"
        outcome["elapsed"] = time.time() - started

    thread = threading.Thread(target=poller)
    thread.start()
    time.sleep(0.2)
    started = time.time()
    srv.stop()
    assert time.time() - started < 1.5
    thread.join(3)
    assert outcome["result"] == "connection error"
    assert outcome["elapsed"] < 1.5
    with pytest.raises(requests.exceptions.ConnectionError):
        http.get(base + CONFIG, params=Q)
    suffix = "-%d" % srv.port
    alive = [t for t in threading.enumerate() if t.name.startswith("nacos-testing") and t.name.endswith(suffix)]
    assert alive == []


def test_start_stop_idempotent_and_context_manager():
    server = NacosServer()
    server.start()
    server.start()
    url = server.url
    assert server.address == "127.0.0.1:%d" % server.port and url == "http://" + server.address
    server.stop()
    server.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url + "/nacos/v1/console/health/liveness", timeout=2)
    with NacosServer() as other:
        assert requests.get(other.url + "/nacos/v1/console/health/liveness").text == "OK"
    assert not other.running


def test_invalid_push_mode():
    with pytest.raises(ValueError):
        NacosServer(push_mode="sometimes")


def test_standalone_command():
    port = free_port()
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "nacos.testing", "--port", str(port), "--auth",
                             "--user", "admin:secret", "--token-ttl", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        first = proc.stdout.readline().decode("utf-8")
        assert "127.0.0.1:%d" % port in first
        base = "http://127.0.0.1:%d/nacos" % port
        r = requests.post(base + "/v1/auth/login", data={"username": "admin", "password": "secret"})
        assert r.json()["tokenTtl"] == 60
        assert requests.get(base + CONFIG, params=Q).status_code == 403
    finally:
        proc.terminate()
        proc.wait()
