"""Every subcommand of ``nacos`` (but ``serve``, which is the embedded server itself) as a subprocess against
one server: the embedded one, or a real Nacos when NACOS_SERVER_ADDR is set (with NACOS_USERNAME/NACOS_PASSWORD
when its auth is on). .ci/real-server runs this module against Nacos 2.x and 3.x without v1, auth off and on.
Each test works in its own namespace; reads after writes wait for a real server to apply them."""
import io
import json
import os
import signal
import uuid

import pytest

from clirun import Lines, eventually, run, start

REAL = os.environ.get("NACOS_SERVER_ADDR", "").strip()
CREDENTIALS = dict((k, os.environ[k]) for k in ("NACOS_USERNAME", "NACOS_PASSWORD") if os.environ.get(k)) \
    if REAL else {}


@pytest.fixture(scope="module")
def address():
    if REAL:
        yield REAL
        return
    from nacos.testing import NacosServer
    with NacosServer() as srv:
        yield srv.address


@pytest.fixture
def ns():
    return "cli-" + uuid.uuid4().hex[:10]


def nacos(args, address, **kwargs):
    return run(args, address, **dict(CREDENTIALS, **kwargs))


def background(args, address, **env):
    return Lines(start(args, address, **dict(CREDENTIALS, **env)))


def test_config_put_get_ls_diff_rm(address, ns, tmpdir):
    path = str(tmpdir.join("app.yaml"))
    with io.open(path, "w", encoding="utf-8") as fp:
        fp.write(u"db: pg\n")
    r = nacos(["config", "put", "app.yaml", path, "--namespace", ns], address)
    assert r.code == 0 and "type yaml" in r.out, r
    r = eventually(lambda: nacos(["config", "get", "app.yaml", "--namespace", ns], address), lambda r: r.code == 0)
    assert r.out == u"db: pg\n", r
    r = eventually(lambda: nacos(["config", "ls", "--json", "--namespace", ns], address), lambda r: r.out != "[]\n")
    assert json.loads(r.out) == [{"data_id": "app.yaml", "group": "DEFAULT_GROUP", "type": "yaml", "bytes": 7}], r
    r = nacos(["config", "diff", "app.yaml", "-", "--namespace", ns], address, stdin=u"db: mysql\n")
    assert r.code == 1 and "+db: mysql" in r.out.splitlines(), r
    r = nacos(["config", "rm", "app.yaml", "--namespace", ns], address)
    assert r.code == 0, r
    r = eventually(lambda: nacos(["config", "get", "app.yaml", "--namespace", ns], address), lambda r: r.code == 1)
    assert r.code == 1 and "not found" in r.err, r


def test_config_export_import(address, ns, tmpdir):
    for data_id, content in (("a.properties", u"x=1"), ("b.json", u'{"y": 2}')):
        r = nacos(["config", "put", data_id, "-", "-g", "CLI", "--namespace", ns,
                   "--type", data_id.split(".")[1]], address, stdin=content)
        assert r.code == 0, r
    folder, target = str(tmpdir.join("out")), ns + "-copy"
    r = eventually(lambda: nacos(["config", "export", folder, "--namespace", ns, "--json"], address),
                   lambda r: r.code == 0 and len(json.loads(r.out)["exported"]) == 2)
    assert r.code == 0 and len(json.loads(r.out)["exported"]) == 2, r
    r = nacos(["config", "import", folder, "--namespace", target], address)
    assert r.code == 0 and r.out.startswith("imported 2 configs"), r
    r = eventually(lambda: nacos(["config", "ls", "--json", "--namespace", target], address),
                   lambda r: len(json.loads(r.out or "[]")) == 2)
    assert [(i["data_id"], i["group"], i["type"]) for i in json.loads(r.out)] == \
        [("a.properties", "CLI", "properties"), ("b.json", "CLI", "json")], r


