# -*- coding: utf-8 -*-
"""What happens when things go wrong: mixed server failures, malformed answers, clock jumps, many threads,
repeated create/use/stop. Embedded server only (fault injection)."""
import gzip
import io
import json
import os
import socket
import threading
import time

import pytest

import nacos
from nacos.exception import NacosException, NacosResponseError
from nacos.testing import NacosServer
from support.net import dead_address
from support.wait import wait_for

pytestmark = pytest.mark.embedded_only


def _client(address, tmpdir, **kw):
    opts = dict(failover_base=str(tmpdir.join("fo")), snapshot_base=str(tmpdir.join("sn")),
                naming_cache_dir=str(tmpdir.join("nc")))
    opts.update(kw)
    return nacos.NacosClient(address, **opts)


@pytest.fixture
def servers():
    made = [NacosServer(long_poll_min_hold=1.0) for _ in range(3)]
    for s in made:
        s.start()
    yield made
    for s in made:
        s.stop()


def test_dead_503_and_hanging_servers_cost_no_user_visible_error(servers, tmpdir):
    failing, hanging, good = servers
    failing.fail_next(10 ** 6, status=503)
    hanging.delay(30)
    c = _client(",".join([dead_address(), failing.address, hanging.address, good.address]), tmpdir,
                default_timeout=0.5, heartbeat_interval=0.2)
    started = time.time()
    assert c.publish_config("mix", "g", "v1") is True
    first = time.time() - started
    assert first < 0.5 + 1.5  # one refused connect, one 503, one timeout
    assert c.current_server[1] == good.port
    seen = []
    c.add_config_watcher("mix", "g", lambda p: seen.append(p["content"]))
    c.add_naming_instance("svc", "10.0.0.1", 80)
    events = []
    c.subscribe("svc", events.append)
    started = time.time()
    for i in range(20):  # sticky: no further timeouts
        assert c.get_config("mix", "g") == "v1"
    assert time.time() - started < 0.5
    c.publish_config("mix", "g", "v2")
    wait_for(lambda: seen and seen[-1] == "v2")
    wait_for(lambda: events and events[-1]["hosts"])
    wait_for(lambda: len([r for r in good.request_log if r["path"].endswith("/beat")]) >= 3)
    c.stop()


def test_malformed_answers_are_survived(tmpdir):
    with NacosServer(push_mode="all") as srv:  # the push brings the change whatever the poll back-off is
        c = _client(srv.address, tmpdir, heartbeat_interval=0.2)
        for body in ('{"hosts": [{"ip": "1.1', '"just a string"', '{"hosts": "x"}', "x" * (5 * 1024 * 1024)):
            srv.fail_next(1, status=200, body=body, path="/instance/list")
            try:
                info = c.list_naming_instance("svc")
            except NacosResponseError as exc:
                assert exc.status == 200
            else:
                assert info["hosts"] == []  # wrong types are normalised to an empty list
        srv.fail_next(1, status=200, body="<html>not json", path="/auth")
        # beats and subscriptions keep going after garbage answers
        c.add_naming_instance("svc", "10.0.0.1", 80)
        srv.fail_next(3, status=200, body='{"code": "x", "clientBeatInterval": "soon"}', path="/beat")
        events = []
        c.subscribe("svc", events.append)
        srv.fail_next(1, status=200, body='[1, 2', path="/instance/list")
        c.add_naming_instance("svc", "10.0.0.2", 80)
        wait_for(lambda: events and len(events[-1]["hosts"]) == 2, timeout=10)
        wait_for(lambda: len([r for r in srv.request_log if r["path"].endswith("/beat") and r["status"] == 200])
                 >= 6)
        c.stop()


