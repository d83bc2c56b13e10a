"""UDP push: subscription via /instance/list?udpPort=, packets, acks, retransmission, gzip, UA rules."""
from __future__ import absolute_import, division, print_function, unicode_literals

import gzip
import io
import json
import socket
import time

import pytest

JAVA_UA = {"User-Agent": "Nacos-Java-Client:v2.3.0"}


@pytest.fixture
def udp():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2.0)
    yield sock
    sock.close()


def receive(sock, timeout=2.0):
    """One push: (decoded packet dict, raw bytes, sender address)."""
    sock.settimeout(timeout)
    raw, addr = sock.recvfrom(65536)
    data = raw
    if raw[:2] == b"\x1f\x8b":
        data = gzip.GzipFile(fileobj=io.BytesIO(raw)).read()
    return json.loads(data.decode("utf-8")), raw, addr


def ack(sock, packet, addr):
    sock.sendto(json.dumps({"type": "push-ack", "lastRefTime": str(packet["lastRefTime"]),
                            "data": ""}).encode("utf-8"), addr)


def subscribe(http, base, sock, service="svc", headers=JAVA_UA, **extra):
    query = {"serviceName": service, "udpPort": sock.getsockname()[1], "clientIP": "127.0.0.1"}
    query.update(extra)
    return http.get(base + "/v1/ns/instance/list", params=query, headers=headers).json()


def register(http, base, service="svc", **form):
    form.update({"serviceName": service})
    form.setdefault("ip", "10.0.0.1")
    form.setdefault("port", 8080)
    assert http.post(base + "/v1/ns/instance", data=form).text == "ok"


def test_subscribe_push_and_ack(http, base, srv, udp, wait_for):
    info = subscribe(http, base, udp)
    assert info["cacheMillis"] == 10000
    packet, _, addr = receive(udp)  # the initial push on subscription
    assert packet["type"] == "dom" and isinstance(packet["lastRefTime"], int)
    assert json.loads(packet["data"])["hosts"] == []
    ack(udp, packet, addr)
    register(http, base)
    packet, _, addr = receive(udp)
    data = json.loads(packet["data"])
    assert data["name"] == "DEFAULT_GROUP@@svc"
    assert [h["ip"] for h in data["hosts"]] == ["10.0.0.1"]
    assert data["cacheMillis"] == 10000
    ack(udp, packet, addr)
    wait_for(lambda: len(srv.push_log) == 2 and all(p["acked"] for p in srv.push_log))
    entry = srv.push_log[-1]
    assert entry["target"] == "127.0.0.1:%d" % udp.getsockname()[1]
    assert entry["service"] == "DEFAULT_GROUP@@svc" and entry["lastRefTime"] == packet["lastRefTime"]


def receive_until(sock, predicate, timeout=3.0):
    """Receive (and ack) pushes until ``predicate(service_info)`` holds; returns that info."""
    deadline = time.time() + timeout
    while True:
        packet, _, addr = receive(sock, timeout=max(deadline - time.time(), 0.01))
        ack(sock, packet, addr)
        info = json.loads(packet["data"])
        if predicate(info):
            return info


def test_deregister_and_health_changes_are_pushed(http, base, udp):
    register(http, base)
    subscribe(http, base, udp)
    started = time.time()
    receive_until(udp, lambda info: info["hosts"] and info["hosts"][0]["healthy"] is False)
    assert time.time() - started >= 0.5  # heartbeat_timeout is 0.6 s
    http.delete(base + "/v1/ns/instance", params={"serviceName": "svc", "ip": "10.0.0.1", "port": 8080})
    receive_until(udp, lambda info: info["hosts"] == [])


def test_no_ack_means_one_retransmission(http, base, srv, udp):
    subscribe(http, base, udp)
    first, _, _ = receive(udp)
    again, _, _ = receive(udp)  # push_ack_timeout is 0.3 s
    assert again["lastRefTime"] == first["lastRefTime"]
    with pytest.raises(socket.timeout):
        receive(udp, timeout=0.8)
    assert srv.push_log[0]["acked"] is False and srv.push_log[0]["retransmitted"] is True


def test_large_push_is_gzipped(http, base, udp):
    subscribe(http, base, udp)
    receive(udp)
    register(http, base, metadata=json.dumps(dict(("key%d" % i, "v" * 20) for i in range(30))))
    packet, raw, _ = receive(udp)
    while not json.loads(packet["data"])["hosts"]:
        packet, raw, _ = receive(udp)
    assert raw[:2] == b"\x1f\x8b"
    assert len(json.loads(packet["data"])["hosts"][0]["metadata"]) == 30


def test_small_push_is_plain_json(http, base, udp):
    subscribe(http, base, udp)
    _, raw, _ = receive(udp)
    assert raw[:1] == b"{"


