# -*- coding: utf-8 -*-
import pytest

from nacos import params as P
from nacos.exception import NacosInvalidParam


def _bad(fn, value, argument):
    with pytest.raises(NacosInvalidParam) as info:
        fn(value)
    assert info.value.argument == argument
    assert argument in str(info.value)
    return info.value


@pytest.mark.parametrize("value", ["", "  ", "a b", "a/b", "a+b", "x" * 257, None, 5, "a@b", u"a\u0000"])
def test_data_id_rejects(value):
    _bad(P.data_id, value, "data_id")


@pytest.mark.parametrize("value", ["a", "app.yaml", "a-b_c:d", "x" * 256, u"配置", b"bytes-ok"])
def test_data_id_accepts(value):
    assert P.data_id(value)


def test_group_defaults_and_limits():
    assert P.group(None) == "DEFAULT_GROUP"
    assert P.group("  ") == "DEFAULT_GROUP"
    assert P.group("G1") == "G1"
    _bad(P.group, "x" * 129, "group")
    _bad(P.group, "a&b", "group")


def test_namespace():
    assert P.namespace(None) == ""
    assert P.namespace("ns-1_a") == "ns-1_a"
    _bad(P.namespace, "../etc", "namespace")
    _bad(P.namespace, "a" * 129, "namespace")


def test_content():
    e = _bad(P.content, None, "content")
    assert "Can not publish none content" in str(e)
    _bad(P.content, "   ", "content")
    _bad(P.content, b"\xff\xfe", "content")
    assert P.content(u"中文".encode("utf-8")) == u"中文"


@pytest.mark.parametrize("value", [-1, 65536, "80x", 1.5, True, None, "99999"])
def test_port_rejects(value):
    _bad(P.port, value, "port")


def test_port_accepts():
    assert P.port(0) == 0 and P.port(65535) == 65535 and P.port("8080") == 8080


@pytest.mark.parametrize("value", [-0.1, 10000.5, "1", None, True])
def test_weight_rejects(value):
    _bad(P.weight, value, "weight")


def test_weight_accepts():
    assert P.weight(0) == 0.0 and P.weight(10000) == 10000.0 and P.weight(1.5) == 1.5


@pytest.mark.parametrize("value", ["", "DEFAULT_GROUP@@svc", "@svc", "a b", u"服务", "x" * 513, None])
def test_service_name_rejects(value):
    _bad(P.service_name, value, "service_name")


def test_cluster_name():
    assert P.cluster_name(None) == "DEFAULT"
    assert P.cluster_name("") == "DEFAULT"
    assert P.cluster_name("c-1") == "c-1"
    for bad in ("c_1", "a b", "a,b", "x" * 65, "None!"):
        _bad(P.cluster_name, bad, "cluster_name")
    assert P.clusters("a, b") == "a,b"
    assert P.clusters(["a", "b"]) == "a,b"
    assert P.clusters(None) == ""
    _bad(P.clusters, "a,b_c", "clusters")


def test_metadata():
    assert P.metadata(None) is None
    assert P.metadata({"a": "1", "n": 2}) == {"a": "1", "n": "2"}
    assert P.metadata('{"a": "b"}') == {"a": "b"}
    _bad(P.metadata, "not json", "metadata")
    _bad(P.metadata, "[1]", "metadata")
    _bad(P.metadata, 5, "metadata")


def test_ip():
    assert P.ip("[::1]") == "::1"
    _bad(P.ip, "", "ip")
    _bad(P.ip, "a b", "ip")


def test_timeout():
    assert P.timeout(None) is None
    assert P.timeout(2) == 2.0
    for bad in (0, -1, "3", True):
        _bad(P.timeout, bad, "timeout")


def test_legacy_helpers():
    assert P.is_valid("a.b-c_d:e") and not P.is_valid("a b") and not P.is_valid("")
    assert P.PARAM_KEYS == ["data_id", "group"]
    assert P.check_params({"data_id": "a", "group": "g"}) and P.check_params({"other": "a b"})
    assert not P.check_params({"data_id": "a b"}) and not P.check_params({"group": ""})
    assert P.group_key("d", "g", "") == "d+g+"
    assert P.parse_key("d+g+ns") == ("d", "g", "ns")
    assert P.parse_key("d+g") == ("d", "g", "")
