"""configure(): the shared settings loader (nacos.yaml / env), keyword overrides, validation, laziness."""
import os
import time
import uuid

import pytest

from discovery_support import Backend, dead_address, list_calls
from nacos.auto.discovery import configure, get_discovery, reset
from nacos.auto.discovery import settings as S
from nacos.auto.discovery.ext import requests as nacos_requests  # imported before any chdir (Python 2)
from nacos.exception import NacosInvalidParam


@pytest.fixture(autouse=True)
def clean(monkeypatch, tmpdir):
    monkeypatch.chdir(str(tmpdir))
    for name in ("NACOS_SERVER", "NACOS_NAMESPACE", "NACOS_DISCOVERY_STRATEGY", "NACOS_DISCOVERY_GROUP",
                 "NACOS_SERVICE_GROUP", "NACOS_DISCOVERY_RETRIES", "NACOS_USERNAME", "NACOS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    yield
    reset()


def test_defaults_without_file_or_env():
    d = get_discovery()
    assert d is get_discovery()
    assert (d.settings.server, d.settings.namespace, d.settings.group) == (["127.0.0.1:8848"], "", "DEFAULT_GROUP")
    assert (d.settings.strategy, d.settings.retries, d.settings.empty_protection) == ("round_robin", 2, True)
    assert d._client is None  # nothing connects until the first lookup


def test_reads_the_same_nacos_yaml_as_auto_registration(tmpdir):
    tmpdir.join("nacos.yaml").write(
        "nacos:\n  server: 10.9.9.9:8848\n  namespace: dev\n"
        "service:\n  group: shop\n"
        "discovery:\n  strategy: weighted_random\n  retries: 5\n  cluster: a,b\n  metadata: {version: '2'}\n")
    d = configure()
    s = d.settings
    assert (s.server, s.namespace, s.group, s.strategy, s.retries) == (["10.9.9.9:8848"], "dev", "shop",
                                                                       "weighted_random", 5)
    assert (s.clusters, s.metadata) == ("a,b", {"version": "2"})
    assert configure(strategy="random", group="g2").settings.strategy == "random"  # keywords win
    assert d._closed  # the previous one was closed


def test_environment_beats_the_file(tmpdir, monkeypatch):
    tmpdir.join("nacos.yaml").write("nacos:\n  server: 10.9.9.9:8848\n")
    monkeypatch.setenv("NACOS_SERVER", "10.8.8.8:8848")
    monkeypatch.setenv("NACOS_DISCOVERY_STRATEGY", "random")
    s = configure().settings
    assert (s.server, s.strategy, s.sources["server"]) == (["10.8.8.8:8848"], "random", "env NACOS_SERVER")


@pytest.mark.parametrize("name, value", [("strategy", "fastest"), ("retries", -1), ("server", ""),
                                         ("failure_ttl", "x"), ("services", 5), ("aliases", ["a"]),
                                         ("no_such_option", 1)])
def test_bad_options_are_named(name, value):
    with pytest.raises(NacosInvalidParam) as info:
        configure(load=False, **{name: value})
    assert name in str(info.value)


def test_client_kwargs_carry_credentials_and_options():
    s = S.build(load=False, server="a:1,b:2", namespace="ns", username="u", password="p", timeout=7,
                empty_protection=False, client_options={"udp_push": False})
    assert s.client_kwargs() == dict(server_addresses="a:1,b:2", namespace="ns", username="u", password="p",
                                     ak=None, sk=None, default_timeout=7.0, push_empty_protection=False,
                                     naming_cache_dir=None, udp_push=False)
    assert "'password': '***'" in repr(s)


def test_unreachable_nacos_sends_names_to_dns_and_ip_urls_still_work(caplog):
    import requests
    backend, proxy = Backend("b"), Backend("proxy")
    try:
        configure(load=False, server=dead_address(), timeout=0.5, client_options={"naming_cache_dir": None})
        assert nacos_requests.get("http://%s/x" % backend.address, timeout=5).json()["id"] == "b"
        r = nacos_requests.get("http://orders/x", proxies={"http": "http://" + proxy.address}, timeout=5)
        assert r.json()["path"] == "http://orders/x"
        assert "cannot ask Nacos whether 'orders' is a service" in caplog.text
        with pytest.raises(Exception) as info:  # a services pattern never falls back to DNS
            configure(load=False, server=dead_address(), timeout=0.5, services=["orders"],
                      client_options={"naming_cache_dir": None})
            nacos_requests.get("http://orders/x", timeout=5)
        assert "cannot look up service 'orders'" in str(info.value)
        assert not isinstance(info.value, requests.ConnectionError)
        since = len(caplog.records)
        with pytest.raises(Exception) as again:  # answered from memory for a few seconds
            nacos_requests.get("http://orders/y", timeout=5)
        assert again.value is info.value and len(caplog.records) == since
    finally:
        backend.kill()
        proxy.kill()


def test_unknown_names_are_asked_again_after_unknown_ttl(nacos_push_server, make_discovery):
    d = make_discovery(unknown_ttl=0)
    since = len(nacos_push_server.request_log)
    for _ in range(2):
        assert d.start("http://not-there-x2/", "GET") is None
    assert len(list_calls(nacos_push_server, "not-there-x2", since)) == 2


def test_a_caller_started_before_its_backend_finds_it_soon_and_writes_no_files(
        nacos_push_server, registrar, make_discovery, tmpdir, monkeypatch):
    """Defaults (``unknown_ttl`` 2 s, no naming cache on disk): a name Nacos does not know yet goes to DNS,
    and once the backend registers the caller finds it within ``unknown_ttl`` (was 30 s); nothing is written
    into the working directory (was ``./nacos-data/naming/...``, unknown names included)."""
    from support.wait import wait_for
    monkeypatch.chdir(str(tmpdir))
    d = make_discovery(client_options={})
    assert d.settings.unknown_ttl == 2.0
    service = "late-%s" % uuid.uuid4().hex[:8]
    assert d.start("http://%s/echo" % service, "GET") is None  # not a service (yet): DNS
    backend = Backend("late")
    try:
        registrar.add_naming_instance(service, "127.0.0.1", backend.port)
        registered = time.time()
        call = wait_for(lambda: d.start("http://%s/echo" % service, "GET"), timeout=15.0)
        assert time.time() - registered < 15.0, "the 30 s unknown-name memory of before would not pass"
        assert call is not None
        assert os.listdir(str(tmpdir)) == []
    finally:
        registrar.remove_naming_instance(service, "127.0.0.1", backend.port)
        backend.kill()
