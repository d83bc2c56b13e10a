"""Behaviour every adapter must show, written once. Each adapter's test module passes a ``sender``:
``sender(discovery, proxy=None)`` returns ``send(method, url, body=None, nacos=None) -> (status, hit)``
where ``hit`` is the backend's JSON answer; connection failures raise the library's own exceptions."""
import pytest

from discovery_support import Backend, counts, list_calls, wait_for
from nacos.auto.discovery import NoInstanceError


def round_robin(make_cluster, make_discovery, sender):
    cluster = make_cluster(3)
    send = sender(make_discovery())
    ids = [send("GET", cluster.url())[1]["id"] for _ in range(30)]
    assert counts(cluster.backends) == {"b0": 10, "b1": 10, "b2": 10}
    assert len(set(ids[:3])) == 3 and ids[3:6] == ids[:3]  # the same order, cycle after cycle


def weighted(make_cluster, make_discovery, sender):
    cluster = make_cluster(3, weights=[1, 2, 5])
    send = sender(make_discovery(strategy="weighted_random", seed=7))
    for _ in range(400):
        assert send("GET", cluster.url())[0] == 200
    got = counts(cluster.backends)
    for ident, expected in (("b0", 50), ("b1", 100), ("b2", 250)):
        assert abs(got[ident] - expected) <= 0.3 * expected, got


def random_spread(make_cluster, make_discovery, sender):
    cluster = make_cluster(3)
    send = sender(make_discovery(strategy="random", seed=3))
    for _ in range(90):
        send("GET", cluster.url())
    got = counts(cluster.backends)
    assert sum(got.values()) == 90 and min(got.values()) >= 15, got


def kill_mid_run(make_cluster, make_discovery, sender):
    cluster = make_cluster(3)
    dead = Backend("dead")
    dead.kill()  # registered, but nothing listens on its port
    cluster.add(dead)
    discovery = make_discovery(retries=2)
    send = sender(discovery)
    for _ in range(12):
        assert send("GET", cluster.url())[0] == 200
    victim = cluster.by_id("b1")
    victim.kill()
    before = victim.count()
    for i in range(30):
        method = ("GET", "PUT", "DELETE", "HEAD", "POST")[i % 5]  # POSTs fail before sending: retried too
        status, _ = send(method, cluster.url(), body="n=%d" % i if method in ("PUT", "POST") else None)
        assert status == 200
    assert victim.count() == before
    posts = sum(1 for b in cluster.backends for h in b.hits if h["method"] == "POST")
    assert posts == 6  # each POST reached exactly one backend
    assert ("127.0.0.1", victim.port) in discovery.sitting_out()


def post_not_retried_after_send(make_cluster, make_discovery, sender, errors):
    cluster = make_cluster(0)
    drop, ok = cluster.add(Backend("drop", mode="drop")), cluster.add(Backend("ok"))
    send = sender(make_discovery(retries=2, failure_ttl=0))
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(send("POST", cluster.url(), body="x")[0])
        except errors:
            outcomes.append("error")
    assert sorted(outcomes, key=str) == [200, "error"]
    assert (drop.count(), ok.count()) == (1, 1)  # the dropped POST was not sent again
    for _ in range(4):
        assert send("GET", cluster.url())[1]["id"] == "ok"  # a GET that was dropped is retried
    assert ok.count() == 5 and drop.count() >= 3  # aiohttp itself repeats an idempotent request once


def no_retry_left(make_cluster, make_discovery, sender, errors):
    cluster = make_cluster(1)
    cluster.backends[0].kill()
    send = sender(make_discovery(retries=0))
    with pytest.raises(errors):
        send("GET", cluster.url())


def deregistered_stops(make_cluster, make_discovery, sender):
    cluster = make_cluster(3)
    discovery = make_discovery()
    send = sender(discovery)
    for _ in range(6):
        send("GET", cluster.url())
    gone = cluster.by_id("b0")
    cluster.remove(gone)
    ports = lambda: [h["port"] for hosts in discovery.services().values() for h in hosts]  # noqa: E731
    assert wait_for(lambda: gone.port not in ports(), timeout=5.0), "the push did not arrive"
    before = gone.count()
    for _ in range(12):
        assert send("GET", cluster.url())[1]["id"] != "b0"
    assert gone.count() == before


