"""TLS verification, proxies and the address server, against real sockets on 127.0.0.1."""
import pytest

import nacos
from nacos.exception import NacosInvalidParam, NacosUnavailable
from nacos.testing import NacosServer
from support.net import AddressServer, ForwardProxy, TLSFront, make_ca
from support.wait import wait_for

pytestmark = pytest.mark.embedded_only


@pytest.fixture(scope="module")
def tls(tmpdir_factory):
    ca, cert, key = make_ca(str(tmpdir_factory.mktemp("ca")))
    srv = NacosServer()
    srv.start()
    front = TLSFront(("127.0.0.1", srv.port), cert, key)
    yield front, ca
    front.stop()
    srv.stop()


def _client(address, **kw):
    kw.setdefault("snapshot_base", None)
    kw.setdefault("failover_base", None)
    return nacos.NacosClient(address, **kw)


def test_https_verifies_certificates_by_default(tls):
    front, _ = tls
    c = _client(front.address)
    with pytest.raises(NacosUnavailable) as info:
        c.get_config("d", "g")
    assert "TLS" in str(info.value) or "certificate" in str(info.value).lower()
    c.stop()


def test_https_with_the_ca_bundle_option(tls):
    front, ca = tls
    c = _client(front.address, tls_verify=ca)
    assert c.publish_config("tls", "g", "secure") and c.get_config("tls", "g") == "secure"
    c.stop()
    c = _client(front.address)
    c.set_options(tls_verify=ca)
    assert c.get_config("tls", "g") == "secure"
    c.stop()


def test_https_explicit_opt_out(tls):
    front, _ = tls
    c = _client(front.address, tls_verify=False)
    assert c.get_config("tls", "g") in ("secure", None)
    c.stop()


def test_proxies_option_is_honoured():
    proxy = ForwardProxy()
    try:
        with NacosServer() as srv:
            c = _client(srv.address, proxies={"http": proxy.url})
            assert c.publish_config("px", "g", "v") and c.get_config("px", "g") == "v"
            assert any("/nacos/v1/cs/configs" in u and u.startswith("http://") for u in proxy.seen)
            c.stop()
    finally:
        proxy.stop()


def test_endpoint_address_server_and_refresh():
    with NacosServer() as a, NacosServer() as b:
        addr = AddressServer("%s\n" % a.address)
        try:
            c = _client(None, endpoint=addr.address, namespace="ns1", address_refresh_interval=0.2)
            assert addr.hits[0] == "/nacos/serverlist?namespace=ns1"
            assert c.server_list == [("127.0.0.1", a.port)]
            c.publish_config("e", "g", "from-a")
            addr.body[0] = "127.0.0.1:%d\n" % b.port
            wait_for(lambda: c.server_list == [("127.0.0.1", b.port)], timeout=5)
            assert c.get_config("e", "g") is None  # b has no such config
            addr.status[0] = 500  # a failing refresh keeps the last list
            n = len(addr.hits)
            wait_for(lambda: len(addr.hits) > n + 2, timeout=5)
            assert c.server_list == [("127.0.0.1", b.port)]
            c.stop()
        finally:
            addr.stop()


def test_endpoint_port_lines_and_failure():
    addr = AddressServer("10.0.0.1:9000\n10.0.0.2\n")
    try:
        c = _client(None, endpoint="http://%s/nacos/serverlist" % addr.address)
        assert c.server_list == [("10.0.0.1", 9000), ("10.0.0.2", 8848)]
        c.stop()
        addr.status[0] = 500
        with pytest.raises(NacosUnavailable):
            _client(None, endpoint=addr.address)
    finally:
        addr.stop()


def test_tls_verify_option_validation():
    with pytest.raises(NacosInvalidParam) as info:
        _client("h:1", tls_verify="/no/such/bundle.pem")
    assert info.value.argument == "tls_verify"
