"""``nacos doctor`` against the failure modes it explains: server down, wrong context path, v1 gone, auth off/on
with no, wrong and right credentials, an untrusted TLS certificate, and a service without healthy instances."""
import json
import time

import pytest

from nacos import NacosClient
from nacos.testing import NacosServer
from support.net import TLSFront, dead_address, make_ca

from clirun import run

pytestmark = pytest.mark.embedded_only


@pytest.fixture(scope="module")
def servers(tmpdir_factory):
    ca, cert, key = make_ca(str(tmpdir_factory.mktemp("ca")))
    plain = NacosServer(heartbeat_timeout=1, delete_timeout=60, health_check_interval=0.2)
    no_v1 = NacosServer(v1=False)
    auth = NacosServer(auth_enabled=True)
    for srv in (plain, no_v1, auth):
        srv.start()
    front = TLSFront(("127.0.0.1", plain.port), cert, key)
    yield plain, no_v1, auth, front, ca
    front.stop()
    for srv in (plain, no_v1, auth):
        srv.stop()


def _doctor(*args, **env):
    r = run(["doctor", "--json"] + list(args), None, **env)
    items = json.loads(r.out) if r.out else []
    return r.code, dict((i["check"], i) for i in items), r


def test_healthy_server_and_server_down(servers):
    plain = servers[0]
    code, found, r = _doctor("--server", plain.address, "--server", dead_address())
    assert code == 1, r  # one of the two servers is down
    assert [i["check"] for i in json.loads(r.out)] == ["reachable", "clock", "version", "auth", "api",
                                                "reachable"]
    assert found["version"]["finding"].startswith("Nacos ") and found["api"]["finding"] == "serves v1"
    assert found["reachable"]["result"] == "fail" and "start Nacos" in found["reachable"]["fix"]
    code, found, r = _doctor("--server", dead_address())
    assert code == 3 and found["reachable"]["result"] == "fail", r
    r = run(["doctor", "--server", plain.address], None)  # the human table
    assert r.code == 0 and r.out.split()[:5] == ["SERVER", "CHECK", "RESULT", "FINDING", "FIX"], r


def test_clock_skew(servers):
    plain = servers[0]
    code, found, r = _doctor("--server", plain.address)
    assert code == 0 and found["clock"]["result"] == "ok" and found["clock"]["finding"].startswith("skew "), r
    assert abs(float(found["clock"]["finding"].split()[1])) <= 2.0, r
    plain.clock_skew = -30
    try:
        code, found, r = _doctor("--server", plain.address)
    finally:
        plain.clock_skew = 0
    clock = found["clock"]
    assert code == 0 and clock["result"] == "warn" and "behind this machine" in clock["finding"], r
    assert 27 <= int(clock["finding"].split()[3]) <= 33 and "NTP" in clock["fix"], r


def test_wrong_context_path_and_v1_gone(servers):
    plain, no_v1 = servers[0], servers[1]
    code, found, r = _doctor("--server", plain.address, "--context-path", "/console")
    assert code == 1 and found["context path"]["fix"] == "use --context-path '/nacos'", r
    code, found, r = _doctor("--server", no_v1.address)
    assert code == 0 and found["api"]["result"] == "warn" and "v1 gone" in found["api"]["finding"], r


def test_auth_no_wrong_and_right_credentials(servers):
    auth = servers[2]
    code, found, r = _doctor("--server", auth.address)
    assert code == 1 and found["auth"]["result"] == "fail" and "NACOS_PASSWORD" in found["auth"]["fix"], r
    code, found, r = _doctor("--server", auth.address, "--username", "nacos", NACOS_PASSWORD="wrong")
    assert code == 1 and found["credentials"]["result"] == "fail", r
    assert "wrong" not in r.out + r.err  # the password is never shown
    code, found, r = _doctor("--server", auth.address, "--username", "nacos", NACOS_PASSWORD="nacos")
    assert code == 0 and found["credentials"]["result"] == "ok" and found["auth"]["finding"] == "on", r


def test_tls_untrusted_then_trusted(servers):
    front, ca = servers[3], servers[4]
    code, found, r = _doctor("--server", front.address)
    assert code == 3 and found["tls"]["result"] == "fail" and "--tls-verify CA_FILE" in found["tls"]["fix"], r
    code, found, r = _doctor("--server", front.address, "--tls-verify", ca)
    assert code == 0 and found["tls"]["finding"] == "certificate verified", r


def test_service_missing_and_unhealthy(servers):
    plain = servers[0]
    client = NacosClient(plain.address, namespace="doc", managed_heartbeat=False, naming_cache_dir=None)
    try:
        client.add_naming_instance("pay", "10.1.1.1", 80)
        time.sleep(1.6)  # no beats: unhealthy after the 1 s heartbeat timeout
        code, found, r = _doctor("--server", plain.address, "--namespace", "doc", "--service", "pay")
        items = [i for i in json.loads(r.out) if i["check"] == "service"]
        assert code == 1 and "10.1.1.1:80 is unhealthy" in items[0]["finding"], r
        assert "heartbeats" in items[0]["fix"] and "1 instances, 0 healthy" in items[-1]["finding"]
        code, found, r = _doctor("--server", plain.address, "--namespace", "doc", "--service", "nothere")
        assert code == 1 and "has no instances in namespace 'doc'" in found["service"]["finding"], r
    finally:
        client.stop()
