"""Naming calls against a server (embedded, or real with NACOS_SERVER_ADDR): shapes, defaults, bad input."""
import json

import pytest

from nacos.exception import NacosInvalidParam
from support.wait import settles


def _hosts(client, service, **kwargs):
    return client.list_naming_instance(service, **kwargs)["hosts"]


def test_register_list_get_remove_with_group_and_metadata(client, group):
    assert client.add_naming_instance("svc-a", "10.1.0.1", 8080, metadata={"zone": "z1"}, group_name=group,
                                      weight=2.5)
    assert client.add_naming_instance("svc-a", "10.1.0.2", "8081", metadata='{"zone": "z2"}', group_name=group)
    info = client.list_naming_instance("svc-a", group_name=group)
    assert info["name"] == "%s@@svc-a" % group and info["dom"] == "svc-a" and info["groupName"] == group
    by_ip = dict((h["ip"], h) for h in info["hosts"])
    assert sorted(by_ip) == ["10.1.0.1", "10.1.0.2"]
    first = by_ip["10.1.0.1"]
    assert first["port"] == 8080 and first["weight"] == 2.5 and first["metadata"]["zone"] == "z1"
    assert first["clusterName"] == "DEFAULT" and first["healthy"] is True and first["valid"] is True
    assert first["instanceId"] and first["serviceName"] == "%s@@svc-a" % group
    assert by_ip["10.1.0.2"]["metadata"]["zone"] == "z2"

    one = client.get_naming_instance("svc-a", "10.1.0.1", 8080, group_name=group)
    assert one["ip"] == "10.1.0.1" and one["metadata"]["zone"] == "z1" and one["clusterName"] == "DEFAULT"

    assert client.remove_naming_instance("svc-a", "10.1.0.1", 8080, group_name=group)
    assert settles(lambda: [h["ip"] for h in _hosts(client, "svc-a", group_name=group)], ["10.1.0.2"])


def test_cluster_is_default_not_none_and_clusters_filter(client, group):
    client.add_naming_instance("svc-c", "10.2.0.1", 80, group_name=group)
    client.add_naming_instance("svc-c", "10.2.0.2", 80, cluster_name="c-2", group_name=group)
    clusters = sorted(h["clusterName"] for h in _hosts(client, "svc-c", group_name=group))
    assert clusters == ["DEFAULT", "c-2"]
    assert [h["ip"] for h in _hosts(client, "svc-c", group_name=group, clusters=["c-2"])] == ["10.2.0.2"]
    assert [h["ip"] for h in _hosts(client, "svc-c", group_name=group, clusters="DEFAULT")] == ["10.2.0.1"]


def test_modify_weight_keeps_metadata(client, group):
    client.add_naming_instance("svc-m", "10.3.0.1", 80, metadata={"k": "v"}, group_name=group)
    assert client.modify_naming_instance("svc-m", "10.3.0.1", 80, weight=7.0, group_name=group)
    assert settles(lambda: [(h["weight"], h["metadata"].get("k")) for h in _hosts(client, "svc-m", group_name=group)],
                   [(7.0, "v")])
    assert client.modify_naming_instance("svc-m", "10.3.0.1", 80, metadata={"k": "w"}, group_name=group)
    assert settles(lambda: [(h["weight"], h["metadata"].get("k")) for h in _hosts(client, "svc-m", group_name=group)],
                   [(7.0, "w")])


def test_send_heartbeat_answers_interval(client, group):
    client.add_naming_instance("svc-b", "10.4.0.1", 80, group_name=group)
    answer = client.send_heartbeat("svc-b", "10.4.0.1", 80, group_name=group)
    assert answer["code"] == 10200 and answer["clientBeatInterval"] > 0


def test_unknown_service_lists_empty(client, group):
    info = client.list_naming_instance("never-registered", group_name=group)
    assert info["hosts"] == [] and info["dom"] == "never-registered"


@pytest.mark.parametrize("kwargs, argument", [
    (dict(port=70000), "port"), (dict(port=-1), "port"), (dict(port="http"), "port"), (dict(port=True), "port"),
    (dict(weight=-1), "weight"), (dict(weight=10001), "weight"), (dict(weight="heavy"), "weight"),
    (dict(service_name="@@svc"), "service_name"), (dict(service_name="has space"), "service_name"),
    (dict(service_name=""), "service_name"), (dict(cluster_name="bad_cluster"), "cluster_name"),
    (dict(cluster_name="a,b"), "cluster_name"), (dict(metadata="not json"), "metadata"),
    (dict(metadata=[1, 2]), "metadata"), (dict(group_name="bad group"), "group_name"),
    (dict(ip=""), "ip"), (dict(enable="yes"), "enable"), (dict(heartbeat_interval=0), "heartbeat_interval"),
])
def test_bad_input_is_refused_before_any_request(client, kwargs, argument):
    call = dict(service_name="svc-bad", ip="10.5.0.1", port=80)
    call.update(kwargs)
    with pytest.raises(NacosInvalidParam) as info:
        client.add_naming_instance(**call)
    assert info.value.argument == argument
    assert argument in str(info.value)


def test_bad_clusters_in_list_and_subscribe(client):
    with pytest.raises(NacosInvalidParam) as info:
        client.list_naming_instance("svc", clusters="ok,not ok")
    assert info.value.argument == "clusters"
    with pytest.raises(NacosInvalidParam):
        client.subscribe("svc", lambda event: None, "bad_cluster")
    with pytest.raises(NacosInvalidParam):
        client.subscribe("@@x", lambda event: None)
    with pytest.raises(NacosInvalidParam):
        client.subscribe(lambda e, i: None)  # legacy form without service_name


