"""The aiohttp adapter (get_session / DiscoverySession) against real backends."""
import json
import warnings

import pytest

aiohttp = pytest.importorskip("aiohttp")

import discovery_scenarios as S  # noqa: E402
from nacos.auto.discovery.ext.aiohttp import ClientSession, DiscoverySession, get_session  # noqa: E402

ERRORS = (aiohttp.ClientError,)


@pytest.fixture
def sender(loop_thread):
    def make_sender(discovery, proxy=None):
        async def make():
            return get_session(discovery=discovery, timeout=aiohttp.ClientTimeout(total=5))
        session = loop_thread.run(make())
        loop_thread.closers.append(session.close)

        def send(method, url, body=None, nacos=None):
            async def go():
                async with session.request(method, url, data=body, nacos=nacos, proxy=proxy) as r:
                    text = await r.text()
                    return r.status, (json.loads(text) if text else {})
            return loop_thread.run(go())
        return send
    return make_sender


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


def test_session_is_a_client_session_made_without_warnings(global_discovery, cluster, loop_thread):
    assert ClientSession is DiscoverySession and issubclass(DiscoverySession, aiohttp.ClientSession)

    async def go():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            async with get_session() as session:  # the process-wide discovery
                ids = []
                for _ in range(3):
                    async with session.get(cluster.url()) as r:
                        ids.append((await r.json())["id"])
                return ids
    assert sorted(loop_thread.run(go())) == ["b0", "b1", "b2"]
