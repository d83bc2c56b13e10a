"""The retry_window option: more passes over the servers while every one of them fails."""
import threading
import time

import pytest

import nacos
from nacos.exception import NacosServerError, NacosUnavailable
from nacos.policy import ONE_PASS, READ, Timeout
from nacos.testing import NacosServer

pytestmark = pytest.mark.embedded_only


def _client(srv, **kw):
    return nacos.NacosClient(srv.address, snapshot_base=None, failover_base=None, **kw)


def test_default_is_one_pass():
    with NacosServer() as srv:
        c = _client(srv)
        srv.fail_next(2, status=500)
        with pytest.raises(NacosUnavailable):
            c.publish_config("w", "g", "v")
        assert len([r for r in srv.request_log if r["method"] == "POST"]) == 1
        c.stop()


def test_window_rides_out_an_election():
    with NacosServer() as srv:
        c = _client(srv, retry_window=10)
        srv.fail_next(5, status=500)  # like every node refusing writes while a leader is elected
        assert c.publish_config("w", "g", "v") is True
        assert [r["status"] for r in srv.request_log if r["method"] == "POST"] == [500] * 5 + [200]
        c.stop()


def test_window_is_bounded_and_skips_non_idempotent_requests():
    with NacosServer() as srv:
        c = _client(srv, retry_window=1)
        srv.fail_next(10 ** 6, status=503)
        started = time.time()
        with pytest.raises(NacosUnavailable) as info:
            c.get_config("w", "g")
        assert 1.0 <= time.time() - started < 3.0
        assert len(info.value.attempts) >= 3
        srv.clear_faults()
        srv.clear_log()
        srv.fail_next(1, status=500)
        with pytest.raises(NacosServerError):
            c.publish_config("w", "g", "v", cas_md5="x")  # not idempotent: never repeated
        assert len(srv.request_log) == 1
        c.stop()


def test_stop_ends_the_wait():
    with NacosServer() as srv:
        c = _client(srv, retry_window=30)
        srv.fail_next(10 ** 6, status=503)
        errors = []

        def call():
            try:
                c.get_config("w", "g")
            except NacosUnavailable as exc:
                errors.append(exc)

        t = threading.Thread(target=call)
        t.start()
        time.sleep(0.5)
        c.stop()
        t.join(3)
        assert not t.is_alive() and errors


def test_cluster_rebalancing_400_is_retried_like_a_503():
    body = ('{"timestamp":"2026-11-21T07:54:38.544+00:00","status":400,"error":"Bad Request",'
            '"message":"receive invalid redirect request from peer 127.0.0.1","path":"/nacos/v1/ns/instance"}')
    with NacosServer() as srv:
        c = _client(srv, retry_window=10, managed_heartbeat=False)
        srv.fail_next(3, status=400, body=body, path="/ns/instance")
        assert c.add_naming_instance("svc", "10.0.0.1", 80) is True
        srv.fail_next(1, status=400, body="caused: Param 'ip' is required.;", path="/ns/instance")
        with pytest.raises(nacos.exception.NacosBadRequest):  # an ordinary 400 is never retried
            c.add_naming_instance("svc", "10.0.0.2", 80)
        c.stop()


def test_a_call_can_turn_the_window_off_and_set_a_deadline():
    with NacosServer() as srv:
        c = _client(srv, retry_window=30)
        srv.fail_next(10 ** 6, status=503)
        with pytest.raises(NacosUnavailable):
            c._transport.request("GET", "/v1/cs/configs", params={"dataId": "w", "group": "g"},
                                 retry=ONE_PASS)
        assert len(srv.request_log) == 1  # one pass, whatever the option says
        srv.clear_log()
        srv.clear_faults()
        srv.delay(5, path="/v1/cs/configs")
        with pytest.raises(NacosUnavailable):  # the try is cut at the call's total, no other starts
            c._transport.request("GET", "/v1/cs/configs", params={"dataId": "w", "group": "g"},
                                 timeout=Timeout(total=0.5))
        srv.clear_faults()
        with pytest.raises(nacos.exception.NacosConnectionError):
            c._transport.request("GET", "/v1/cs/configs", params={"dataId": "w", "group": "g"},
                                 retry=READ.new(interrupt=lambda: True))
        c.stop()


def test_every_call_has_a_total_deadline():
    """Without a Timeout(total=...), a call still ends by its retry window plus one pass over the servers:
    two hanging servers, 0.3 s timeouts, no window."""
    from nacos.compat import monotonic
    with NacosServer() as one, NacosServer() as two:
        c = nacos.NacosClient("%s,%s" % (one.address, two.address), snapshot_base=None, failover_base=None,
                              default_timeout=0.3)
        for srv in (one, two):
            srv.delay(5, path="/v1/cs/configs")
        started = monotonic()
        with pytest.raises(NacosUnavailable) as info:
            c._transport.request("GET", "/v1/cs/configs", params={"dataId": "w", "group": "g"})
        assert monotonic() - started < 4.0  # the bound is (2 servers + 1) x (0.3 + 0.3) s = 1.8 s
        assert len(info.value.attempts) == 2
        for srv in (one, two):
            srv.clear_faults()
        c.stop()
