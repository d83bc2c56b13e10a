"""Username/password tokens and AK/SK signing, checked on the wire (embedded server's request log)."""
import logging

import pytest

import nacos
from nacos.auth import sign
from nacos.exception import NacosForbidden, NacosUnavailable
from nacos.testing import NacosServer
from support.wait import wait_for

pytestmark = pytest.mark.embedded_only


@pytest.fixture
def auth_server():
    srv = NacosServer(auth_enabled=True, users={"alice": "s3cret-pw"}, token_ttl=3600)
    srv.start()
    yield srv
    srv.stop()


def _client(srv, **kw):
    kw.setdefault("snapshot_base", None)
    kw.setdefault("failover_base", None)
    return nacos.NacosClient(srv.address, **kw)


def test_login_puts_credentials_in_the_form_body_and_token_on_every_request(auth_server):
    c = _client(auth_server, username="alice", password="s3cret-pw")
    assert c.publish_config("d", "g", "v") and c.get_config("d", "g") == "v"
    c.add_naming_instance("svc", "1.2.3.4", 80, heartbeat_interval=1)
    wait_for(lambda: len(auth_server.request_log) >= 4)
    login = [r for r in auth_server.request_log if r["path"].endswith("/auth/login")]
    assert len(login) == 1
    assert login[0]["method"] == "POST"
    assert login[0]["form"] == {"username": "alice", "password": "s3cret-pw"}
    assert "password" not in login[0]["query"] and "username" not in login[0]["query"]
    others = [r for r in auth_server.request_log if not r["path"].endswith("/auth/login")]
    assert others and all(r["query"].get("accessToken") == c.token for r in others)
    assert all(r["status"] == 200 for r in others)
    c.stop()


def test_bad_credentials(auth_server):
    c = _client(auth_server, username="alice", password="wrong")  # no login yet: the first call logs in
    assert not [r for r in auth_server.request_log if r["path"].endswith("/auth/login")]
    with pytest.raises(NacosForbidden) as info:
        c.get_config("x", "g")
    assert "alice" in str(info.value) and "wrong" not in str(info.value)
    c.stop()


def test_login_answered_500_says_so(auth_server):
    """Nacos 3.x answers an unknown user or a wrong password with HTTP 500: the error says that much (it
    stays a NacosUnavailable, so a real outage still falls back to snapshots)."""
    auth_server.fail_next(5, status=500, body='{"status":500,"message":"Handle API Compatibility failed"}',
                          path="/auth/login")
    c = _client(auth_server, username="alice", password="wrong")
    with pytest.raises(NacosUnavailable) as info:
        c.get_config("x", "g")
    auth_server.clear_faults()
    c.stop()
    text = str(info.value)
    assert "login failed for user 'alice'" in text and "wrong password" in text and "HTTP 500" in text
    assert info.value.attempts and "wrong" not in text.replace("wrong password", "")


def test_no_credentials_gets_403(auth_server):
    c = _client(auth_server)
    with pytest.raises(NacosForbidden) as info:
        c.publish_config("d", "g", "v")
    assert info.value.status == 403 and str(info.value).startswith("Insufficient privilege.")
    c.stop()


def test_token_is_refreshed_before_ttl_runs_out():
    with NacosServer(auth_enabled=True, users={"u": "p"}, token_ttl=2) as srv:  # renewed after 1 s
        c = _client(srv, username="u", password="p")
        assert c.get_config("x", "g") is None  # the first call logs in
        first = c.token
        wait_for(lambda: c.get_config("x", "g") is None and c.token != first, timeout=5)
        logins = [r for r in srv.request_log if r["path"].endswith("/auth/login")]
        assert len(logins) >= 2
        assert all(r["status"] != 403 for r in srv.request_log)
        c.stop()


def test_relogin_once_after_the_server_rejects_the_token(auth_server):
    c = _client(auth_server, username="alice", password="s3cret-pw")
    c.publish_config("d", "g", "v")
    old = c.token
    auth_server.expire_tokens()
    assert c.get_config("d", "g") == "v"
    assert c.token != old
    statuses = [r["status"] for r in auth_server.request_log if r["path"].endswith("/cs/configs")]
    assert 403 in statuses and statuses[-1] == 200
    c.stop()


def test_get_access_token(auth_server):
    c = _client(auth_server, username="alice", password="s3cret-pw")
    token = c.get_access_token()
    assert token and token == c.token
    logins = lambda: len([r for r in auth_server.request_log if r["path"].endswith("/auth/login")])  # noqa: E731
    before = wait_for(logins)
    assert c.get_access_token(force_refresh=True)
    wait_for(lambda: logins() == before + 1)
    assert c.token_ttl == 3600
    c.stop()


def test_ak_sk_signing_on_the_wire():
    with NacosServer() as srv:
        c = _client(srv, ak="AK1", sk="SK1", namespace="ns1")
        c.publish_config("d", "grp", "v")
        c.add_naming_instance("svc", "1.2.3.4", 80, group_name="grp", heartbeat_interval=1)
        wait_for(lambda: len(srv.request_log) >= 2)
        cfg = [r for r in srv.request_log if r["path"].endswith("/cs/configs")][0]
        h = cfg["headers"]
        assert h["spas-accesskey"] == "AK1"
        assert h["spas-signature"] == sign("ns1+grp+" + h["timestamp"], "SK1")
        ns = [r for r in srv.request_log if r["path"].endswith("/ns/instance")][0]["query"]
        assert ns["ak"] == "AK1" and ns["data"].endswith("@@grp@@svc")
        assert ns["signature"] == sign(ns["data"], "SK1")
        c.stop()


def test_credentials_provider_sts_token():
    class Rotating(nacos.auth.CredentialsProvider):
        calls = 0

        def get_credentials(self):
            Rotating.calls += 1
            return nacos.auth.Credentials("AK", "SK", "sts-%d" % Rotating.calls)

    with NacosServer() as srv:
        c = _client(srv, credentials_provider=Rotating())
        c.get_config("d", "g")
        c.get_config("d", "g")
        wait_for(lambda: len(srv.request_log) >= 2)
        tokens = [r["headers"]["spas-securitytoken"] for r in srv.request_log]
        assert tokens[0] != tokens[1]
        c.stop()


def test_no_secret_in_debug_logs_or_errors(auth_server, caplog):
    caplog.set_level(logging.DEBUG, logger="nacos")
    c = _client(auth_server, username="alice", password="s3cret-pw", ak="AK", sk="topsecret-sk")
    c.publish_config("d", "g", "v")
    c.get_config("d", "g")
    token = c.token
    auth_server.expire_tokens()
    c.get_config("d", "g")
    auth_server.fail_next(1, status=400)
    with pytest.raises(nacos.NacosException) as info:
        c.get_config("d", "g")
    text = caplog.text + str(info.value) + repr(info.value)
    assert caplog.records  # DEBUG logging was really produced
    for secret in ("s3cret-pw", token, c.token, "topsecret-sk"):
        assert secret not in text
    sig = [r["headers"].get("spas-signature") for r in auth_server.request_log if "spas-signature" in r["headers"]]
    assert sig and all(s not in text for s in sig)
    c.stop()
