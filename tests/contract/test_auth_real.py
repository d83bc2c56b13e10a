"""Auth against a server that requires it: login, token refresh, 403 handling.

Run when ``NACOS_USERNAME``/``NACOS_PASSWORD`` are set (a real server started with ``--auth``, e.g.
``scripts/real-nacos start 2.x --auth --token-ttl 10``); without them an embedded auth server is used, so the
tests always run. The token lifetime is what the login answered (``tokenTtl``).
"""
import os
import time

import pytest
from support.wait import settles

import nacos
from nacos.exception import NacosForbidden, NacosUnavailable

USERNAME = os.environ.get("NACOS_USERNAME")
PASSWORD = os.environ.get("NACOS_PASSWORD")
REAL = os.environ.get("NACOS_SERVER_ADDR", "").strip()


@pytest.fixture(scope="module")
def auth_address():
    if REAL:
        if not USERNAME:
            pytest.skip("the real server runs without auth (set NACOS_USERNAME/NACOS_PASSWORD)")
        yield REAL, USERNAME, PASSWORD
        return
    from nacos.testing import NacosServer
    srv = NacosServer(auth_enabled=True, token_ttl=4)
    srv.start()
    try:
        yield srv.address, "nacos", "nacos"
    finally:
        srv.stop()


def _client(address, tmpdir, **kwargs):
    opts = dict(snapshot_base=str(tmpdir.join("snap")), failover_base=str(tmpdir.join("fo")),
                naming_cache_dir=None)
    opts.update(kwargs)
    return nacos.NacosClient(address, **opts)


def test_login_and_calls_with_the_token(auth_address, tmpdir, group):
    address, user, password = auth_address
    c = _client(address, tmpdir, username=user, password=password)
    try:
        assert c.publish_config("auth-1", group, "v") is True
        assert settles(lambda: c.get_config("auth-1", group), "v")
        assert c.add_naming_instance("auth-svc", "10.50.0.1", 80, group_name=group)
        assert settles(lambda: [h["ip"] for h in c.list_naming_instance("auth-svc", group_name=group)["hosts"]],
                       ["10.50.0.1"])
        assert c.remove_naming_instance("auth-svc", "10.50.0.1", 80, group_name=group)
        assert c.remove_config("auth-1", group) is True
    finally:
        c.stop()


def test_no_credentials_and_wrong_password_are_403(auth_address, tmpdir, group):
    address, user, _ = auth_address
    anonymous = _client(address, tmpdir)
    made = []
    try:
        with pytest.raises(NacosForbidden):
            anonymous.get_config("auth-2", group)
        with pytest.raises(NacosForbidden):
            anonymous.publish_config("auth-2", group, "x")
        with pytest.raises(NacosForbidden):
            anonymous.list_naming_instance("auth-svc", group_name=group)
        # the login (at construction or at the first call) is refused: 403, or on Nacos 3.x an HTTP 500
        # (its login does not map the unknown-user/bad-password exception), which the error names
        with pytest.raises((NacosForbidden, NacosUnavailable)) as info:
            made.append(_client(address, tmpdir, username=user, password="not-the-password"))
            made[0].get_config("auth-2", group)
        if isinstance(info.value, NacosUnavailable):
            assert "wrong password" in str(info.value)
            assert all(reason.startswith("HTTP 500") for _, reason in info.value.attempts)
    finally:
        anonymous.stop()
        for c in made:
            c.stop()


def test_token_is_renewed_when_the_ttl_runs_out(auth_address, tmpdir, group):
    """With a short TTL (``--token-ttl``), calls keep working across several token lifetimes."""
    address, user, password = auth_address
    c = _client(address, tmpdir, username=user, password=password)
    try:
        c.publish_config("auth-3", group, "v")
        assert settles(lambda: c.get_config("auth-3", group), "v")
        ttl = float(c.token_ttl)
        if ttl > 30:
            pytest.skip("the server's token TTL is %ss: start it with --token-ttl <= 30" % ttl)
        first = c.token
        deadline = time.time() + 2.5 * ttl
        while time.time() < deadline:
            assert c.get_config("auth-3", group) == "v"   # never a 403 across the expiry
            time.sleep(0.5)
        assert c.token != first
        c.remove_config("auth-3", group)
    finally:
        c.stop()