def test_clusters_of_subscriber_filter_pushes(http, base, udp):
    subscribe(http, base, udp, clusters="a")
    receive(udp)
    register(http, base, ip="1.1.1.1", clusterName="b")
    register(http, base, ip="1.1.1.2", clusterName="a")
    seen = set()
    deadline = time.time() + 2
    while "1.1.1.2" not in seen and time.time() < deadline:
        packet, _, _ = receive(udp)
        seen.update(h["ip"] for h in json.loads(packet["data"])["hosts"])
    assert seen == set(["1.1.1.2"])


def test_unrecognised_user_agent_is_not_pushed(http, base, srv, udp):
    info = subscribe(http, base, udp, headers={"User-Agent": "Nacos-Python-Client:v1.0.0"})
    assert info["cacheMillis"] == 3000
    register(http, base)
    with pytest.raises(socket.timeout):
        receive(udp, timeout=0.4)
    assert srv.push_log == []


def test_user_agent_is_read_before_client_version(http, base, srv, udp):
    # a Java 1.x client sends both; 2.x WebUtils.getUserAgent reads User-Agent first
    subscribe(http, base, udp, headers={"User-Agent": "Nacos-Java-Client:v1.4.2", "Client-Version": "1.4.2"})
    packet, _, _ = receive(udp)
    assert packet["type"] == "dom"
    srv.clear_log()
    other = subscribe(http, base, udp, service="svc2",
                      headers={"User-Agent": "Go-http-client/1.1", "Client-Version": "Nacos-Go-Client:v2.0.0"})
    assert other["cacheMillis"] == 3000
    assert [p["service"] for p in srv.push_log] == []


def test_client_version_is_the_user_agent_when_user_agent_is_empty(http, base, udp):
    subscribe(http, base, udp, headers={"User-Agent": "", "Client-Version": "Nacos-Go-Client:v2.0.0"})
    packet, _, _ = receive(udp)
    assert packet["type"] == "dom"


def test_push_mode_all_and_off(make_server, http, udp):
    everyone = make_server(push_mode="all")
    subscribe(http, everyone.url + "/nacos", udp, headers={"User-Agent": "curl/8"})
    packet, _, _ = receive(udp)
    assert packet["type"] == "dom"
    nobody = make_server(push_mode="off")
    info = subscribe(http, nobody.url + "/nacos", udp)
    assert info["cacheMillis"] == 3000
    register(http, nobody.url + "/nacos")
    with pytest.raises(socket.timeout):
        while True:
            receive(udp, timeout=0.5)  # drain the first server's retransmission, then nothing


def test_subscribers_expire(make_server, http, udp, wait_for):
    server = make_server(subscriber_timeout=0.3)
    base = server.url + "/nacos"
    subscribe(http, base, udp)
    receive(udp)
    time.sleep(0.6)
    server.clear_log()
    register(http, base)
    time.sleep(0.3)
    assert server.push_log == []


def test_push_delay_merges_changes_into_one_push(make_server, http, udp, wait_for):
    server = make_server(push_delay=1.0)
    base = server.url + "/nacos"
    subscribe(http, base, udp)
    packet, _, addr = receive(udp)  # the push to a new subscriber is not delayed
    ack(udp, packet, addr)
    server.clear_log()
    register(http, base, ip="10.0.0.1")
    register(http, base, ip="10.0.0.2")  # well inside the 1 s window: joins the first change's push
    packet, _, addr = receive(udp, timeout=5.0)
    ack(udp, packet, addr)
    assert sorted(h["ip"] for h in json.loads(packet["data"])["hosts"]) == ["10.0.0.1", "10.0.0.2"]
    wait_for(lambda: server.push_log and server.push_log[0]["acked"])
    assert len(server.push_log) == 1


def test_push_delay_must_not_be_negative(make_server):
    with pytest.raises(ValueError):
        make_server(push_delay=-1)


def test_push_delay_command_line_option(monkeypatch, capsys):
    from nacos.testing import __main__ as cli
    made = []

    class FakeServer(object):
        url, context_path = "http://127.0.0.1:1", "/nacos"

        def __init__(self, **kwargs):
            made.append(kwargs)

        def start(self):
            pass

        def stop(self):
            pass

    class Clock(object):  # the module's own ``time``, not the shared one: other threads keep sleeping normally
        @staticmethod
        def sleep(seconds):
            raise KeyboardInterrupt()

    monkeypatch.setattr(cli, "NacosServer", FakeServer)
    monkeypatch.setattr(cli, "time", Clock)
    assert cli.main(["--push-mode", "all", "--push-delay", "0.5"]) == 0
    assert cli.main([]) == 0
    assert [m["push_delay"] for m in made] == [0.5, 0.0] and made[0]["push_mode"] == "all"
