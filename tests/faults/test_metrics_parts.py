"""Config and naming metrics driven through real traffic and faults against the embedded server."""
import os

import pytest

import nacos
from nacos.metrics import prometheus_text
from nacos.testing import NacosServer
from support.wait import wait_for
from test_metrics_transport import strict_parse

pytestmark = pytest.mark.embedded_only


def value(client, name, **labels):
    for s in client.metrics().get(name, []):
        if all(s["labels"].get(k) == v for k, v in labels.items()):
            return s["value"]
    return 0


def test_config_metrics(tmpdir):
    with NacosServer(long_poll_min_hold=1.0) as srv:
        c = nacos.NacosClient(srv.address, failover_base=str(tmpdir.join("fo")),
                              snapshot_base=str(tmpdir.join("snap")), pulling_timeout=10)
        c.publish_config("m1", "g", "v1")
        assert c.get_config("m1", "g") == "v1"
        assert c.get_config("absent", "g") is None
        os.makedirs(str(tmpdir.join("fo")))
        tmpdir.join("fo", "fo1+g+").write("local")
        assert c.get_config("fo1", "g") == "local"
        calls = []

        def bad(params):
            calls.append(params)
            raise RuntimeError("boom")

        c.add_config_watcher("m1", "g", bad)
        wait_for(lambda: calls)  # the initial call on add
        assert value(c, "nacos_config_watched_keys") == 1
        wait_for(lambda: value(c, "nacos_config_long_polls_in_flight") == 1)
        c.publish_config("m1", "g", "v2")
        wait_for(lambda: len(calls) == 2)
        wait_for(lambda: value(c, "nacos_config_callback_errors_total") == 2)
        assert value(c, "nacos_config_changes_total") >= 1
        assert value(c, "nacos_config_callback_seconds")["count"] == 2
        assert value(c, "nacos_config_notify_delay_seconds")["count"] == 2
        srv.stop()
        assert c.get_config("m1", "g") == "v2"  # from the snapshot
        assert value(c, "nacos_config_get_total", source="server") >= 1
        assert value(c, "nacos_config_get_total", source="not_found") == 1
        assert value(c, "nacos_config_get_total", source="failover") == 1
        assert value(c, "nacos_config_get_total", source="snapshot") == 1
        strict_parse(prometheus_text(c))
        c.stop()


def test_naming_metrics(tmpdir):
    with NacosServer(push_mode="all") as srv:
        c = nacos.NacosClient(srv.address, naming_cache_dir=str(tmpdir.join("naming")), heartbeat_interval=0.2,
                              snapshot_base=None, failover_base=None)
        c.add_naming_instance("msvc", "10.0.0.1", 80)
        assert value(c, "nacos_naming_managed_instances") == 1
        wait_for(lambda: value(c, "nacos_naming_beats_total", outcome="ok") >= 2)
        assert value(c, "nacos_naming_beat_lateness_seconds")["count"] >= 2
        srv.wipe()
        wait_for(lambda: value(c, "nacos_naming_reregistrations_total") >= 1)

        events = []
        c.subscribe("msvc", events.append)
        assert value(c, "nacos_naming_subscriptions") == 1
        assert value(c, "nacos_naming_polls_total", outcome="ok") >= 1
        c.add_naming_instance("msvc", "10.0.0.2", 80, heartbeat_interval=0.2)
        wait_for(lambda: value(c, "nacos_naming_push_packets_total", outcome="received") >= 1)
        wait_for(lambda: value(c, "nacos_naming_push_packets_total", outcome="acked") >= 1)
        c.remove_naming_instance("msvc", "10.0.0.1", 80)
        c.remove_naming_instance("msvc", "10.0.0.2", 80)
        wait_for(lambda: value(c, "nacos_naming_empty_updates_suppressed_total") >= 1)
        c.list_naming_instance("other")
        c.add_naming_instance("msvc", "10.0.0.3", 80, heartbeat_interval=0.2)
        c.list_naming_instance("msvc")
        srv.stop()
        wait_for(lambda: value(c, "nacos_naming_beats_total", outcome="failed") >= 1)
        assert c.list_naming_instance("msvc")["hosts"]
        assert value(c, "nacos_naming_disk_cache_reads_total") >= 1
        strict_parse(prometheus_text(c))
        c.stop()
