"""Transport rotation, retry and error rules under injected faults (embedded server only)."""
import time

import os

import pytest

import nacos
from nacos.exception import (NacosBadRequest, NacosConnectionError, NacosServerError, NacosTimeout,
                             NacosUnavailable)
from nacos.testing import NacosServer

pytestmark = pytest.mark.embedded_only


@pytest.fixture
def two_servers():
    a, b = NacosServer(), NacosServer()
    a.start()
    b.start()
    yield a, b
    a.stop()
    b.stop()


def _client(*servers, **kw):
    kw.setdefault("snapshot_base", None)
    kw.setdefault("failover_base", None)
    return nacos.NacosClient(",".join(s.address for s in servers), **kw)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_moves_to_the_next_server(two_servers, status):
    a, b = two_servers
    c = _client(a, b)
    a.fail_next(1, status=status)
    assert c.publish_config("d", "g", "v") is True
    assert c.current_server[1] == b.port
    assert [r["status"] for r in a.request_log] == [status]
    assert len(b.request_log) == 1
    c.stop()


def test_4xx_is_raised_without_rotation(two_servers):
    a, b = two_servers
    c = _client(a, b)
    a.fail_next(1, status=400, body="caused: bad;")
    with pytest.raises(NacosBadRequest) as info:
        c.get_config("d", "g")
    assert info.value.status == 400 and "bad" in info.value.server_message
    assert b.request_log == [] and c.current_server[1] == a.port
    c.stop()


def test_hanging_server_costs_one_timeout_then_rotation(two_servers):
    a, b = two_servers
    c = _client(a, b, default_timeout=0.5)
    a.delay(5)
    c.publish_config("d", "g", "v")
    a.clear_faults()
    assert c.get_config("d", "g") == "v"
    assert c.current_server[1] == b.port
    second = time.time()
    assert c.get_config("d", "g") == "v"  # sticky: no second timeout
    assert time.time() - second < 0.4
    c.stop()


def test_non_idempotent_request_is_not_repeated_after_it_may_have_run(two_servers):
    a, b = two_servers
    c = _client(a, b)
    c.publish_config("cas", "g", "v1")
    a.clear_log()
    b.clear_log()
    a.fail_next(1, status=500)
    with pytest.raises(NacosServerError):
        c.publish_config("cas", "g", "v2", cas_md5=c.get_md5("v1"))
    assert [r["status"] for r in a.request_log if r["method"] == "POST"] == [500]
    assert b.request_log == []
    a.drop_next(1, method="POST")
    with pytest.raises(NacosConnectionError):
        c.naming._naming_api.create_service("svc-x", "DEFAULT_GROUP")
    assert b.request_log == []
    c.stop()


def test_idempotent_request_survives_a_dropped_connection(two_servers):
    a, b = two_servers
    c = _client(a, b)
    a.drop_next(2)
    assert c.publish_config("drop", "g", "v") is True
    c.stop()


def test_read_timeout_of_non_idempotent_request_raises_timeout(two_servers):
    a, b = two_servers
    c = _client(a, b, default_timeout=0.3)
    a.delay(2, method="POST")
    with pytest.raises(NacosTimeout):
        c.publish_config("t", "g", "v", cas_md5="")
    c.stop()


def test_all_servers_5xx(two_servers):
    a, b = two_servers
    c = _client(a, b)
    a.fail_next(1, status=503)
    b.fail_next(1, status=503)
    with pytest.raises(NacosUnavailable) as info:
        c.get_config("d", "g")
    assert info.value.status == 503
    assert [s for s, _ in info.value.attempts] == ["http://" + a.address, "http://" + b.address]
    c.stop()


def test_server_restart_on_the_same_port_with_pooled_connections():
    with NacosServer() as srv:
        c = _client(srv)
        c.publish_config("r", "g", "1")
        srv.restart()
        assert c.get_config("r", "g") == "1"
        srv.restart(wipe=True)
        assert c.get_config("r", "g") is None
        c.stop()


def test_context_path_option():
    with NacosServer(context_path="/custom/ctx") as srv:
        c = _client(srv, context_path="/custom/ctx/")
        assert c.publish_config("cp", "g", "v") and c.get_config("cp", "g") == "v"
        c.stop()
        c2 = _client(srv, context_path="")
        with pytest.raises(nacos.exception.NacosNotFound):
            c2.publish_config("cp", "g", "v")
        with pytest.raises(nacos.exception.NacosNotFound) as info:  # not the config API's "does not exist"
            c2.get_config("cp", "g")
        assert "context_path" in str(info.value)
        c2.stop()


def test_a_404_that_is_not_config_missing_keeps_the_snapshot(tmp_path):
    """An ingress or a wrong path answering 404 is no "config deleted": the snapshot serves and stays."""
    with NacosServer() as srv:
        c = _client(srv, snapshot_base=str(tmp_path / "snap"))
        assert c.publish_config("keep", "g", "v1") and c.get_config("keep", "g") == "v1"
        srv.fail_next(2, status=404, body="<html>404 Not Found</html>", path="/v1/cs/configs")
        assert c.get_config("keep", "g") == "v1"  # served from the snapshot
        assert c.get_config("keep", "g") == "v1"
        assert _files_named(tmp_path / "snap", "keep") != []
        assert c.get_config("keep", "g") == "v1"  # from the server again
        assert c.remove_config("keep", "g")
        assert c.get_config("keep", "g") is None  # the server's own "config data not exist"
        assert _files_named(tmp_path / "snap", "keep") == []
        c.stop()


def _files_named(base, part):
    return [name for _, _, names in os.walk(str(base)) for name in names if part in name]
