"""``nacos config ...`` and the command's common behaviour, as subprocesses against one embedded server."""
import io
import json
import signal
import sys
import time
import uuid

import pytest

from nacos.testing import NacosServer
from support.net import dead_address

from clirun import run, start

pytestmark = pytest.mark.embedded_only


@pytest.fixture(scope="module")
def server():
    with NacosServer() as srv:
        yield srv


@pytest.fixture
def ns():
    return "cli-" + uuid.uuid4().hex[:8]


def test_put_get_ls_rm_round_trip(server, ns, tmpdir):
    path = str(tmpdir.join("app.yaml"))
    with io.open(path, "w", encoding="utf-8") as fp:
        fp.write(u"db: pg\nname: caf\u00e9\n")
    r = run(["config", "put", "app.yaml", path, "--namespace", ns], server.address)
    assert r.code == 0 and "type yaml" in r.out, r
    r = run(["config", "put", "note", "-g", "G2", "--json"], server.address, stdin=u"hello\n", NACOS_NAMESPACE=ns)
    assert r.code == 0 and json.loads(r.out) == {"data_id": "note", "group": "G2", "type": "text", "bytes": 6,
                                                 "published": True}, r
    r = run(["config", "get", "app.yaml"], server.address, NACOS_NAMESPACE=ns)
    assert (r.code, r.out) == (0, u"db: pg\nname: caf\u00e9\n"), r
    r = run(["config", "get", "note", "--group", "G2", "--json"], server.address, NACOS_NAMESPACE=ns)
    assert json.loads(r.out)["content"] == "hello\n", r
    r = run(["config", "ls", "--namespace", ns], server.address)
    lines = r.out.splitlines()
    assert r.code == 0 and lines[0].split() == ["DATA_ID", "GROUP", "TYPE", "BYTES"], r
    rows = [line.split() for line in lines[1:]]
    assert rows == [["app.yaml", "DEFAULT_GROUP", "yaml", "19"], ["note", "G2", "text", "6"]]
    assert lines[0].index("GROUP") == lines[1].index("DEFAULT_GROUP")  # aligned
    r = run(["config", "ls", "--json", "-g", "G2", "--namespace", ns], server.address)
    assert json.loads(r.out) == [{"data_id": "note", "group": "G2", "type": "text", "bytes": 6}], r
    r = run(["config", "diff", "app.yaml", path, "--namespace", ns], server.address)
    assert (r.code, r.out) == (0, ""), r
    r = run(["config", "diff", "note", "-", "-g", "G2", "--namespace", ns], server.address, stdin=u"hello\nworld")
    assert r.code == 1 and r.out.splitlines()[:2] == ["--- nacos:G2/note", "+++ <stdin>"], r
    assert r.out.splitlines()[-2:] == ["+world", "\\ No newline at end of file"], r
    r = run(["config", "rm", "app.yaml", "--namespace", ns], server.address)
    assert r.code == 0 and "removed app.yaml" in r.out, r
    r = run(["config", "get", "app.yaml", "--namespace", ns], server.address)
    assert r.code == 1 and r.out == "" and "not found" in r.err, r


def test_exit_codes_usage_and_unreachable(server, tmpdir):
    r = run(["config"], server.address)
    assert r.code == 2 and "usage" in r.err, r
    r = run(["config", "get"], server.address)
    assert r.code == 2 and "DATA_ID" in r.err, r
    r = run(["config", "put", "x", str(tmpdir.join("missing.yaml"))], server.address)
    assert r.code == 2 and "cannot read" in r.err, r
    r = run(["config", "get", "x", "--server", dead_address()], None)
    assert r.code == 3 and "cannot connect" in r.err and "Traceback" not in r.err, r
    r = run(["config", "get", "bad/id"], server.address)
    assert r.code == 2 and "Traceback" not in r.err, r
    r = run(["--help"], None)
    assert r.code == 0 and "exit codes" in r.out and "config" in r.out, r
    for args in (["config", "--help"], ["config", "put", "--help"]):
        r = run(args, None)
        assert r.code == 0 and "usage: nacos config" in r.out, r
    assert "--tls-verify" in r.out and "--namespace" in r.out and "--type" in r.out


