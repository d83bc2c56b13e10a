"""The API dialect of each server (nacos/dialect.py) as a user meets it: learnt from the 410s, logged once,
shown, re-checked after ``api_recheck_interval``, forced by ``api_version``, never looping."""
import logging

import pytest

import nacos
from nacos.exception import NacosGone, NacosInvalidParam
from nacos.testing import NacosServer
from support.wait import wait_for


def _client(server, **kw):
    kw.setdefault("snapshot_base", None)
    kw.setdefault("failover_base", None)
    kw.setdefault("naming_cache_dir", None)
    return nacos.NacosClient(server.address, **kw)


def _paths(server):
    return [r["path"].rsplit("/nacos", 1)[-1] for r in server.request_log]


def test_learnt_from_the_first_410_logged_once_and_shown(caplog):
    caplog.set_level(logging.INFO, logger="nacos.dialect")
    with NacosServer(v1=False) as srv:
        c = _client(srv)
        assert c.api_dialect("config") == "v1"  # the starting assumption
        for i in range(3):
            assert c.publish_config("d", "g", "v%d" % i) and c.get_config("d", "g") == "v%d" % i
        assert c.api_dialects == {srv.url: {"config": "v3"}}
        assert c.api_dialect("config") == "v3" and c.api_dialect("naming") == "v1"
        lines = [r.getMessage() for r in caplog.records if "no longer serves the v1 config API" in r.getMessage()]
        assert len(lines) == 1 and "/v3/admin/cs/config" in lines[0]
        assert _paths(srv).count("/v1/cs/configs") == 1  # one 410, then v3 only
        gauge = dict((s["labels"]["family"], s["value"]) for s in c.metrics()["nacos_api_dialect"])
        assert gauge["config"] == 3 and gauge["naming"] == 1
        c.stop()


def test_back_to_v1_after_the_recheck_interval_when_the_adapter_is_installed():
    with NacosServer(v1=False) as srv:
        c = _client(srv, api_recheck_interval=1)
        assert c.publish_config("d", "g", "x")
        assert c.api_dialect("config") == "v3"
        srv.v1 = True  # the operator installs the legacy adapter
        wait_for(lambda: c.get_config("d", "g") == "x" and c.api_dialect("config") == "v1", timeout=5)
        srv.clear_log()
        assert c.get_config("d", "g") == "x"
        assert _paths(srv) == ["/v1/cs/configs"]
        c.stop()


def test_a_server_still_without_v1_is_asked_again_and_stays_v3():
    with NacosServer(v1=False) as srv:
        c = _client(srv, api_recheck_interval=1)
        assert c.publish_config("d", "g", "x")
        wait_for(lambda: c.get_config("d", "g") == "x" and "/v1/cs/configs" in _paths(srv)[1:], timeout=5)
        assert c.api_dialect("config") == "v3"
        c.stop()


def test_forced_v3_on_a_server_that_serves_both():
    with NacosServer() as srv:
        c = _client(srv, api_version="v3")
        assert c.publish_config("d", "g", "x") and c.get_config("d", "g") == "x"
        assert c.add_naming_instance("svc", "10.0.0.1", 80, cluster_name="c1")
        assert [h["ip"] for h in c.list_naming_instance("svc")["hosts"]] == ["10.0.0.1"]
        assert not [p for p in _paths(srv) if p.startswith("/v1/")]
        c.stop()


def test_forced_v1_on_a_server_without_v1_raises_the_410():
    with NacosServer(v1=False) as srv:
        c = _client(srv, api_version="v1")
        with pytest.raises(NacosGone) as info:
            c.get_config("d", "g")
        assert "v3/client/cs/config" in str(info.value)
        assert c.api_dialects == {}
        c.stop()


def test_bad_api_version_is_refused_before_any_request():
    with pytest.raises(NacosInvalidParam) as info:
        nacos.NacosClient("127.0.0.1:1", api_version="v2")
    assert "api_version" in str(info.value)


def test_a_flapping_answer_switches_once_per_request_and_raises():
    """v1 says 410 "use v3", v3 says a plain 404 (not the v3 API): one switch each way, then the error."""
    with NacosServer(v1=False) as srv:
        c = _client(srv)
        srv.fail_next(1, status=404, body="<html>not here</html>", path="/v3/client/cs/config")
        with pytest.raises(nacos.exception.NacosNotFound):
            c.get_config("d", "g")
        assert _paths(srv) == ["/v1/cs/configs", "/v3/client/cs/config"]
        srv.clear_log()
        assert c.get_config("d", "g") is None  # the next call: v3 at once
        assert _paths(srv) == ["/v3/client/cs/config"]
        c.stop()
