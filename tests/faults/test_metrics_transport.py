"""Transport metrics driven by real traffic, and the Prometheus rendering checked by a strict parser."""
import re

import pytest

import nacos
from nacos.metrics import prometheus_text
from nacos.testing import NacosServer
from support.net import dead_address

pytestmark = pytest.mark.embedded_only

_SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\n"])*",?)*\})? '
                     r'(-?[0-9.e+-]+|\+Inf|-Inf|NaN)$')


def strict_parse(text):
    """A strict check of the text exposition format: HELP/TYPE before samples, every sample well-formed,
    histogram buckets cumulative and ending in +Inf == _count. Returns {(name, labels): value}."""
    assert text.endswith("\n")
    typed, samples, current = {}, {}, None
    for line in text.splitlines():
        if line.startswith("# HELP "):
            current = line.split()[2]
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            assert name == current and kind in ("counter", "gauge", "histogram")
            assert name not in typed
            typed[name] = kind
            continue
        assert _SAMPLE.match(line), line
        name_labels, value = line.rsplit(" ", 1)
        base = re.sub(r"_(bucket|sum|count)$", "", name_labels.split("{")[0])
        assert base == current, line
        samples[name_labels] = float(value)
    for name, kind in typed.items():
        if kind == "histogram":
            buckets = [(k, v) for k, v in samples.items() if k.startswith(name + "_bucket")]
            assert buckets and any('le="+Inf"' in k for k, _ in buckets)
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        pass
    else:
        assert list(text_string_to_metric_families(text))
    return samples


def _series(snapshot, name, **labels):
    for s in snapshot.get(name, []):
        if all(s["labels"].get(k) == v for k, v in labels.items()):
            return s["value"]
    return None


def test_request_counters_latency_rotation_and_current_server():
    with NacosServer() as srv:
        c = nacos.NacosClient("%s,%s" % (dead_address(), srv.address), snapshot_base=None, failover_base=None)
        c.publish_config("m", "g", "v")
        c.get_config("m", "g")
        c.get_config("nope", "g")
        srv.fail_next(1, status=400)
        with pytest.raises(nacos.NacosException):
            c.get_config("m", "g")
        c.list_naming_instance("svc")
        snap = c.metrics()
        assert _series(snap, "nacos_requests_total", kind="config", outcome="ok") == 2
        assert _series(snap, "nacos_requests_total", kind="config", outcome="4xx") == 2  # 404 and 400
        assert _series(snap, "nacos_requests_total", kind="config", outcome="connect_error") == 1
        assert _series(snap, "nacos_requests_total", kind="naming_list", outcome="ok") == 1
        assert _series(snap, "nacos_server_rotations_total") == 1
        assert _series(snap, "nacos_current_server") == "http://" + srv.address
        hist = _series(snap, "nacos_request_seconds", kind="config")
        assert hist["count"] == 5 and hist["buckets"][float("inf")] == 5
        samples = strict_parse(prometheus_text(c, {"app": "demo"}))
        assert samples['nacos_requests_total{app="demo",kind="config",outcome="ok"}'] == 2
        assert samples['nacos_current_server{app="demo",value="http://%s"}' % srv.address] == 1
        c.stop()


def test_token_metrics():
    with NacosServer(auth_enabled=True, users={"u": "p"}) as srv:
        c = nacos.NacosClient(srv.address, username="u", password="p", snapshot_base=None, failover_base=None)
        c.get_config("d", "g")  # the first call logs in
        srv.expire_tokens()
        c.get_config("d", "g")  # the rejected token: a second login
        snap = c.metrics()
        assert _series(snap, "nacos_token_refreshes_total") == 2
        assert _series(snap, "nacos_login_failures_total") == 0
        strict_parse(prometheus_text(c))
        c.stop()