def test_metadata_values_are_sent_as_text(client, group):
    client.add_naming_instance("svc-md", "10.6.0.1", 80, metadata={"n": 1, "flag": True}, group_name=group)
    metadata = _hosts(client, "svc-md", group_name=group)[0]["metadata"]
    assert metadata["n"] == "1" and json.loads(metadata["flag"]) is True


def _registered_then_gone(server, make_client, group, service, ip, method):
    """A client with one instance registered, and the server set to answer 410 to the next v1 ``method``."""
    c = make_client(server=server, managed_heartbeat=False)
    c.add_naming_instance(service, ip, 80, metadata={"k": "v"}, weight=2.0, group_name=group)
    server.fail_next(1, status=410, body='{"status":410,"error":"Gone","message":"Current API will be deprecated"}',
                     path="/v1/ns/instance", method=method)
    return c


@pytest.mark.embedded_only
def test_admin_api_gone_uses_the_v3_admin_api(embedded_server, make_client, group):
    """Nacos 3.x answers 410 to GET/PUT /v1/ns/instance (admin APIs) by default: the v3 admin API from then on."""
    c = _registered_then_gone(embedded_server, make_client, group, "svc-410", "10.7.0.1", "GET")
    one = c.get_naming_instance("svc-410", "10.7.0.1", 80, group_name=group)
    assert (one["ip"], one["port"], one["weight"], one["metadata"]) == ("10.7.0.1", 80, 2.0, {"k": "v"})
    embedded_server.clear_log()
    assert c.modify_naming_instance("svc-410", "10.7.0.1", 80, weight=5.0, group_name=group)  # GET/PUT now known gone
    host = _hosts(c, "svc-410", group_name=group)[0]
    assert (host["weight"], host["metadata"], host["enabled"]) == (5.0, {"k": "v"}, True)
    sent = [(r["method"], r["path"].rsplit("/nacos", 1)[-1]) for r in embedded_server.request_log]
    assert ("PUT", "/v1/ns/instance") not in sent and ("GET", "/v1/ns/instance") not in sent
    assert ("PUT", "/v3/admin/ns/instance") in sent
    assert c.api_dialects[c._servers.current().url]["naming-admin"] == "v3"
    assert "naming" not in c.api_dialects[c._servers.current().url]  # the client API is still v1


@pytest.mark.embedded_only
def test_admin_api_forbidden_falls_back_to_re_registration(embedded_server, make_client, group):
    """Where neither admin API is allowed (v1 gone, v3 403 for a non-admin identity), modify registers again."""
    c = _registered_then_gone(embedded_server, make_client, group, "svc-403", "10.7.0.2", "PUT")
    embedded_server.fail_next(1, status=403, body='{"code":10001,"message":"access denied"}',
                              path="/v3/admin/ns/instance", method="PUT")
    embedded_server.clear_log()
    assert c.modify_naming_instance("svc-403", "10.7.0.2", 80, weight=5.0, metadata={"k": "v"}, group_name=group)
    host = _hosts(c, "svc-403", group_name=group)[0]
    assert (host["weight"], host["metadata"]) == (5.0, {"k": "v"})
    sent = [(r["method"], r["path"].rsplit("/nacos", 1)[-1]) for r in embedded_server.request_log]
    assert ("POST", "/v1/ns/instance") in sent


@pytest.mark.embedded_only
def test_clusters_are_filtered_even_when_the_server_ignores_them(embedded_server, make_client, group):
    """r-nacos 0.8 ignores ``clusters``: the client filters the hosts itself."""
    c = make_client(server=embedded_server, managed_heartbeat=False)
    c.add_naming_instance("svc-cl", "10.8.0.1", 80, group_name=group)
    c.add_naming_instance("svc-cl", "10.8.0.2", 80, cluster_name="c-2", group_name=group)
    answer = c.naming._naming_api.list("svc-cl", group, "")  # what a server ignoring the parameter answers
    embedded_server.fail_next(1, status=200, body=json.dumps(answer), path="/instance/list")
    assert [h["ip"] for h in _hosts(c, "svc-cl", group_name=group, clusters="c-2")] == ["10.8.0.2"]


def test_list_naming_services_pages_one_group(client, group):
    for name in ("svc-l1", "svc-l2", "svc-l3"):
        client.add_naming_instance(name, "10.6.0.1", 80, group_name=group)
    client.add_naming_instance("svc-other", "10.6.0.1", 80, group_name=group + "x")  # a group containing `group`
    listed = lambda: client.list_naming_services(group_name=group)  # noqa: E731
    assert settles(lambda: (listed()["count"], sorted(listed()["doms"])), (3, ["svc-l1", "svc-l2", "svc-l3"]))
    first, second = (client.list_naming_services(page_no=n, page_size=2, group_name=group) for n in (1, 2))
    assert first["count"] == second["count"] == 3 and len(first["doms"]) == 2 and len(second["doms"]) == 1
    assert sorted(first["doms"] + second["doms"]) == ["svc-l1", "svc-l2", "svc-l3"]
    assert client.list_naming_services(group_name=group + "-none") == {"count": 0, "doms": []}


@pytest.mark.parametrize("kwargs, argument", [
    (dict(page_no=0), "page_no"), (dict(page_size=0), "page_size"), (dict(page_size=501), "page_size"),
    (dict(page_no="1"), "page_no"), (dict(group_name="bad group"), "group_name"),
])
def test_list_naming_services_bad_input(client, kwargs, argument):
    with pytest.raises(NacosInvalidParam) as info:
        client.list_naming_services(**kwargs)
    assert info.value.argument == argument
