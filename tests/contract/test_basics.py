# -*- coding: utf-8 -*-
"""Foundation behaviour through real HTTP; runs against the embedded server or NACOS_SERVER_ADDR."""
import os
import threading

import pytest

import nacos
from nacos.exception import NacosInvalidParam, NacosUnavailable
from support.net import dead_address
from support.wait import settles


def test_config_roundtrip(client, group):
    assert client.get_config("app.yaml", group) is None
    assert client.publish_config("app.yaml", group, u"k: v\n中文") is True
    assert settles(lambda: client.get_config("app.yaml", group), u"k: v\n中文")
    assert client.publish_config("app.yaml", group, b"bytes: 1") is True
    assert settles(lambda: client.get_config("app.yaml", group), "bytes: 1")
    assert client.remove_config("app.yaml", group) is True
    assert settles(lambda: client.get_config("app.yaml", group), None)
    assert client.remove_config("app.yaml", group) is True  # removing a missing config is fine


def test_naming_roundtrip(client, group):
    assert client.add_naming_instance("svc", "10.1.2.3", 8080, group_name=group, metadata={"v": "1"},
                                      heartbeat_interval=1) is True
    hosts = client.list_naming_instance("svc", group_name=group)["hosts"]
    assert [(h["ip"], h["port"], h["clusterName"], h["metadata"]) for h in hosts] == \
        [("10.1.2.3", 8080, "DEFAULT", {"v": "1"})]
    assert hosts[0]["healthy"] is True and hosts[0]["enabled"] is True and hosts[0]["weight"] == 1.0
    assert client.remove_naming_instance("svc", "10.1.2.3", 8080, group_name=group) is True


def credentials():
    """NACOS_USERNAME/NACOS_PASSWORD when the tests run against a server with auth on."""
    user, password = os.environ.get("NACOS_USERNAME"), os.environ.get("NACOS_PASSWORD")
    return dict(username=user, password=password) if user and password else {}


def test_rotation_past_a_dead_server_is_sticky(nacos_server, group):
    dead = dead_address()
    c = nacos.NacosClient("%s,%s" % (dead, nacos_server.address), namespace="",
                          snapshot_base=None, failover_base=None, **credentials())
    try:
        assert c.publish_config("rot", group, "1") is True
        assert c.current_server == tuple(c.server_list[1])
        assert settles(lambda: c.get_config("rot", group), "1")
        assert c.current_server == tuple(c.server_list[1])  # sticky
        c.remove_config("rot", group)
    finally:
        c.stop()


def test_all_servers_down_names_each_try():
    a, b = dead_address(), dead_address()
    c = nacos.NacosClient("%s,%s" % (a, b), snapshot_base=None, failover_base=None)
    with pytest.raises(NacosUnavailable) as info:
        c.get_config("x", "g", timeout=1)
    text = str(info.value)
    assert a.split(":")[1] in text and b.split(":")[1] in text
    assert len(info.value.attempts) == 2
    assert isinstance(info.value, nacos.NacosRequestException)
    c.stop()


def test_invalid_arguments_send_nothing(nacos_server, client):
    if getattr(nacos_server, "real", False):
        pytest.skip("request log is an embedded-server feature")
    nacos_server.clear_log()
    with pytest.raises(NacosInvalidParam):
        client.publish_config("bad id", "g", "x")
    with pytest.raises(NacosInvalidParam):
        client.add_naming_instance("svc", "1.1.1.1", -1)
    assert nacos_server.request_log == []


def test_user_agent_and_client_version(nacos_server, client, group):
    if getattr(nacos_server, "real", False):
        pytest.skip("request log is an embedded-server feature")
    nacos_server.clear_log()
    client.get_config("ua", group)
    headers = nacos_server.request_log[-1]["headers"]
    assert headers["user-agent"].startswith("Nacos-Python-Client:v%s" % nacos.__version__)
    assert headers["client-version"] == nacos.__version__


def test_many_threads_share_one_client(client, group):
    client.publish_config("shared", group, "v")
    assert settles(lambda: client.get_config("shared", group), "v")
    errors = []

    def work():
        try:
            for _ in range(20):
                assert client.get_config("shared", group) == "v"
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    client.remove_config("shared", group)
