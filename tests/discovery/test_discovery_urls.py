"""URL splitting/joining and the host rule (pure functions)."""
import pytest

from nacos.auto.discovery import settings as S
from nacos.auto.discovery import urls


@pytest.mark.parametrize("url, parts", [
    ("http://orders/a/b?x=1#f", ("http", "", "orders", None, "/a/b?x=1#f")),
    ("https://u:p@Orders:8443", ("https", "u:p@", "Orders", 8443, "")),
    ("http://orders:80/x", ("http", "", "orders", None, "/x")),          # default port = no port
    ("https://orders:443?q", ("https", "", "orders", None, "?q")),
    ("http://[::1]:9000/x", ("http", "", "::1", 9000, "/x")),
    ("http://svc#frag", ("http", "", "svc", None, "#frag")),
    ("http://a@b@svc:81/p@q", ("http", "a@b@", "svc", 81, "/p@q")),
])
def test_split(url, parts):
    assert urls.split(url) == parts


def test_split_needs_an_authority():
    assert urls.split("mailto:x@y") is None


def test_join_keeps_everything_but_the_authority():
    parts = urls.split("https://u:p@orders:8443/a%20b?x=%2F#f")
    assert urls.join(parts, "10.0.0.5", 8080) == "https://u:p@10.0.0.5:8080/a%20b?x=%2F#f"
    assert urls.join(urls.split("http://svc/x"), "fe80::1", 81) == "http://[fe80::1]:81/x"


def settings(**options):
    return S.build(load=False, **options)


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "::1", "fe80::1", "localhost", "LOCALHOST",
                                  "api.localhost", ""])
def test_ip_literals_and_localhost_always_pass(host):
    assert urls.classify(host, settings(services=["*"]))[0] == urls.PASS


def test_names_are_candidates_unless_configured_otherwise():
    assert urls.classify("orders", settings()) == (urls.CANDIDATE, "orders")
    assert urls.classify("orders", settings(lookup_unknown=False)) == (urls.PASS, None)
    assert urls.classify("api.example.com", settings(passthrough=["*.com"])) == (urls.PASS, None)
    assert urls.classify("orders", settings(services="ord*,pay*")) == (urls.SERVICE, "orders")
    assert urls.classify("orders", settings(aliases={"Orders": "OrderService"})) == (urls.SERVICE, "OrderService")
    assert urls.classify("bad@@name", settings()) == (urls.PASS, None)  # not a valid service name: DNS


def test_per_call_options_override_the_settings():
    base = settings(group="shop", cluster="a,b", metadata={"v": "1"}, strategy="random", retries=4)
    assert S.call_options(base, None) == ("shop", "a,b", {"v": "1"}, "random", 4)
    assert S.call_options(base, {"group": "g2", "cluster": [], "metadata": "v=2", "strategy": "round-robin",
                                 "retries": 0}) == ("g2", "", {"v": "2"}, "round_robin", 0)
    with pytest.raises(ValueError) as info:
        S.call_options(base, {"grup": "x"})
    assert "grup" in str(info.value)
