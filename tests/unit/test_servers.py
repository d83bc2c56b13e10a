import pytest

from nacos.exception import NacosInvalidParam
from nacos.servers import (ServerList, address_server_url, parse_address, parse_addresses,
                           parse_server_list_body)


@pytest.mark.parametrize("text, url", [
    ("10.0.0.5", "http://10.0.0.5:8848"),
    ("10.0.0.5:9000", "http://10.0.0.5:9000"),
    (" nacos.local:8848 ", "http://nacos.local:8848"),
    ("http://h:8848", "http://h:8848"),
    ("https://h:8443", "https://h:8443"),
    ("https://h", "https://h:443"),
    ("http://h/", "http://h:80"),
    ("[::1]:8848", "http://[::1]:8848"),
    ("[::1]", "http://[::1]:8848"),
    ("::1", "http://[::1]:8848"),
    ("https://[fe80::1]:9443", "https://[fe80::1]:9443"),
    ("HTTP://h:1", "http://h:1"),
])
def test_parse_address_forms(text, url):
    assert parse_address(text).url == url


@pytest.mark.parametrize("text", [
    "", "h:abc", "h:0", "h:70000", "ftp://h:21", "http://h:8848/nacos", "[::1", "[::1]x",
    "http://user:pw@h:1", "h h:1", "h:-1",
])
def test_parse_address_rejects(text):
    with pytest.raises(NacosInvalidParam) as info:
        parse_address(text)
    assert info.value.argument == "server_addresses"
    assert isinstance(info.value, ValueError)


def test_user_info_is_refused_without_echoing_the_password():
    with pytest.raises(NacosInvalidParam) as info:
        parse_address("http://admin:s3cret@h:8848")
    assert "s3cret" not in str(info.value) and "***@h:8848" in str(info.value)


def test_parse_addresses_list_spaces_and_duplicates():
    servers = parse_addresses(" a:1 , b ,a:1,, https://c:3")
    assert [s.url for s in servers] == ["http://a:1", "http://b:8848", "https://c:3"]
    assert [s.legacy for s in servers] == [("a", 1), ("b", 8848), ("https://c", 3)]
    assert [s.url for s in parse_addresses(["a:1", "b:2,c:3"])] == ["http://a:1", "http://b:2", "http://c:3"]


@pytest.mark.parametrize("value", [None, 12, " , ", [1]])
def test_parse_addresses_rejects_types(value):
    with pytest.raises(NacosInvalidParam):
        parse_addresses(value)


def test_server_list_rotation_is_sticky_and_single_per_failure():
    servers = ServerList(parse_addresses("a:1,b:2,c:3"))
    assert servers.current().host == "a"
    a = servers.current()
    servers.rotate(a)
    servers.rotate(a)  # a second failure report for the same server does not skip b
    assert servers.current().host == "b"
    assert [s.host for s in servers.attempt_order()] == ["b", "c", "a"]
    servers.rotate()
    servers.rotate()
    assert servers.current().host == "a"


def test_server_list_replace_keeps_current():
    servers = ServerList(parse_addresses("a:1,b:2"))
    servers.rotate()
    servers.replace(parse_addresses("x:1,b:2"))
    assert servers.current().host == "b"
    servers.replace(parse_addresses("y:1"))
    assert servers.current().host == "y"
    servers.replace([])  # an empty refresh keeps the list
    assert servers.current().host == "y"


def test_server_list_body():
    body = "10.0.0.1\n10.0.0.2:9999\n\n# comment\nbad:port:x:y:\n10.0.0.1\n"
    assert [s.url for s in parse_server_list_body(body)] == ["http://10.0.0.1:8848", "http://10.0.0.2:9999"]


@pytest.mark.parametrize("endpoint, ns, url", [
    ("addr.local", None, "http://addr.local:8080/nacos/serverlist"),
    ("addr.local:9090", "ns1", "http://addr.local:9090/nacos/serverlist?namespace=ns1"),
    ("https://addr.local:443/custom/list", "", "https://addr.local:443/custom/list"),
    ("http://addr.local/x?a=1", "n", "http://addr.local:8080/x?a=1&namespace=n"),
])
def test_address_server_url(endpoint, ns, url):
    assert address_server_url(endpoint, ns) == url
