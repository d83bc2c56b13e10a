"""Managed heartbeats: kept alive, re-registered after a wipe or a 20404, stopped by remove/stop, fork."""
import os
import time

import pytest

from nacos.testing import NacosServer
from support.naming import hosts, healthy_ips, naming_threads, requests_to, wait_until  # noqa: F401

pytestmark = pytest.mark.embedded_only


def test_instance_stays_healthy_past_delete_timeout(embedded_server, make_client, group):
    client = make_client(server=embedded_server, heartbeat_interval=0.3)
    client.add_naming_instance("hb-alive", "10.10.0.1", 80, group_name=group)
    time.sleep(embedded_server.naming.delete_timeout + 1.0)  # the server would have deleted it by now
    assert healthy_ips(client, "hb-alive", group_name=group) == ["10.10.0.1"]
    assert len(requests_to(embedded_server, "/instance/beat")) >= 5


def test_unmanaged_instance_expires(embedded_server, make_client, group):
    client = make_client(server=embedded_server, managed_heartbeat=False)
    client.add_naming_instance("hb-off", "10.10.0.2", 80, group_name=group)
    assert wait_until(lambda: not hosts(client, "hb-off", group_name=group), timeout=10)
    assert requests_to(embedded_server, "/instance/beat") == []
    assert naming_threads() == []


def test_server_interval_and_light_beats_are_followed():
    server = NacosServer(client_beat_interval=200, heartbeat_timeout=1.5, delete_timeout=3.0,
                         health_check_interval=0.2).start()
    import nacos
    client = nacos.NacosClient(server.address, naming_cache_dir=None)
    try:
        client.add_naming_instance("hb-server", "10.10.0.3", 80)
        assert wait_until(lambda: len(requests_to(server, "/instance/beat")) >= 4, timeout=5)
        beats = requests_to(server, "/instance/beat")
        assert "beat" in beats[0]["form"] or "beat" in beats[0]["query"]  # first beat carries the body
        assert not any("beat" in b["form"] or "beat" in b["query"] for b in beats[2:])  # then light beats
    finally:
        client.stop()
        server.stop()


def test_wiped_server_gets_every_instance_back_within_one_beat(embedded_server, make_client, group):
    client = make_client(server=embedded_server, heartbeat_interval=0.5)
    ips = ["10.11.0.%d" % i for i in range(1, 6)]
    for ip in ips:
        client.add_naming_instance("hb-wipe", ip, 80, group_name=group, metadata={"ip": ip})
    assert wait_until(lambda: len(requests_to(embedded_server, "/instance/beat")) >= 5)
    embedded_server.restart(wipe=True)
    assert hosts(client, "hb-wipe", group_name=group) == []
    assert wait_until(lambda: healthy_ips(client, "hb-wipe", group_name=group) == ips, timeout=3.0)
    assert all(h["metadata"]["ip"] == h["ip"] for h in hosts(client, "hb-wipe", group_name=group))


def test_code_20404_re_registers_at_once(embedded_server, make_client, group):
    client = make_client(server=embedded_server, heartbeat_interval=0.3)
    client.add_naming_instance("hb-404", "10.12.0.1", 80, group_name=group, metadata={"v": "1"})
    assert wait_until(lambda: len(requests_to(embedded_server, "/instance/beat")) >= 3)  # now light beats
    grouped = "%s@@hb-404" % group
    embedded_server.naming.deregister(client.namespace or "public", grouped, "10.12.0.1", 80, True)
    mark = len(embedded_server.request_log)
    assert wait_until(lambda: requests_to(embedded_server, "/v1/ns/instance", "POST", since=mark), timeout=3)
    registered = requests_to(embedded_server, "/v1/ns/instance", "POST", since=mark)[0]
    assert registered["query"].get("ip") == "10.12.0.1"
    assert [h["metadata"] for h in hosts(client, "hb-404", group_name=group)] == [{"v": "1"}]


