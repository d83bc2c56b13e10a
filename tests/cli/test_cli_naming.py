"""``nacos naming ...`` as subprocesses against one embedded server."""
import json
import signal
import time
import uuid

import pytest

from nacos.testing import NacosServer

from clirun import run, start

pytestmark = pytest.mark.embedded_only


@pytest.fixture(scope="module")
def server():
    with NacosServer() as srv:
        yield srv


def _stop(proc, sig=signal.SIGINT):
    proc.send_signal(sig)
    deadline = time.time() + 5
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    out, err = proc.communicate()
    return proc.returncode, out.decode("utf-8"), err.decode("utf-8")


def test_register_get_watch_deregister(server):
    ns = "cli-" + uuid.uuid4().hex[:8]
    reg = start(["naming", "register", "web", "10.0.0.7", "8080", "-m", "v=2", "--json"], server.address,
                NACOS_NAMESPACE=ns)
    assert json.loads(reg.stdout.readline().decode("utf-8"))["event"] == "registered"
    watch = start(["naming", "watch", "web", "--json"], server.address, NACOS_NAMESPACE=ns)
    first = json.loads(watch.stdout.readline().decode("utf-8"))
    assert [(h["ip"], h["port"], h["metadata"]) for h in first["hosts"]] == [("10.0.0.7", 8080, {"v": "2"})]

    r = run(["naming", "get", "web", "--namespace", ns], server.address)
    lines = r.out.splitlines()
    assert r.code == 0 and lines[0].split()[:3] == ["IP", "PORT", "CLUSTER"], r
    assert lines[1].split() == ["10.0.0.7", "8080", "DEFAULT", "1.0", "True", "True", "True", '{"v":', '"2"}']
    r = run(["naming", "get", "web", "--namespace", ns, "--json"], server.address)
    assert [h["ip"] for h in json.loads(r.out)] == ["10.0.0.7"], r

    code, out, err = _stop(reg, signal.SIGTERM)  # SIGTERM ends it the same way as Ctrl-C
    assert code == 0 and json.loads(out.splitlines()[-1])["event"] == "deregistered", (out, err)
    r = run(["naming", "get", "web", "--namespace", ns], server.address)
    assert r.code == 1 and "no instances" in r.err and r.out == "", r
    code, out, err = _stop(watch)
    assert code == 0 and "Traceback" not in err, err

    r = run(["naming", "register", "web", "10.0.0.7", "notaport"], server.address)
    assert r.code == 2 and "PORT" in r.err, r


def test_deregister_and_bad_metadata(server):
    ns = "cli-" + uuid.uuid4().hex[:8]
    from nacos import NacosClient
    client = NacosClient(server.address, namespace=ns, naming_cache_dir=None, managed_heartbeat=False)
    try:
        client.add_naming_instance("db", "10.0.0.9", 5432, ephemeral=False)
        r = run(["naming", "deregister", "db", "10.0.0.9", "5432", "--persistent", "--namespace", ns],
                server.address)
        assert r.code == 0 and r.out.startswith("deregistered 10.0.0.9:5432 in db"), r
        assert client.list_naming_instance("db")["hosts"] == []
    finally:
        client.stop()
    r = run(["naming", "register", "web", "10.0.0.7", "8080", "-m", "novalue"], server.address)
    assert r.code == 2 and "KEY=VALUE" in r.err, r
