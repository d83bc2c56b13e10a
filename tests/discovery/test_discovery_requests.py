"""The requests adapter against real backends registered in the embedded server."""
import logging
import time

import pytest
import requests

import discovery_scenarios as S
from discovery_support import Backend, counts, wait_for
from nacos.auto.discovery import NoInstanceError
from nacos.auto.discovery.ext import requests as nacos_requests

ERRORS = (requests.ConnectionError, requests.Timeout)


def sender(discovery, proxy=None):
    session = nacos_requests.Session(discovery=discovery)
    proxies = {"http": proxy} if proxy else None

    def send(method, url, body=None, nacos=None):
        r = session.request(method, url, data=body, nacos=nacos, proxies=proxies, timeout=5)
        return r.status_code, (r.json() if method != "HEAD" else {})
    return send


def test_round_robin(make_cluster, make_discovery):
    S.round_robin(make_cluster, make_discovery, sender)


def test_weighted_random(make_cluster, make_discovery):
    S.weighted(make_cluster, make_discovery, sender)


def test_random(make_cluster, make_discovery):
    S.random_spread(make_cluster, make_discovery, sender)


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
    S.preserved(make_cluster, make_discovery, sender)


def test_filters_and_errors(make_cluster, make_discovery, nacos_push_server):
    S.filters(make_cluster, make_discovery, sender, nacos_push_server)


def test_no_nacos_call_per_request(make_cluster, make_discovery, nacos_push_server):
    S.no_nacos_call_per_request(make_cluster, make_discovery, sender, nacos_push_server)


def test_module_functions_share_one_pooled_session(global_discovery, cluster):
    assert nacos_requests.session() is nacos_requests.session()
    for _ in range(6):
        assert nacos_requests.get(cluster.url("/setcookie"), timeout=5).status_code == 200
    for backend in cluster.backends:
        assert len(set(h["client"] for h in backend.hits)) == 1  # the second call reused the connection
    assert len(nacos_requests.session().cookies) == 0  # like requests.get: no cookie kept between calls
    verbs = [(nacos_requests.post, "POST"), (nacos_requests.put, "PUT"), (nacos_requests.patch, "PATCH"),
             (nacos_requests.delete, "DELETE"), (nacos_requests.options, "OPTIONS")]
    for fn, method in verbs:
        assert fn(cluster.url(), timeout=5).json()["method"] == method
    assert nacos_requests.head(cluster.url(), timeout=5).status_code == 200
    assert nacos_requests.request("GET", cluster.url(), timeout=5).json()["path"] == "/echo"


def test_adapter_on_a_plain_session(cluster, discovery):
    session = requests.Session()
    session.mount("http://", nacos_requests.DiscoveryAdapter(discovery, nacos={"retries": 1}))
    assert set(session.get(cluster.url(), timeout=5).json()["id"] for _ in range(3)) == {"b0", "b1", "b2"}


def test_failed_instance_sits_out_then_returns(make_cluster, make_discovery):
    cluster = make_cluster(2)
    discovery = make_discovery(failure_ttl=1.5)
    send = sender(discovery)
    flaky = cluster.by_id("b0")
    flaky.kill()
    assert [send("GET", cluster.url())[1]["id"] for _ in range(4)] == ["b1"] * 4
    assert list(discovery.sitting_out()) == [("127.0.0.1", flaky.port)]
    flaky.start()  # same port
    assert wait_for(lambda: not discovery.sitting_out(), timeout=3.0)
    ids = [send("GET", cluster.url())[1]["id"] for _ in range(4)]
    assert ids.count("b0") == 2 and not discovery.sitting_out()


def test_empty_update_keeps_the_last_list(make_cluster, make_discovery, caplog):
    caplog.set_level(logging.INFO, logger="nacos")
    cluster = make_cluster(2)
    discovery = make_discovery()
    send = sender(discovery)
    send("GET", cluster.url())
    b0, b1 = cluster.backends
    cluster.remove(b0)  # a list with b1 only is a real update
    assert wait_for(lambda: [h["port"] for h in list(discovery.services().values())[0]] == [b1.port], 3.0)
    cluster.remove(b1)  # the empty list after it is not applied
    assert wait_for(lambda: "keeping the 1 known instances of DEFAULT_GROUP@@%s" % cluster.service in caplog.text,
                    timeout=3.0)
    assert [send("GET", cluster.url())[1]["id"] for _ in range(2)] == ["b1", "b1"]


def test_without_empty_protection_a_service_without_instances_raises(make_cluster, make_discovery):
    cluster = make_cluster(1)
    discovery = make_discovery(empty_protection=False)
    send = sender(discovery)
    send("GET", cluster.url())
    cluster.remove(cluster.backends[0])
    assert wait_for(lambda: not list(discovery.services().values())[0], timeout=3.0)
    with pytest.raises(NoInstanceError) as info:
        send("GET", cluster.url())
    assert "1 registered" not in str(info.value) and cluster.service in str(info.value)


def test_unhealthy_and_disabled_instances_are_never_chosen(make_cluster, make_discovery, registrar):
    cluster = make_cluster(1)
    sick = Backend("sick")
    off = Backend("off")
    try:
        cluster.add(sick, healthy=False)
        registrar.add_naming_instance(cluster.service, "127.0.0.1", off.port, enable=False)
        send = sender(make_discovery())
        assert set(send("GET", cluster.url())[1]["id"] for _ in range(6)) == {"b0"}
        assert counts([sick, off]) == {"sick": 0, "off": 0}
    finally:
        registrar.remove_naming_instance(cluster.service, "127.0.0.1", off.port)
        off.kill()


def test_deregistration_seen_within_one_poll_without_push():
    import nacos
    from nacos.auto.discovery import Discovery
    from nacos.auto.discovery import settings as settings_mod
    from nacos.testing import NacosServer
    server = NacosServer(push_mode="off")  # the poll path, every cacheMillis
    server.start()
    registrar = nacos.NacosClient(server.address, naming_cache_dir=None)
    backends = [Backend("p0"), Backend("p1")]
    discovery = Discovery(settings_mod.build(load=False, server=server.address,
                                             client_options={"naming_cache_dir": None}))
    try:
        for b in backends:
            registrar.add_naming_instance("polled", "127.0.0.1", b.port)
        send = sender(discovery)
        assert sorted(send("GET", "http://polled/x")[1]["id"] for _ in range(2)) == ["p0", "p1"]
        interval = registrar.list_naming_instance("polled")["cacheMillis"] / 1000.0
        registrar.remove_naming_instance("polled", "127.0.0.1", backends[0].port)
        removed = time.time()
        assert wait_for(lambda: all(send("GET", "http://polled/x")[1]["id"] == "p1" for _ in range(2)),
                        timeout=interval + 3.0, interval=0.1)
        assert time.time() - removed < interval + 3.0  # one poll, with slack for a busy host
        assert [send("GET", "http://polled/x")[1]["id"] for _ in range(4)] == ["p1"] * 4
    finally:
        discovery.close()
        registrar.stop()
        for b in backends:
            b.kill()
        server.stop()
