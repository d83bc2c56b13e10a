"""Discovery metrics per service, driven by real requests to real backends (requests adapter)."""
from discovery_support import Backend
from nacos.auto.discovery import NoInstanceError
from nacos.auto.discovery.ext import requests as nacos_requests
from nacos.metrics import prometheus_text


def _value(discovery, name, **labels):
    for s in discovery.client.metrics().get(name, []):
        if all(s["labels"].get(k) == v for k, v in labels.items()):
            return s["value"]
    return 0


def test_resolutions_picks_retries_sit_out_and_no_instance(make_cluster, make_discovery):
    cluster = make_cluster(2)
    dead = Backend("dead")
    dead.kill()
    cluster.add(dead)
    discovery = make_discovery(retries=2, failure_ttl=30.0)
    session = nacos_requests.Session(discovery=discovery)
    for _ in range(6):
        assert session.get(cluster.url(), timeout=5).status_code == 200
    service = cluster.url().split("/")[2]
    assert _value(discovery, "nacos_discovery_resolutions_total", service=service, result="miss") == 1
    assert _value(discovery, "nacos_discovery_resolutions_total", service=service, result="hit") == 5
    assert _value(discovery, "nacos_discovery_lookup_seconds", service=service)["count"] == 1
    picks = dict((s["labels"]["instance"], s["value"])
                 for s in discovery.client.metrics()["nacos_discovery_picks_total"])
    assert sum(picks.values()) == 6 + _value(discovery, "nacos_discovery_retries_total", service=service)
    assert _value(discovery, "nacos_discovery_retries_total", service=service) == 1  # the dead one, once
    assert _value(discovery, "nacos_discovery_instances_sitting_out") == 1
    try:
        session.get(cluster.url(), nacos={"metadata": {"version": "none"}}, timeout=5)
    except NoInstanceError:
        pass
    else:
        raise AssertionError("expected NoInstanceError")
    assert _value(discovery, "nacos_discovery_no_instance_total", service=service) == 1
    text = prometheus_text(discovery.client)
    port = cluster.backends[0].port
    expected = 'nacos_discovery_picks_total{instance="127.0.0.1:%d",service="%s"}' % (port, service)
    assert expected in text