def test_forged_and_broken_udp_packets_are_dropped(tmpdir):
    with NacosServer(push_mode="all") as srv:
        c = _client(srv.address, tmpdir)
        c.add_naming_instance("udp", "10.0.0.1", 80, heartbeat_interval=1)
        events = []
        c.subscribe("udp", events.append)
        wait_for(lambda: srv.push_log)
        target = srv.push_log[-1]["target"]
        if isinstance(target, (tuple, list)):
            host, port = target
        else:
            host, port = target.rsplit(":", 1)
        forged = json.dumps({"type": "dom", "lastRefTime": 10 ** 18, "data": json.dumps(
            {"name": "DEFAULT_GROUP@@udp", "hosts": [], "lastRefTime": 10 ** 15})}).encode("utf-8")
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb") as gz:
            gz.write(b"not json at all")
        for payload in (b"\x1f\x8b\x08garbage", buf.getvalue(), b"{", forged):
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.sendto(payload, (host, int(port)))
            sock.close()
        before = len(events)
        c.add_naming_instance("udp", "10.0.0.2", 80, heartbeat_interval=1)
        wait_for(lambda: len(events) > before and len(events[-1]["hosts"]) == 2)
        assert all(e["hosts"] for e in events)  # the forged empty list never arrived
        c.stop()


def test_clock_jumps_do_not_disturb_heartbeats(monkeypatch, tmpdir):
    with NacosServer() as srv:
        c = _client(srv.address, tmpdir, heartbeat_interval=0.1)
        c.add_naming_instance("clock", "10.0.0.1", 80)
        beats = lambda: len([r for r in srv.request_log if r["path"].endswith("/beat")])  # noqa: E731
        wait_for(lambda: beats() >= 2)
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() - 3600)  # the wall clock jumps an hour back
        n = beats()
        wait_for(lambda: beats() >= n + 5, timeout=5)
        monkeypatch.setattr(time, "time", lambda: real() + 86400)  # and a day forward
        n = beats()
        wait_for(lambda: beats() >= n + 5, timeout=5)
        c.stop()


def test_32_threads_at_once(tmpdir):
    with NacosServer() as srv:
        c = _client(srv.address, tmpdir, heartbeat_interval=0.5)
        c.publish_config("hot", "g", "v")
        errors = []
        barrier = threading.Event()

        def noop(params):
            return None

        def work(i):
            try:
                barrier.wait()
                for j in range(10):
                    assert c.get_config("hot", "g") is not None
                    c.publish_config("k%d" % i, "g", "v%d" % j)
                    c.add_config_watcher("k%d" % i, "g", noop)
                    c.add_naming_instance("svc%d" % (i % 4), "10.0.%d.%d" % (i, j), 80)
                    c.list_naming_instance("svc%d" % (i % 4))
                    c.remove_config_watcher("k%d" % i, "g", noop, remove_all=True)
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(32)]
        for t in threads:
            t.start()
        barrier.set()
        for t in threads:
            t.join(60)
        assert not [t for t in threads if t.is_alive()], "deadlock"
        assert errors == []
        c.stop()


def _client_threads():
    return [t for t in threading.enumerate() if not t.name.startswith("nacos-testing-")]


def _fds():
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        pytest.skip("no /proc/self/fd")


def test_100_full_cycles_leave_no_thread_socket_or_file(tmpdir):
    with NacosServer(push_mode="all") as srv:
        def cycle(i):
            with _client(srv.address, tmpdir, heartbeat_interval=0.5) as c:
                c.publish_config("cyc", "g", "v%d" % i)
                got = []
                c.add_config_watcher("cyc", "g", got.append)
                c.add_naming_instance("cyc", "10.0.0.1", 80)
                c.subscribe("cyc", lambda e: None)
                c.list_naming_instance("cyc")
                wait_for(lambda: got)

        baseline = len(_client_threads())
        cycle(0)
        wait_for(lambda: len(_client_threads()) <= baseline)
        threads, fds = len(_client_threads()), _fds()
        for i in range(1, 101):
            cycle(i)
        wait_for(lambda: len(_client_threads()) <= threads, message="threads leaked: %s" % _client_threads())
        wait_for(lambda: _fds() <= fds + 3, timeout=10, message="file descriptors leaked")


def test_nacos_exception_is_the_root_of_everything_raised(tmpdir):
    c = _client(dead_address(), tmpdir)
    for call in (lambda: c.get_config("d", "g"), lambda: c.list_naming_instance("s"),
                 lambda: c.add_naming_instance("s", "1.1.1.1", 1), lambda: c.publish_config("d", "g", "c")):
        with pytest.raises(NacosException):
            call()
    c.stop()