def passthrough(make_cluster, make_discovery, sender, server):
    cluster = make_cluster(1)
    backend = cluster.backends[0]
    proxy = Backend("proxy")
    try:
        discovery = make_discovery()
        send, via_proxy = sender(discovery), sender(discovery, proxy="http://%s" % proxy.address)
        since = len(server.request_log)
        for host in ("127.0.0.1", "localhost"):
            status, hit = send("GET", "http://%s:%d/direct?x=1" % (host, backend.port))
            assert (status, hit["id"], hit["path"]) == (200, "b0", "/direct?x=1")
        # a name Nacos does not know goes out unchanged (here to an HTTP proxy, which sees the full URL)
        status, hit = via_proxy("GET", "http://no-such-svc-x1/p/q?x=1&y=2")
        assert (status, hit["id"], hit["path"]) == (200, "proxy", "http://no-such-svc-x1/p/q?x=1&y=2")
        via_proxy("GET", "http://no-such-svc-x1/again")
        assert proxy.count() == 2
        assert len(list_calls(server, "no-such-svc-x1", since)) == 1  # "unknown" is remembered
        assert not [r for r in list_calls(server, "", since) if "localhost" in str(r["query"])
                    or "127.0.0.1" in str(r["query"].get("serviceName"))]
    finally:
        proxy.kill()


def preserved(make_cluster, make_discovery, sender, userinfo=True):
    cluster = make_cluster(1)
    send = sender(make_discovery())
    tail = "/a/b%20c?x=1&y=%2F&z=%C3%A9#frag"
    status, hit = send("POST", "http://%s%s" % (cluster.service, tail), body='{"k": 1}')
    direct = send("POST", "http://%s%s" % (cluster.backends[0].address, tail), body='{"k": 1}')[1]
    assert (status, hit["method"], hit["body"]) == (200, "POST", '{"k": 1}')
    assert hit["path"] == direct["path"]  # exactly what the library sends for a direct call
    assert hit["path"].startswith("/a/b%20c?x=1&y=") and "#" not in hit["path"]
    assert hit["host"] == cluster.backends[0].address
    if userinfo:
        status, hit = send("GET", "http://user:pw@%s/auth" % cluster.service)
        assert hit["auth"] == "Basic dXNlcjpwdw=="


def filters(make_cluster, make_discovery, sender, server):
    cluster = make_cluster(3, metadata=[{"version": "1"}, {"version": "1"}, {"version": "2"}])
    send = sender(make_discovery())
    for _ in range(4):
        assert send("GET", cluster.url(), nacos={"metadata": {"version": "2"}})[1]["id"] == "b2"
    port = cluster.by_id("b1").port
    for _ in range(4):
        assert send("GET", "http://%s:%d/p" % (cluster.service, port))[1]["id"] == "b1"
    send_canary = sender(make_discovery(metadata={"version": "1"}))
    assert set(send_canary("GET", cluster.url())[1]["id"] for _ in range(4)) == {"b0", "b1"}
    with pytest.raises(NoInstanceError) as info:
        send("GET", cluster.url(), nacos={"metadata": {"version": "9"}})
    text = str(info.value)
    assert cluster.service in text and "DEFAULT_GROUP" in text and "public" in text and "version" in text
    with pytest.raises(NoInstanceError) as info:
        send("GET", "http://%s:1/p" % cluster.service)
    assert "port 1" in str(info.value)
    strict = sender(make_discovery(services=["svc-*"]))  # a pattern: a service even when Nacos has none
    with pytest.raises(NoInstanceError) as info:
        strict("GET", cluster.url(), nacos={"group": "OTHER"})
    assert "'OTHER'" in str(info.value) and "0 registered" in str(info.value)


def no_nacos_call_per_request(make_cluster, make_discovery, sender, server):
    cluster = make_cluster(3)
    send = sender(make_discovery())
    since = len(server.request_log)
    for _ in range(60):
        send("GET", cluster.url())
    assert len(list_calls(server, cluster.service, since)) <= 3  # lookup + first poll (+ one re-poll)