def test_remove_stops_the_beat(embedded_server, make_client, group):
    client = make_client(server=embedded_server, heartbeat_interval=0.2)
    client.add_naming_instance("hb-rm", "10.13.0.1", 80, group_name=group)
    client.add_naming_instance("hb-rm", "10.13.0.2", 80, group_name=group)
    assert wait_until(lambda: len(requests_to(embedded_server, "/instance/beat")) >= 4)
    assert client.remove_naming_instance("hb-rm", "10.13.0.1", 80, group_name=group)
    mark = len(embedded_server.request_log)
    time.sleep(1.0)
    beaten = set(r["query"].get("ip") for r in requests_to(embedded_server, "/instance/beat", since=mark))
    assert beaten == set(["10.13.0.2"])
    assert healthy_ips(client, "hb-rm", group_name=group) == ["10.13.0.2"]


def test_stop_stops_beats_and_deregisters_when_asked(embedded_server, make_client, group):
    keep = make_client(server=embedded_server, heartbeat_interval=0.2)
    leave = make_client(server=embedded_server, heartbeat_interval=0.2, deregister_on_stop=True)
    keep.add_naming_instance("hb-stop", "10.14.0.1", 80, group_name=group)
    leave.add_naming_instance("hb-stop", "10.14.0.2", 80, group_name=group)
    leave.add_naming_instance("hb-stop", "10.14.0.3", 80, group_name=group)
    keep.stop()
    leave.stop()
    assert naming_threads() == []
    assert [h["ip"] for h in hosts(leave, "hb-stop", group_name=group)] == ["10.14.0.1"]
    mark = len(embedded_server.request_log)
    time.sleep(0.6)
    assert requests_to(embedded_server, "/instance/beat", since=mark) == []


def test_many_instances_share_three_threads(embedded_server, make_client, group):
    client = make_client(server=embedded_server, heartbeat_interval=1.0)
    for i in range(300):
        client.add_naming_instance("hb-many", "10.15.%d.%d" % (i // 250, i % 250 + 1), 80, group_name=group)
    assert naming_threads() == ["nacos-naming-beat-0", "nacos-naming-beat-1"]
    # the client's own threads: the two senders and the runtime's one timer thread
    assert sorted(t.name for t in client._runtime.threads()) == ["nacos-naming-beat-0", "nacos-naming-beat-1",
                                                                 "nacos-scheduler"]
    time.sleep(embedded_server.naming.delete_timeout + 0.5)
    # none deleted: each went less than delete_timeout (3 s, three intervals) without a beat, and each beat
    # counts. Health (1.5 s without a beat) is checked as "all healthy at some moment": on a loaded 2-core
    # machine (2.7, two suites at once) a beat of 300 can be late by more than the 0.5 s margin in one cycle
    assert len(hosts(client, "hb-many", group_name=group)) == 300
    assert wait_until(lambda: len(healthy_ips(client, "hb-many", group_name=group)) == 300, timeout=20)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_forked_child_keeps_beating(embedded_server, make_client, group):
    client = make_client(server=embedded_server, heartbeat_interval=0.3)
    client.add_naming_instance("hb-fork", "10.16.0.1", 80, group_name=group)
    assert wait_until(lambda: len(requests_to(embedded_server, "/instance/beat")) >= 2)
    pid = os.fork()
    if pid == 0:  # the child: beats restart in it at its first use of the client
        code = 1
        try:
            client.list_naming_instance("hb-fork", group_name=group)
            time.sleep(embedded_server.naming.delete_timeout + 1.5)
            code = 0
        finally:
            os._exit(code)
    client.stop()  # the parent stops beating; only the child keeps the instance alive
    mark = len(embedded_server.request_log)
    time.sleep(embedded_server.naming.delete_timeout + 0.5)
    alive = healthy_ips(make_client(server=embedded_server, managed_heartbeat=False), "hb-fork",
                        group_name=group)
    beats = requests_to(embedded_server, "/instance/beat", since=mark)
    _, status = os.waitpid(pid, 0)
    assert status == 0
    assert alive == ["10.16.0.1"] and len(beats) >= 5