def test_config_watch(address, ns):
    r = nacos(["config", "put", "w.txt", "-", "--namespace", ns], address, stdin=u"one")
    assert r.code == 0, r
    watch = background(["config", "watch", "w.txt", "--json"], address, NACOS_NAMESPACE=ns)
    try:
        watch.until(lambda line: json.loads(line)["content"] == "one", timeout=20)
        assert nacos(["config", "put", "w.txt", "-", "--namespace", ns], address, stdin=u"two").code == 0
        watch.until(lambda line: json.loads(line)["content"] == "two", timeout=40)
    finally:
        code, err = watch.stop()
    assert code == 0 and "Traceback" not in err, err


def test_naming_register_ls_get_watch_deregister(address, ns):
    watch = background(["naming", "watch", "web", "--json"], address, NACOS_NAMESPACE=ns)
    try:
        _register_and_watch(address, ns, watch)
    finally:
        code, err = watch.stop()
    assert code == 0, err
    r = eventually(lambda: nacos(["naming", "get", "web", "--namespace", ns], address), lambda r: r.code == 1)
    assert r.code == 1 and "no instances" in r.err, r


def _register_and_watch(address, ns, watch):
    reg = background(["naming", "register", "web", "10.9.0.7", "8080", "-m", "v=2", "--json"], address,
                     NACOS_NAMESPACE=ns)
    try:
        assert json.loads(reg.next(20))["event"] == "registered"
        r = eventually(lambda: nacos(["naming", "get", "web", "--json", "--namespace", ns], address),
                       lambda r: r.code == 0)
        assert [(h["ip"], h["port"], h["metadata"].get("v")) for h in json.loads(r.out)] == [("10.9.0.7", 8080, "2")]
        r = eventually(lambda: nacos(["naming", "ls", "--json", "--namespace", ns], address),
                       lambda r: "web" in r.out)
        assert r.code == 0 and json.loads(r.out) == {"group": "DEFAULT_GROUP", "count": 1, "services": ["web"]}, r
        r = nacos(["naming", "ls", "--namespace", ns], address)
        assert r.out.split() == ["SERVICE", "GROUP", "web", "DEFAULT_GROUP"], r
        watch.until(lambda line: [h["ip"] for h in json.loads(line)["hosts"]] == ["10.9.0.7"], timeout=30)
    finally:
        code, err = reg.stop(signal.SIGTERM)
    assert code == 0 and "Traceback" not in err, err
    watch.until(lambda line: json.loads(line)["hosts"] == [], timeout=30)  # the deregistration is seen


def test_naming_deregister(address, ns):
    from nacos import NacosClient
    client = NacosClient(address, namespace=ns, managed_heartbeat=False, naming_cache_dir=None, no_snapshot=True,
                         username=CREDENTIALS.get("NACOS_USERNAME"), password=CREDENTIALS.get("NACOS_PASSWORD"))
    try:
        client.add_naming_instance("db", "10.9.0.9", 5432)  # no beats: nothing puts it back
        r = nacos(["naming", "deregister", "db", "10.9.0.9", "5432", "--namespace", ns], address)
        assert r.code == 0 and r.out.startswith("deregistered 10.9.0.9:5432 in db"), r
        r = eventually(lambda: nacos(["naming", "get", "db", "--namespace", ns], address), lambda r: r.code == 1)
        assert r.code == 1, r
    finally:
        client.stop()


def test_doctor(address, ns):
    r = nacos(["doctor", "--json", "--service", "nothere", "--namespace", ns], address)
    found = dict((i["check"], i) for i in json.loads(r.out))
    assert r.code == 1 and found["service"]["result"] == "fail", r  # the service has no instances
    assert found["reachable"]["result"] == "ok" and found["clock"]["result"] == "ok", r
    assert found["version"]["finding"].startswith("Nacos "), r
    assert found["auth"]["finding"] == ("on" if CREDENTIALS else "off"), r
    assert found["api"]["finding"] == ("v1 gone (HTTP 410): the client uses the v3 API"
                                       if os.environ.get("NACOS_3X_NO_V1") else "serves v1"), r
    if CREDENTIALS:
        assert found["credentials"]["result"] == "ok", r
