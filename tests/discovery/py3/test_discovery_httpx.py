"""The httpx adapter (Client, AsyncClient, and the transports with plain httpx) against real backends."""
import json

import pytest

httpx = pytest.importorskip("httpx")

import discovery_scenarios as S  # noqa: E402
from nacos.auto.discovery.ext.httpx import (AsyncClient, AsyncDiscoveryTransport, Client,  # noqa: E402
                                            DiscoveryTransport)

ERRORS = (httpx.TransportError,)
PROXY_KW = "proxy" if "proxy" in httpx.Client.__init__.__code__.co_varnames else "proxies"


def _result(r, method):
    return r.status_code, (json.loads(r.text) if method != "HEAD" else {})


def sync_sender(discovery, proxy=None):
    client = Client(discovery=discovery, timeout=5, trust_env=False, **({PROXY_KW: proxy} if proxy else {}))

    def send(method, url, body=None, nacos=None):
        r = client.request(method, url, content=body, extensions={"nacos": nacos} if nacos else None)
        return _result(r, method)
    return send


@pytest.fixture
def async_sender(loop_thread):
    def sender(discovery, proxy=None):
        async def make():
            return AsyncClient(discovery=discovery, timeout=5, trust_env=False,
                               **({PROXY_KW: proxy} if proxy else {}))
        client = loop_thread.run(make())
        loop_thread.closers.append(client.aclose)

        def send(method, url, body=None, nacos=None):
            r = loop_thread.run(client.request(method, url, content=body,
                                               extensions={"nacos": nacos} if nacos else None))
            return _result(r, method)
        return send
    return sender


@pytest.fixture(params=["sync", "async"])
def sender(request):
    return sync_sender if request.param == "sync" else request.getfixturevalue("async_sender")


def test_round_robin(make_cluster, make_discovery, sender):
    S.round_robin(make_cluster, make_discovery, sender)


def test_weighted_random(make_cluster, make_discovery, sender):
    S.weighted(make_cluster, make_discovery, sender)


def test_killed_backend_loses_no_idempotent_request(make_cluster, make_discovery, sender):
    S.kill_mid_run(make_cluster, make_discovery, sender)


def test_post_is_not_retried_once_sent(make_cluster, make_discovery, sender):
    S.post_not_retried_after_send(make_cluster, make_discovery, sender, ERRORS)


def test_no_retry_left_raises_the_library_error(make_cluster, make_discovery, sender):
    S.no_retry_left(make_cluster, make_discovery, sender, ERRORS)


def test_deregistered_instance_stops_receiving(make_cluster, make_discovery, sender):
    S.deregistered_stops(make_cluster, make_discovery, sender)


def test_passthrough_hosts_untouched(make_cluster, make_discovery, nacos_push_server, sender):
    S.passthrough(make_cluster, make_discovery, sender, nacos_push_server)


def test_url_parts_preserved(make_cluster, make_discovery, sender):
    S.preserved(make_cluster, make_discovery, sender)


def test_filters_and_errors(make_cluster, make_discovery, nacos_push_server, sender):
    S.filters(make_cluster, make_discovery, sender, nacos_push_server)


def test_transports_work_with_plain_httpx(cluster, discovery, loop_thread):
    with httpx.Client(transport=DiscoveryTransport(discovery=discovery), timeout=5) as client:
        ids = [client.get(cluster.url()).json()["id"] for _ in range(3)]
        response = client.get(cluster.url())
    assert sorted(ids) == ["b0", "b1", "b2"]
    assert str(response.request.url) == cluster.url()  # the caller's request keeps the service URL

    async def go():
        async with httpx.AsyncClient(transport=AsyncDiscoveryTransport(discovery=discovery)) as client:
            return [(await client.get(cluster.url())).json()["id"] for _ in range(3)]
    assert sorted(loop_thread.run(go())) == ["b0", "b1", "b2"]
