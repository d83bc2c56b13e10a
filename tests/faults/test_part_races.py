"""Races between a part's stop and new work (issue 14): subscribe during the last unsubscribe, per-instance beat
failure logging, beats that outlive a removal."""
import logging
import threading
import time

import pytest

from nacos.metrics import NullMetrics
from nacos.naming.events import ServiceListener
from nacos.naming.heartbeat import BeatEntry, HeartbeatScheduler
from nacos.naming.subscribe import SubscriptionManager
from nacos.options import LiveOptions, defaults
from nacos.runtime import Runtime
from support.naming import hosts, requests_to  # noqa: F401
from support.wait import wait_for


class _Transport(object):
    metrics = NullMetrics()


class _Disk(object):
    def read(self, *args):
        return None

    def write(self, *args):
        pass


class _GatedNaming(object):
    """A NamingAPI whose list call for a service waits until that service's gate is opened."""

    transport = _Transport()

    def __init__(self):
        self.gates = {}
        self.entered = {}

    def gate(self, service):
        self.gates[service] = threading.Event()
        self.entered[service] = threading.Event()

    def list(self, service_name, group_name, clusters="", healthy_only=False, namespace=None, **kwargs):
        if service_name in self.gates:
            self.entered[service_name].set()
            self.gates[service_name].wait(10)
        return {"name": "%s@@%s" % (group_name, service_name), "cacheMillis": 60000,
                "hosts": [{"ip": "10.0.0.1", "port": 80, "healthy": True, "enabled": True, "weight": 1.0,
                           "clusterName": "DEFAULT", "metadata": {}}]}


def test_subscribe_during_the_last_unsubscribe_gets_its_events():
    api = _GatedNaming()
    manager = SubscriptionManager(Runtime(options=LiveOptions(dict(defaults(), udp_push=False))), api, None,
                                  _Disk())
    try:
        api.gate("svc-a")
        manager.add("public", "G", "svc-a", "", ServiceListener(lambda event: None), wait=0)
        assert api.entered["svc-a"].wait(5)  # the worker is busy polling svc-a
        stopping = threading.Thread(target=manager.remove, args=("svc-a",))
        stopping.start()  # the last unsubscribe: stops the worker (which is still busy)
        wait_for(lambda: manager._thread is None, message="the last unsubscribe did not start stopping")
        api.gate("svc-b")
        received = []
        manager.add("public", "G", "svc-b", "", ServiceListener(received.append), wait=0)
        api.gates["svc-a"].set()
        stopping.join(5)
        assert not stopping.is_alive()
        assert api.entered["svc-b"].wait(5)
        api.gates["svc-b"].set()  # svc-b's first list is delivered after the unsubscribe finished stopping
        wait_for(lambda: received, timeout=5, message="the new subscription's listener was never called")
        assert [h["ip"] for h in received[0]["added"]] == ["10.0.0.1"]
    finally:
        for gate in api.gates.values():
            gate.set()
        manager.stop()


class _BeatNaming(object):
    """A NamingAPI whose beats fail for the ips in ``failing``."""

    transport = _Transport()

    def __init__(self, failing):
        self.failing = failing
        self.beats = []

    def beat(self, service_name, group_name, ip, port, *args, **kwargs):
        self.beats.append(ip)
        if ip in self.failing:
            raise IOError("injected beat failure")
        return {"clientBeatInterval": 5000, "code": 10200, "lightBeatEnabled": True}


def test_beat_failure_logging_is_per_instance(caplog):
    caplog.set_level(logging.DEBUG, logger="nacos.naming.heartbeat")
    api = _BeatNaming(failing=set(["10.0.0.2"]))
    runtime = Runtime(options=LiveOptions(dict(defaults(), heartbeat_interval=0.05, default_timeout=3)))
    beats = HeartbeatScheduler(runtime, api)
    try:
        beats.add(BeatEntry("public", "svc", "G", "10.0.0.1", 80, "DEFAULT"))
        beats.add(BeatEntry("public", "svc", "G", "10.0.0.2", 80, "DEFAULT"))
        wait_for(lambda: api.beats.count("10.0.0.1") >= 6 and api.beats.count("10.0.0.2") >= 6, timeout=10)
    finally:
        runtime.stop()
    records = [r for r in caplog.records if r.name == "nacos.naming.heartbeat" and r.levelno >= logging.INFO]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].levelno == logging.WARNING and "10.0.0.2" in records[0].getMessage()


@pytest.mark.embedded_only
def test_removed_instance_is_not_brought_back_by_a_retried_beat(embedded_server, make_client, group):
    client = make_client(server=embedded_server, heartbeat_interval=0.3, retry_window=10, default_timeout=1)
    embedded_server.fail_next(100000, status=503, path="/instance/beat")
    client.add_naming_instance("hb-race", "10.17.0.1", 80, group_name=group)
    wait_for(lambda: requests_to(embedded_server, "/instance/beat"), timeout=5)  # a full-body beat is failing
    assert client.remove_naming_instance("hb-race", "10.17.0.1", 80, group_name=group)
    embedded_server.clear_faults()
    mark = len(embedded_server.request_log)
    time.sleep(3.0)  # longer than the longest pause between two passes of a retry window (2 s)
    assert requests_to(embedded_server, "/instance/beat", since=mark) == []
    assert hosts(client, "hb-race", group_name=group) == []