def test_password_never_a_flag_and_no_prompt_without_terminal(server):
    r = run(["config", "get", "x", "--username", "nacos"], server.address)
    assert r.code == 2 and "NACOS_PASSWORD" in r.err, r
    r = run(["config", "get", "x", "--password", "pw"], server.address)
    assert r.code == 2, r


def test_watch_streams_changes_until_interrupted(server, ns):
    from nacos import NacosClient
    client = NacosClient(server.address, namespace=ns, no_snapshot=True, failover_base=None, snapshot_base=None)
    try:
        client.publish_config("w.txt", "DEFAULT_GROUP", "one")
        proc = start(["config", "watch", "w.txt", "--json"], server.address, NACOS_NAMESPACE=ns)
        events = [json.loads(proc.stdout.readline().decode("utf-8"))]
        client.publish_config("w.txt", "DEFAULT_GROUP", "two")
        events.append(json.loads(proc.stdout.readline().decode("utf-8")))
        client.remove_config("w.txt", "DEFAULT_GROUP")
        events.append(json.loads(proc.stdout.readline().decode("utf-8")))
        proc.send_signal(signal.SIGINT)
        deadline = time.time() + 5
        while proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        assert proc.poll() == 0, proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    finally:
        client.stop()
    assert [(e["content"], e["deleted"]) for e in events] == [("one", False), ("two", False), (None, True)]


def test_import_nacos_does_not_load_the_command():
    import subprocess
    code = "import sys, nacos; print(sorted(m for m in sys.modules if m == 'nacos.cli' or m.startswith('nacos.cli.')))"
    out = subprocess.check_output([sys.executable, "-c", code]).decode("utf-8").strip()
    assert out == "[]"


def test_export_import_directory_and_zip(server, tmpdir):
    from nacos import NacosClient
    source, target = "cli-" + uuid.uuid4().hex[:8], "cli-" + uuid.uuid4().hex[:8]
    client = NacosClient(server.address, namespace=source, no_snapshot=True, failover_base=None, snapshot_base=None)
    try:
        client.publish_config("app.yaml", "DEFAULT_GROUP", u"a: caf\u00e9\n", config_type="yaml")
        client.publish_config("flags", "OPS", "x=1", config_type="properties")
        folder, archive = str(tmpdir.join("out")), str(tmpdir.join("out.zip"))
        r = run(["config", "export", folder, "--namespace", source], server.address)
        assert r.code == 0 and r.out == "exported 2 configs to %s\n" % folder, r
        assert io.open(str(tmpdir.join("out", "OPS", "flags")), encoding="utf-8").read() == "x=1"
        r = run(["config", "export", archive, "--namespace", source, "--json"], server.address)
        assert r.code == 0 and len(json.loads(r.out)["exported"]) == 2, r
        r = run(["config", "import", folder, "--namespace", target], server.address)
        assert r.code == 0 and r.out == "imported 2 configs from %s\n" % folder, r
        r = run(["config", "import", archive, "--namespace", target], server.address)
        assert r.code == 0 and r.out.startswith("imported 2 configs"), r
        page = NacosClient(server.address, namespace=target, no_snapshot=True, failover_base=None,
                           snapshot_base=None)
        try:
            got = sorted((i["dataId"], i["group"], i["type"], i["content"]) for i in page.get_configs()["pageItems"])
        finally:
            page.stop()
        assert got == [("app.yaml", "DEFAULT_GROUP", "yaml", u"a: caf\u00e9\n"), ("flags", "OPS", "properties", "x=1")]
        r = run(["config", "import", str(tmpdir.join("nothere")), "--namespace", target], server.address)
        assert r.code == 2 and "neither a directory nor a .zip" in r.err, r
    finally:
        client.stop()
