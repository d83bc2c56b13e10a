"""Subscriptions: both forms, first update with several instances, push path and poll path, failing polls,
empty protection and the disk cache."""
import subprocess
import sys
import threading
import time

import pytest

import nacos

from nacos.exception import NacosRequestException
from nacos.listener import SubscribeListener
from nacos.testing import NacosServer
from support.wait import wait_for
from support.naming import hosts, healthy_ips, naming_threads, requests_to, wait_until  # noqa: F401


class Recorder(object):
    """Collects legacy (event, instance) calls and service-form event dicts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.instance_events = []
        self.service_events = []

    def legacy(self, event, instance):
        with self.lock:
            self.instance_events.append((event, instance.instance["ip"], instance.instance["weight"]))

    def service(self, event):
        with self.lock:
            self.service_events.append(event)

    def events(self, kind=None):
        with self.lock:
            return [e for e in self.instance_events if kind is None or e[0] == kind]

    def last_ips(self):
        with self.lock:
            return sorted(h["ip"] for h in self.service_events[-1]["hosts"]) if self.service_events else None


def test_both_forms_see_added_modified_deleted_from_the_first_update(client, group):
    for ip in ("10.20.0.1", "10.20.0.2", "10.20.0.3"):
        client.add_naming_instance("sub-both", ip, 80, group_name=group)
    rec = Recorder()
    client.subscribe(SubscribeListener(rec.legacy, "legacy"), 1, service_name="sub-both", group_name=group)
    client.subscribe("sub-both", rec.service, None, group)
    # the first update reports every instance, to both forms, before subscribe returns
    assert sorted(e[1] for e in rec.events("ADDED")) == ["10.20.0.1", "10.20.0.2", "10.20.0.3"]
    assert rec.last_ips() == ["10.20.0.1", "10.20.0.2", "10.20.0.3"]
    assert rec.service_events[0]["name"] == "%s@@sub-both" % group and rec.service_events[0]["groupName"] == group

    client.modify_naming_instance("sub-both", "10.20.0.2", 80, weight=5.0, group_name=group)
    assert wait_until(lambda: rec.events("MODIFIED"), timeout=15)
    assert rec.events("MODIFIED") == [("MODIFIED", "10.20.0.2", 5.0)]
    client.remove_naming_instance("sub-both", "10.20.0.3", 80, group_name=group)
    assert wait_until(lambda: rec.events("DELETED"), timeout=15)
    assert [e[1] for e in rec.events("DELETED")] == ["10.20.0.3"]
    client.add_naming_instance("sub-both", "10.20.0.4", 80, group_name=group)
    assert wait_until(lambda: rec.last_ips() == ["10.20.0.1", "10.20.0.2", "10.20.0.4"], timeout=15)
    assert wait_until(lambda: len(rec.events("ADDED")) == 4, timeout=15)
    changes = rec.service_events[1:]
    assert any(h["ip"] == "10.20.0.2" for e in changes for h in e["modified"])
    assert any(h["ip"] == "10.20.0.3" for e in changes for h in e["removed"])


def test_plain_function_works_in_both_forms_and_unsubscribe(client, group):
    client.add_naming_instance("sub-fn", "10.21.0.1", 80, group_name=group)
    seen = []
    client.subscribe(lambda event, inst: seen.append(("legacy", event)), 1, "sub-fn", None, None, group)
    client.subscribe("sub-fn", lambda event: seen.append(("service", len(event["hosts"]))), group_name=group)
    assert sorted(seen) == [("legacy", "ADDED"), ("service", 1)]
    assert client.unsubscribe("sub-fn") == 2
    del seen[:]
    client.add_naming_instance("sub-fn", "10.21.0.2", 80, group_name=group)
    time.sleep(1.5)
    assert seen == []


def test_a_listener_that_raises_does_not_stop_the_others(client, group):
    client.add_naming_instance("sub-raise", "10.22.0.1", 80, group_name=group)
    rec = Recorder()

    def broken(event, instance):
        raise RuntimeError("listener bug")
    client.subscribe([SubscribeListener(broken, "broken"), SubscribeListener(rec.legacy, "ok")], 1,
                     service_name="sub-raise", group_name=group)
    client.add_naming_instance("sub-raise", "10.22.0.2", 80, group_name=group)
    assert wait_until(lambda: len(rec.events("ADDED")) == 2, timeout=10)


@pytest.mark.embedded_only
def test_push_path_delivers_changes_without_waiting_for_a_poll(make_client, group):
    server = NacosServer(push_mode="all").start()
    try:
        client = make_client(server=server)
        client.add_naming_instance("sub-push", "10.23.0.1", 80, group_name=group)
        rec = Recorder()
        client.subscribe(SubscribeListener(rec.legacy, "l"), 60, service_name="sub-push", group_name=group)
        assert wait_until(lambda: any(p["acked"] for p in server.push_log), timeout=5)
        client.add_naming_instance("sub-push", "10.23.0.2", 80, group_name=group)
        # the legacy interval makes the next poll 60 s away: only a push can deliver this in time
        assert wait_until(lambda: len(rec.events("ADDED")) == 2, timeout=10)
        assert all(p["acked"] for p in server.push_log if p["service"].endswith("sub-push"))
        assert len([r for r in server.request_log if r["path"].endswith("/instance/list")]) <= 2
    finally:
        server.stop()


@pytest.mark.embedded_only
def test_poll_path_when_the_server_does_not_push(nacos_server, client, group):
    assert nacos_server.push_mode == "recognised"  # a real server does not push to unknown User-Agents
    rec = Recorder()
    client.subscribe("sub-poll", rec.service, group_name=group)
    client.add_naming_instance("sub-poll", "10.24.0.1", 80, group_name=group)
    assert wait_until(lambda: rec.last_ips() == ["10.24.0.1"], timeout=10)
    assert not [p for p in nacos_server.push_log if p["service"].endswith("@@sub-poll")]


@pytest.mark.embedded_only
def test_failing_polls_do_not_end_a_subscription(embedded_server, make_client, group):
    client = make_client(server=embedded_server)
    rec = Recorder()
    client.subscribe(SubscribeListener(rec.legacy, "l"), 1, service_name="sub-fail", group_name=group)
    embedded_server.fail_next(2, status=500, path="/instance/list")
    client.add_naming_instance("sub-fail", "10.25.0.1", 80, group_name=group, heartbeat_interval=0.3)
    assert wait_until(lambda: rec.events("ADDED"), timeout=15)


@pytest.mark.embedded_only
@pytest.mark.parametrize("protection", [True, False])
def test_empty_protection(embedded_server, make_client, group, protection):
    client = make_client(server=embedded_server, push_empty_protection=protection)
    client.add_naming_instance("sub-empty", "10.26.0.1", 80, group_name=group, heartbeat_interval=0.3)
    rec = Recorder()
    client.subscribe(SubscribeListener(rec.legacy, "l"), 1, service_name="sub-empty", group_name=group)
    client.subscribe("sub-empty", rec.service, group_name=group)
    assert rec.events("ADDED")
    client.remove_naming_instance("sub-empty", "10.26.0.1", 80, group_name=group)
    if protection:
        time.sleep(2.5)  # a few polls see the empty list
        assert rec.events("DELETED") == [] and rec.last_ips() == ["10.26.0.1"]
    else:
        assert wait_until(lambda: rec.events("DELETED"), timeout=10)
        assert wait_until(lambda: rec.last_ips() == [], timeout=10)


@pytest.mark.embedded_only
def test_disk_cache_serves_lookups_and_subscribers_when_no_server_answers(embedded_server, make_client, group,
                                                                          tmpdir):
    cache_dir = str(tmpdir.join("shared-cache"))
    client = make_client(server=embedded_server, naming_cache_dir=cache_dir, heartbeat_interval=0.3)
    client.add_naming_instance("sub-cache", "10.27.0.1", 80, group_name=group)
    client.add_naming_instance("sub-cache", "10.27.0.2", 80, group_name=group)
    rec = Recorder()
    client.subscribe("sub-cache", rec.service, group_name=group)
    assert rec.last_ips() == ["10.27.0.1", "10.27.0.2"]
    embedded_server.stop()
    try:
        cached = client.list_naming_instance("sub-cache", group_name=group)
        assert sorted(h["ip"] for h in cached["hosts"]) == ["10.27.0.1", "10.27.0.2"]
        assert client.list_naming_instance("sub-cache", group_name=group, healthy_only=True)["hosts"]
        with pytest.raises(NacosRequestException):
            client.list_naming_instance("never-cached", group_name=group)
        fresh = make_client(server=embedded_server, naming_cache_dir=cache_dir, default_timeout=0.5)
        rec2 = Recorder()
        fresh.subscribe(SubscribeListener(rec2.legacy, "l"), 1, service_name="sub-cache", group_name=group)
        assert sorted(e[1] for e in rec2.events("ADDED")) == ["10.27.0.1", "10.27.0.2"]
        no_cache = make_client(server=embedded_server, naming_cache_dir=None)
        with pytest.raises(NacosRequestException):
            no_cache.list_naming_instance("sub-cache", group_name=group)
    finally:
        embedded_server.start()


def test_stop_subscribe_stops_the_threads(client, group):
    client.subscribe("sub-stop", lambda event: None, group_name=group)
    assert "nacos-naming-subscriptions" in naming_threads()
    client.stop_subscribe()
    assert "nacos-naming-subscriptions" not in naming_threads()


def test_a_process_with_subscriptions_exits(nacos_server, namespace, tmpdir):
    script = (
        "import nacos, os\n"
        "c = nacos.NacosClient(%r, namespace=%r, naming_cache_dir=%r,\n"
        "                      username=os.environ.get('NACOS_USERNAME'), password=os.environ.get('NACOS_PASSWORD'))\n"
        "c.subscribe(lambda e, i: None, 1, service_name='sub-exit')\n"
        "c.subscribe('sub-exit', lambda e: None)\n"
        "c.add_naming_instance('sub-exit', '10.28.0.1', 80)\n"
        "print('done')\n" % (nacos_server.address, namespace, str(tmpdir.join("n"))))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    deadline = time.time() + 30
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    if proc.poll() is None:
        proc.kill()
    assert proc.wait() == 0
    assert b"done" in proc.stdout.read()


def test_a_slow_listener_delays_no_other_service(make_client, group):
    """Listeners run on the subscription callback executor: a listener stuck on one service does not hold up
    the events of another."""
    c = make_client(heartbeat_interval=1)
    release = threading.Event()
    slow_calls, fast_events = [], []

    def slow(event):
        slow_calls.append(event)
        release.wait(30)

    c.add_naming_instance("slow-svc", "10.3.0.1", 80, group_name=group)
    c.add_naming_instance("fast-svc", "10.3.0.2", 80, group_name=group)
    try:
        c.subscribe("slow-svc", slow, group_name=group)
        wait_for(lambda: slow_calls, timeout=10)
        c.subscribe("fast-svc", fast_events.append, group_name=group)
        wait_for(lambda: fast_events and fast_events[-1]["hosts"], timeout=10)
        c.add_naming_instance("fast-svc", "10.3.0.3", 80, group_name=group)
        wait_for(lambda: len(fast_events[-1]["hosts"]) == 2, timeout=30)
        assert len(slow_calls) == 1  # still blocked
    finally:
        release.set()


@pytest.mark.embedded_only
def test_a_recognised_user_agent_is_an_opt_in_that_gets_pushes(embedded_server, make_client, group):
    """The embedded server pushes like a real one: to recognised User-Agents only. The default client polls
    (test above); with the ``user_agent`` option it is pushed to (v1 servers: the v3 API has no UDP push)."""
    assert embedded_server.push_mode == "recognised"
    with pytest.raises(nacos.exception.NacosInvalidParam):
        make_client(server=embedded_server, user_agent="x\r\nInjected: 1")
    client = make_client(server=embedded_server, user_agent="Nacos-Java-Client:v2.3.2")
    rec = Recorder()
    client.subscribe(SubscribeListener(rec.legacy, "l"), 60, service_name="sub-ua", group_name=group)
    client.add_naming_instance("sub-ua", "10.27.0.1", 80, group_name=group)
    # the legacy interval puts the next poll 60 s away: only a push can deliver this in time
    assert wait_until(lambda: rec.events("ADDED"), timeout=10)
    assert [p for p in embedded_server.push_log if p["service"].endswith("@@sub-ua") and p["acked"]]
    agents = set(r["headers"].get("user-agent") for r in embedded_server.request_log
                 if r["path"].endswith("/instance/list") and group in r["query"].get("groupName", ""))
    assert agents == set(["Nacos-Java-Client:v2.3.2"])
    client.set_options(user_agent=None)  # back to the default name
    mark = len(embedded_server.request_log)
    client.list_naming_instance("sub-ua", group_name=group)
    assert embedded_server.request_log[mark]["headers"]["user-agent"].startswith("Nacos-Python-Client:v")
