"""The metrics WSGI helper, the optional prometheus_client collector and the metrics_enabled=False option."""
import pytest

import nacos
from nacos.metrics import register_collector, wsgi_app
from nacos.testing import NacosServer

pytestmark = pytest.mark.embedded_only


def _call(app, method="GET"):
    got = {}

    def start_response(status, headers):
        got["status"], got["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": "/nacos/metrics"}, start_response))
    return got["status"], got["headers"], body.decode("utf-8")


def test_wsgi_helper_and_collector():
    with NacosServer() as srv:
        c = nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None)
        c.get_config("d", "g")
        status, headers, text = _call(wsgi_app(c))
        assert status == "200 OK" and headers["Content-Type"].startswith("text/plain; version=0.0.4")
        assert 'nacos_config_get_total{source="not_found"} 1' in text
        assert _call(wsgi_app(lambda: None))[2] == ""  # no client yet: an empty page
        assert _call(wsgi_app(c), "POST")[0].startswith("405")
        prometheus_client = pytest.importorskip("prometheus_client")
        registry = prometheus_client.CollectorRegistry()
        register_collector(c, registry)
        exposed = prometheus_client.generate_latest(registry).decode("utf-8")
        assert 'nacos_config_get_total{source="not_found"} 1.0' in exposed
        assert 'nacos_request_seconds_bucket{kind="config",le="+Inf"} 1.0' in exposed
        assert 'nacos_current_server{value="http://%s"} 1.0' % srv.address in exposed
        c.stop()


def test_metrics_can_be_turned_off():
    with NacosServer() as srv:
        c = nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None, metrics_enabled=False)
        c.publish_config("d", "g", "v")
        assert c.get_config("d", "g") == "v"
        assert c.metrics() == {}
        c.stop()
