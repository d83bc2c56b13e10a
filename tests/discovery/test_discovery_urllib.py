"""The urllib adapter (urllib2 on Python 2) against real backends registered in the embedded server."""
import json
import socket
import subprocess
import sys

import discovery_scenarios as S
from nacos.auto.discovery.ext import urllib as nacos_urllib

try:
    import http.client as httplib
    import urllib.request as urlreq
except ImportError:  # Python 2
    import httplib
    import urllib2 as urlreq

ERRORS = (urlreq.URLError, socket.error, httplib.HTTPException)


def sender(discovery, proxy=None):
    extra = [urlreq.ProxyHandler({"http": proxy})] if proxy else [urlreq.ProxyHandler({})]
    opener = nacos_urllib.build_opener(*extra, discovery=discovery)

    def send(method, url, body=None, nacos=None):
        req = nacos_urllib._MethodRequest(url, method, data=body.encode("utf-8") if body else None)
        if nacos:
            req.nacos = nacos
        resp = opener.open(req, timeout=5)
        try:
            payload = resp.read()
            return resp.getcode(), (json.loads(payload.decode("utf-8")) if payload else {})
        finally:
            resp.close()
    return send


def test_round_robin(make_cluster, make_discovery):
    S.round_robin(make_cluster, make_discovery, sender)


def test_weighted_random(make_cluster, make_discovery):
    S.weighted(make_cluster, make_discovery, sender)


def test_killed_backend_loses_no_idempotent_request(make_cluster, make_discovery):
    S.kill_mid_run(make_cluster, make_discovery, sender)


def test_post_is_not_retried_once_sent(make_cluster, make_discovery):
    S.post_not_retried_after_send(make_cluster, make_discovery, sender, ERRORS)


def test_no_retry_left_raises_the_library_error(make_cluster, make_discovery):
    S.no_retry_left(make_cluster, make_discovery, sender, ERRORS)


def test_deregistered_instance_stops_receiving(make_cluster, make_discovery):
    S.deregistered_stops(make_cluster, make_discovery, sender)


def test_passthrough_hosts_untouched(make_cluster, make_discovery, nacos_push_server):
    S.passthrough(make_cluster, make_discovery, sender, nacos_push_server)


def test_url_parts_preserved(make_cluster, make_discovery):
    S.preserved(make_cluster, make_discovery, sender, userinfo=False)  # urllib has no user:pw@ URLs


def test_filters_and_errors(make_cluster, make_discovery, nacos_push_server):
    S.filters(make_cluster, make_discovery, sender, nacos_push_server)


def test_urlopen_uses_the_process_wide_discovery(global_discovery, cluster):
    ids = [json.loads(nacos_urllib.urlopen(cluster.url(), timeout=5).read().decode("utf-8"))["id"]
           for _ in range(3)]
    assert sorted(ids) == ["b0", "b1", "b2"]
    req = nacos_urllib.Request(cluster.url(), data=b"x=1")
    hit = json.loads(nacos_urllib.urlopen(req, timeout=5, nacos={"retries": 0}).read().decode("utf-8"))
    assert (hit["method"], hit["body"]) == ("POST", "x=1")


def test_importing_the_adapters_makes_no_network_call():
    code = ("import socket\n"
            "def boom(*a, **k): raise AssertionError('network at import time')\n"
            "socket.socket.connect = boom; socket.create_connection = boom; socket.getaddrinfo = boom\n"
            "import nacos.auto.discovery.ext.urllib, nacos.auto.discovery.ext.requests\n"
            "from nacos.auto.discovery.ext import configure\n"
            "configure(server='10.255.255.1:8848', load=False)\n"
            "print('ok')\n")
    out = subprocess.check_output([sys.executable, "-c", code])
    assert out.strip() == b"ok"
