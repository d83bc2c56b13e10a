# -*- coding: utf-8 -*-
"""Watchers survive restarts, outages, token expiry, dead servers and fork; the long poll speaks the
protocol the server expects. Fault-injection tests use the embedded server (``embedded_only``)."""
import os

import pytest
from support.fork import run_in_child
from support.net import dead_address
from support.wait import wait_for

from nacos.testing import NacosServer

from test_config_watch import WAIT, Recorder, config_threads


def listener_polls(server):
    return [r for r in server.request_log if r["path"].endswith("/cs/configs/listener")]


def wait_held(server, count=1):
    """Wait until the embedded server holds ``count`` long polls."""
    return wait_for(lambda: server.hub.held() >= count, timeout=WAIT)


def watched(client, data_id, group, content):
    """Publish ``content``, watch the key and wait for the initial callback; returns the Recorder."""
    rec = Recorder()
    client.publish_config(data_id, group, content)
    client.add_config_watcher(data_id, group, rec)
    assert rec.wait_content(content)
    return rec


@pytest.fixture
def auth_server():
    """A private embedded server that requires a token."""
    if os.environ.get("NACOS_SERVER_ADDR"):
        pytest.skip("needs the embedded server")
    server = NacosServer(auth_enabled=True, long_poll_min_hold=1.0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------------------------------ protocol
@pytest.mark.embedded_only
def test_long_poll_wire_format(embedded_server, make_client, group, namespace):
    c = make_client(server=embedded_server, pulling_timeout=12)
    c.publish_config("w1", group, "v1")
    rec = Recorder()
    c.add_config_watcher("w1", group, rec)
    c.add_config_watcher("w2", group, Recorder())
    assert rec.wait_content("v1")
    assert wait_held(embedded_server)
    c.publish_config("w1", group, "v2")
    assert rec.wait_content("v2")
    polls = [p for p in listener_polls(embedded_server) if p["status"] == 200 and p["form"]]
    first, last = polls[0], polls[-1]
    assert first["method"] == "POST"
    assert first["query"].get("tenant") == namespace
    assert first["headers"]["long-pulling-timeout"] == "12000"
    assert first["headers"].get("long-pulling-timeout-no-hangup") == "true"  # new keys: answer at once
    assert "long-pulling-timeout-no-hangup" not in last["headers"]  # the one held until the change
    lines = [line for line in last["form"]["Listening-Configs"].split("\x01") if line]
    md5 = c.get_md5("v1")
    assert sorted(lines) == sorted(["w1\x02%s\x02%s\x02%s" % (group, md5, namespace),
                                    "w2\x02%s\x02\x02%s" % (group, namespace)])
    c.set_options(pulling_timeout=15)  # read on every poll
    c.publish_config("w1", group, "v3")
    assert rec.wait_content("v3")
    c.publish_config("w1", group, "v4")
    assert rec.wait_content("v4")
    assert listener_polls(embedded_server)[-1]["headers"]["long-pulling-timeout"] == "15000"


@pytest.mark.embedded_only
def test_public_namespace_sends_no_tenant(embedded_server, make_client, group):
    c = make_client(server=embedded_server, namespace="")
    watched(c, "pub", group, "v")
    poll = [p for p in listener_polls(embedded_server) if p["status"] == 200][0]
    assert "tenant" not in poll["query"]
    assert poll["form"]["Listening-Configs"].count("\x02") == 2


@pytest.mark.embedded_only
def test_pulling_config_size_buckets_keys(embedded_server, make_client, group):
    c = make_client(server=embedded_server, pulling_config_size=2)
    recs = [Recorder() for _ in range(5)]
    for n, rec in enumerate(recs):
        c.publish_config("b%d" % n, group, "v%d" % n)
        c.add_config_watcher("b%d" % n, group, rec)
    for n, rec in enumerate(recs):
        assert rec.wait_content("v%d" % n)
    pollers = [t.name for t in config_threads() if t.name.startswith("nacos-config-poller-")]
    assert len(pollers) == 3
    embedded_server.clear_log()
    c.set_options(pulling_config_size=10)  # re-buckets at once: one poll for the five keys
    c.publish_config("b4", group, "again")
    assert recs[4].wait_content("again")
    polls = [p["form"].get("Listening-Configs", "") for p in listener_polls(embedded_server)
             if p["status"] == 200]
    assert any(p.count("\x01") == 5 for p in polls), polls


# ------------------------------------------------------------------------------------------ faults
@pytest.mark.embedded_only
def test_server_restart_during_a_watch(embedded_server, make_client, group):
    c = make_client(server=embedded_server)
    rec = watched(c, "rs", group, "before")
    embedded_server.restart()
    c.publish_config("rs", group, "after")
    assert rec.wait_content("after")


@pytest.mark.embedded_only
def test_changes_during_an_outage_deliver_the_final_state(embedded_server, make_client, group, namespace):
    c = make_client(server=embedded_server)
    rec = watched(c, "out", group, "v1")
    embedded_server.stop()
    for value in ("v2", "v3"):  # written behind the client's back while it cannot reach the server
        embedded_server.configs.publish((namespace, group, "out"), value)
    embedded_server.start()
    assert rec.wait_content("v3")
    assert rec.contents[0] == "v1" and "v1" not in rec.contents[1:]


@pytest.mark.embedded_only
def test_poll_and_fetch_errors_are_retried(embedded_server, make_client, group):
    c = make_client(server=embedded_server)
    rec = watched(c, "err", group, "v1")
    embedded_server.fail_next(1, status=500, path="/v1/cs/configs", method="GET")
    embedded_server.drop_next(1, path="/cs/configs/listener")
    c.publish_config("err", group, "v2")
    assert rec.wait_content("v2")
    embedded_server.fail_next(2, status=503, path="/cs/configs/listener")
    c.publish_config("err", group, "v3")
    assert rec.wait_content("v3")


@pytest.mark.embedded_only
def test_token_expiry_during_a_watch(auth_server, make_client, group):
    c = make_client(server=auth_server, username="nacos", password="nacos")
    rec = watched(c, "tok", group, "v1")
    auth_server.expire_tokens()
    c.publish_config("tok", group, "v2")
    assert rec.wait_content("v2")
    auth_server.expire_tokens()
    c.add_config_watcher("tok2", group, rec)
    c.publish_config("tok2", group, "w1")
    assert rec.wait_content("w1")


def test_a_dead_server_in_the_list_is_skipped(nacos_server, make_client, group):
    c = make_client(server=type("Two", (), {"address": dead_address() + "," + nacos_server.address})())
    rec = watched(c, "rot", group, "v1")
    c.publish_config("rot", group, "v2")
    assert rec.wait_content("v2")


# ------------------------------------------------------------------------------------------ fork
@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_forked_child_watches_with_its_own_threads(client, group):
    parent = Recorder()
    client.publish_config("fp", group, "p1")
    client.add_config_watcher("fp", group, parent)
    assert parent.wait_content("p1")

    def in_child():
        child = Recorder()
        client.add_config_watcher("fc", group, child)
        client.publish_config("fc", group, "from-child")
        ok = child.wait_content("from-child")
        names = sorted(t.name for t in config_threads())
        return ("%s|%s" % (ok, ",".join(names))).encode("utf-8")
    report = run_in_child(in_child, WAIT + 5).decode("utf-8")
    ok, names = report.split("|", 1)
    assert ok == "True", report
    assert "nacos-config-poller-0" in names.split(",")
    client.publish_config("fp", group, "p2")  # the parent's watcher is unaffected
    assert parent.wait_content("p2")
