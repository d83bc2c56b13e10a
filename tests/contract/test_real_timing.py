"""Real server timing, exercised for real (``slow``): the 35 s ephemeral-instance expiry and a long poll held
by the server for more than 10 s before a change.

They run when ``NACOS_SERVER_ADDR`` points at a real Nacos (``.ci/real-server`` runs them against Nacos 2.x in
CI), or against the embedded server's default timings with ``NACOS_REAL_TIMING=1``. The matrix skips them: each
waits about 40 s.
"""
import os
import threading
import time

import pytest
from support.wait import settles, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not (os.environ.get("NACOS_SERVER_ADDR") or os.environ.get("NACOS_REAL_TIMING")),
    reason="real timing (about 40 s): set NACOS_SERVER_ADDR or NACOS_REAL_TIMING=1")]

# A real Nacos marks an ephemeral instance unhealthy ~20 s after its last beat and removes it ~35 s after
# (docs/real-servers.md, measured on 2.3.2 and 3.1.0: 20.7 s / 35.4 s).
PAST_EXPIRY = 40.0


def _listen_requests(client, kind="config_listen"):
    total = 0
    for sample in client.metrics().get("nacos_requests_total", []):
        if sample["labels"].get("kind") == kind:
            total += sample["value"]
    return total


def test_managed_heartbeat_keeps_an_instance_past_the_delete_timeout(make_client, group):
    keeper = make_client()                                   # beats at the server's clientBeatInterval (5 s)
    unmanaged = make_client(managed_heartbeat=False)         # the control: no beats at all
    assert keeper.add_naming_instance("rt-alive", "10.40.0.1", 80, group_name=group)
    assert unmanaged.add_naming_instance("rt-alive", "10.40.0.2", 80, group_name=group)
    assert settles(lambda: sorted(h["ip"] for h in keeper.list_naming_instance("rt-alive", group_name=group)
                                  ["hosts"]), ["10.40.0.1", "10.40.0.2"])
    time.sleep(PAST_EXPIRY)
    hosts = keeper.list_naming_instance("rt-alive", group_name=group)["hosts"]
    # the unbeaten instance is gone (the server's expiry really ran), the managed one is alive and healthy
    assert [(h["ip"], h["healthy"]) for h in hosts] == [("10.40.0.1", True)]


def test_watcher_is_notified_while_the_server_holds_the_poll(client, group):
    client.publish_config("rt-held", group, "v1")
    assert settles(lambda: client.get_config("rt-held", group), "v1")
    calls = []
    changed = threading.Event()

    def on_change(params):
        calls.append(params["content"])
        if params["content"] == "v2":
            changed.set()

    client.add_config_watcher("rt-held", group, on_change)
    wait_for(lambda: calls == ["v1"], timeout=8, message="no initial callback")
    if client.api_dialect("config") == "v3":
        pytest.skip("no v1 listener on this server: test_watcher_without_a_listener_reads_md5s covers it")
    wait_for(lambda: _listen_requests(client) >= 1, timeout=8)
    time.sleep(1.0)
    answered_before = _listen_requests(client)
    time.sleep(11.0)   # the poll sent after the initial callback is now held > 10 s by the server
    assert _listen_requests(client) == answered_before, "the server answered a poll during the hold"
    client.publish_config("rt-held", group, "v2")
    # the held poll (30 s requested, held 29.5 s) must be answered early with the change: waiting 8 s is well
    # below the ~17 s left of the hold
    assert changed.wait(8.0), "the change was not delivered during the held poll (calls: %r)" % (calls,)
    assert calls == ["v1", "v2"]


def test_watcher_without_a_listener_reads_md5s(client, group):
    """A server without the v1 API (Nacos 3.2+, or 3.x with client compatibility off) has no listener: changes
    arrive by md5 polling every ``config_poll_interval`` (1 s) at a bounded request rate."""
    client.publish_config("rt-md5", group, "v1")
    calls = []
    client.add_config_watcher("rt-md5", group, lambda p: calls.append(p["content"]))
    wait_for(lambda: calls == ["v1"], timeout=8, message="no initial callback")
    if client.api_dialect("config") != "v3":
        pytest.skip("this server serves the v1 listener")
    before = _listen_requests(client, "config")
    time.sleep(5.0)
    idle = _listen_requests(client, "config") - before
    assert 2 <= idle <= 12, "%d config requests in 5 s idle with one watched key" % idle  # ~1 per second
    started = time.time()
    client.publish_config("rt-md5", group, "v2")
    wait_for(lambda: calls == ["v1", "v2"], timeout=8, message="change not delivered (calls: %r)" % (calls,))
    assert time.time() - started < 8
