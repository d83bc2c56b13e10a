"""3.x naming routes: client register/beat/deregister/list, admin instance and service APIs, ops metrics, and the
one store they share with the v1 routes (expiry timings included)."""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

import pytest
from support.v3 import envelope

INSTANCE = "/v3/client/ns/instance"
LIST = "/v3/client/ns/instance/list"
ADMIN_INSTANCE = "/v3/admin/ns/instance"
SERVICE = "/v3/admin/ns/service"
INST = {"serviceName": "svc", "ip": "10.0.0.1", "port": "80"}


def register(http, base, **kw):
    return envelope(http.post(base + INSTANCE, data=dict(INST, **kw)))


def ips(items):
    return sorted("%s:%d" % (i["ip"], i["port"]) for i in items)


def test_register_and_list_shape(http, vbase):
    assert register(http, vbase, metadata='{"k":"v","n":1}', weight="2") == "ok"
    register(http, vbase, ip="10.0.0.2")
    items = envelope(http.get(vbase + LIST, params={"serviceName": "svc"}))
    assert ips(items) == ["10.0.0.1:80", "10.0.0.2:80"]
    first = [i for i in items if i["ip"] == "10.0.0.1"][0]
    assert first == {"ip": "10.0.0.1", "port": 80, "weight": 2.0, "healthy": True, "enabled": True,
                     "ephemeral": True, "clusterName": "DEFAULT", "serviceName": "DEFAULT_GROUP@@svc",
                     "metadata": {"k": "v", "n": "1"}, "instanceHeartBeatInterval": 5000,
                     "instanceHeartBeatTimeOut": 600, "ipDeleteTimeout": 1200}
    second = [i for i in items if i["ip"] == "10.0.0.2"][0]
    assert second["instanceIdGenerator"] == "simple" and "instanceId" not in second  # only without metadata


def test_list_clusters_enabled_and_healthy_only(http, vbase):
    register(http, vbase)
    register(http, vbase, ip="10.0.0.2", clusterName="c1")
    register(http, vbase, ip="10.0.0.3", enabled="false")
    register(http, vbase, ip="10.0.0.4", healthy="false")
    listed = lambda **kw: ips(envelope(http.get(vbase + LIST, params=dict(serviceName="svc", **kw))))  # noqa: E731
    assert listed() == ["10.0.0.1:80", "10.0.0.4:80"]  # blank clusterName = DEFAULT only; disabled left out
    assert listed(clusterName="c1,DEFAULT") == ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.4:80"]
    assert listed(clusterName="c1") == ["10.0.0.2:80"]
    assert listed(healthyOnly="true") == ["10.0.0.1:80", "10.0.0.4:80"]  # ignored
    assert listed(groupName="OTHER") == []
    assert envelope(http.get(vbase + LIST, params={"serviceName": "nope"})) == []
    assert envelope(http.get(vbase + LIST), 400, 10000, "parameter missing") == \
        "Required parameter 'serviceName' type String is not present"


def test_protect_threshold_marks_every_instance_healthy_in_the_client_list(http, vbase):
    envelope(http.post(vbase + SERVICE, data={"serviceName": "svc", "protectThreshold": "0.9", "ephemeral": "true"}))
    register(http, vbase)
    register(http, vbase, ip="10.0.0.2", healthy="false")
    assert [i["healthy"] for i in envelope(http.get(vbase + LIST, params={"serviceName": "svc"}))] == [True, True]
    admin = envelope(http.get(vbase + "/v3/admin/ns/instance/list", params={"serviceName": "svc"}))
    assert sorted(i["healthy"] for i in admin) == [False, True]  # the admin list shows the truth
    view = envelope(http.get(vbase + SERVICE + "/list"))["pageItems"][0]
    assert (view["healthyInstanceCount"], view["triggerFlag"]) == (1, "true")


def test_service_name_is_never_split(http, vbase):
    register(http, vbase, serviceName="G@@svc", groupName="")
    items = envelope(http.get(vbase + LIST, params={"serviceName": "G@@svc"}))
    assert [i["serviceName"] for i in items] == ["DEFAULT_GROUP@@G@@svc"]
    register(http, vbase, groupName="G2")
    assert envelope(http.get(vbase + LIST, params={"serviceName": "svc", "groupName": "G2"}))[0]["serviceName"] == \
        "G2@@svc"


def test_heartbeat_and_deregister(http, vbase):
    beat = dict(INST, heartBeat="true")
    r = http.post(vbase + INSTANCE, data=beat)
    assert (r.status_code, r.json()) == (200, {"code": 21003, "message": "instance not found", "data": None})
    register(http, vbase, clusterName="c1")
    assert envelope(http.post(vbase + INSTANCE, data=beat)) == "ok"  # the cluster does not matter for a beat
    for _ in range(2):  # unknown instances deregister fine
        assert envelope(http.delete(vbase + INSTANCE, params=INST)) == "ok"
    assert envelope(http.get(vbase + LIST, params={"serviceName": "svc", "clusterName": "c1"})) == []


def test_persistent_instance_needs_ephemeral_false_to_deregister(http, vbase):
    register(http, vbase, ephemeral="false")
    envelope(http.delete(vbase + INSTANCE, params=INST))
    assert [i["ephemeral"] for i in envelope(http.get(vbase + LIST, params={"serviceName": "svc"}))] == [False]
    envelope(http.delete(vbase + INSTANCE, params=dict(INST, ephemeral="false")))
    assert envelope(http.get(vbase + LIST, params={"serviceName": "svc"})) == []


def test_register_validation(http, vbase):
    missing = "Required parameter '%s' type %s is not present"
    for drop, kind in (("serviceName", "String"), ("ip", "String"), ("port", "Integer")):
        form = dict(INST)
        del form[drop]
        assert envelope(http.post(vbase + INSTANCE, data=form), 400, 10000, "parameter missing") == missing % (
            drop, kind)
    r = http.post(vbase + INSTANCE, data=dict(INST, port="99999"))
    assert (r.status_code, r.text) == (400, "Param 'port' is illegal, the value should be between 0 and 65535.\r\n")
    assert envelope(http.post(vbase + INSTANCE, data=dict(INST, clusterName="bad_name")), 400, 21004,
                    "instance error").startswith("Instance 'clusterName' should be characters")
    assert envelope(http.post(vbase + INSTANCE, data=dict(INST, weight="10001")), 400, 21001, "weight error") == \
        "instance format invalid: The weights range from 0.0 to 10000.0"
    r = http.post(vbase + INSTANCE, data=dict(INST, metadata="notjson"))
    assert r.status_code == 500 and r.json()["message"] == "ErrCode:400, ErrMsg:metadata format incorrect:notjson"
    r = http.post(vbase + INSTANCE, data=dict(INST, metadata='{"preserved.heart.beat.interval":"20000"}'))
    assert envelope(r, 400, 21004, "instance error").startswith("Instance 'heart beat interval' must less than")
    r = http.post(vbase + INSTANCE, data=dict(INST, healthy="maybe"))
    assert r.status_code == 500 and r.json()["code"] == 30000
    register(http, vbase, ip="10.0.0.9", ephemeral="false")
    assert "is persistent service, can't register ephemeral instance" in envelope(
        http.post(vbase + INSTANCE, data=INST), 400, 30000, "server error")


def test_admin_instance_detail_update_and_list(http, vbase):
    register(http, vbase)
    register(http, vbase, ip="10.0.0.2", clusterName="c1")
    detail = envelope(http.get(vbase + ADMIN_INSTANCE, params=INST))
    assert (detail["ip"], detail["clusterName"], detail["weight"]) == ("10.0.0.1", "DEFAULT", 1.0)
    assert envelope(http.get(vbase + ADMIN_INSTANCE, params=dict(INST, ip="10.0.0.2")), 404, 20004,
                    "resource not found") == "no matched ip found!"
    assert envelope(http.get(vbase + ADMIN_INSTANCE, params=dict(INST, serviceName="nope")), 404, 20004,
                    "resource not found") == "no ips found for cluster DEFAULT in service DEFAULT_GROUP@@nope"
    assert envelope(http.put(vbase + ADMIN_INSTANCE, data=dict(INST, weight="3", metadata='{"a":"b"}',
                                                               enabled="false"))) == "ok"
    assert envelope(http.get(vbase + LIST, params={"serviceName": "svc"})) == []  # disabled
    admin_list = envelope(http.get(vbase + "/v3/admin/ns/instance/list", params={"serviceName": "svc"}))
    assert [(i["ip"], i["weight"], i["metadata"], i["enabled"]) for i in admin_list] == [
        ("10.0.0.1", 3.0, {"a": "b"}, False)]
    assert envelope(http.put(vbase + ADMIN_INSTANCE, data=dict(INST, ip="10.9.9.9"))) == "ok"  # unknown: no-op
    assert "service not found, namespace: public" in envelope(
        http.put(vbase + ADMIN_INSTANCE, data=dict(INST, serviceName="nope")), 400, 21004, "instance error")
    assert envelope(http.get(vbase + "/v3/admin/ns/instance/list", params={"serviceName": "nope"}), 404, 30000,
                    "server error") == "service DEFAULT_GROUP@@nope is not found!"


def test_service_crud(http, vbase):
    form = {"serviceName": "ps", "protectThreshold": "0.5", "metadata": '{"m":"1"}'}
    assert envelope(http.post(vbase + SERVICE, data=form)) == "ok"
    assert envelope(http.post(vbase + SERVICE, data=form), 400, 21007, "service already exist") == \
        "specified service DEFAULT_GROUP@@ps already exists!"
    detail = envelope(http.get(vbase + SERVICE, params={"serviceName": "ps"}))
    assert detail == {"namespaceId": "public", "serviceName": "ps", "groupName": "DEFAULT_GROUP", "clusterMap": {},
                      "metadata": {"m": "1"}, "protectThreshold": 0.5,
                      "selector": {"type": "none", "contextType": "NONE"}, "ephemeral": False}
    assert envelope(http.put(vbase + SERVICE, data={"serviceName": "ps", "metadata": '{"z":"2"}'})) == "ok"
    detail = envelope(http.get(vbase + SERVICE, params={"serviceName": "ps"}))
    assert (detail["metadata"], detail["protectThreshold"]) == ({"z": "2"}, 0.0)  # both overwritten
    assert envelope(http.post(vbase + SERVICE, data={"serviceName": "es", "ephemeral": "true"})) == "ok"
    assert envelope(http.get(vbase + SERVICE, params={"serviceName": "es"}))["ephemeral"] is True
    assert envelope(http.get(vbase + SERVICE, params={"serviceName": "nope"}), 400, 21008, "service not exist") == \
        "service not found, namespace: public, serviceName: DEFAULT_GROUP@@nope"
    assert envelope(http.put(vbase + SERVICE, data={"serviceName": "nope"}), 400, 21008, "service not exist") == \
        "service DEFAULT_GROUP@@nope not found!"
    register(http, vbase)
    register(http, vbase, ip="10.0.0.2", clusterName="c1")
    clusters = envelope(http.get(vbase + SERVICE, params={"serviceName": "svc"}))["clusterMap"]
    assert sorted(clusters) == ["DEFAULT", "c1"] and clusters["c1"]["healthChecker"] == {"type": "TCP"}
    assert "is not empty" in envelope(http.delete(vbase + SERVICE, params={"serviceName": "svc"}), 400, 21009,
                                      "service delete failure")
    assert envelope(http.delete(vbase + SERVICE, params={"serviceName": "ps"})) == "ok"
    assert envelope(http.delete(vbase + SERVICE, params={"serviceName": "ps"}), 400, 21008, "service not exist")
    assert envelope(http.post(vbase + SERVICE, data={}), 400, 10000, "parameter missing")


def test_service_selector(http, vbase):
    expression = "CONSUMER.label.zone = PROVIDER.label.zone"
    form = {"serviceName": "sel", "selector": json.dumps({"type": "label", "expression": expression})}
    assert envelope(http.post(vbase + SERVICE, data=form)) == "ok"
    assert envelope(http.get(vbase + SERVICE, params={"serviceName": "sel"}))["selector"] == {
        "type": "label", "expression": expression, "labels": ["zone"], "contextType": "CMDB"}
    for bad in ('{"x":1}', '{"type":"weird"}', "notjson"):
        r = http.post(vbase + SERVICE, data={"serviceName": "sel2", "selector": bad})
        assert envelope(r, 400, 21006, "selector error") == "not match any type of selector!"


def test_service_list(http, vbase):
    register(http, vbase)
    register(http, vbase, ip="10.0.0.2", healthy="false")
    envelope(http.post(vbase + SERVICE, data={"serviceName": "empty", "groupName": "G2", "protectThreshold": "0.9"}))
    page = envelope(http.get(vbase + SERVICE + "/list"))
    assert page["totalCount"] == 2 and page["pagesAvailable"] == 1
    views = dict((v["name"], v) for v in page["pageItems"])
    assert views["svc"] == {"name": "svc", "groupName": "DEFAULT_GROUP", "clusterCount": 1, "ipCount": 2,
                            "healthyInstanceCount": 1, "triggerFlag": "false"}
    assert views["empty"]["triggerFlag"] == "false"  # 0/0 never reaches the threshold
    def names(**kw):
        return [v["name"] for v in envelope(http.get(vbase + SERVICE + "/list", params=kw))["pageItems"]]
    assert names(groupNameParam="G2") == ["empty"] and names(serviceNameParam="sv") == ["svc"]
    assert names(ignoreEmptyService="true") == ["svc"]
    one = envelope(http.get(vbase + SERVICE + "/list", params={"pageSize": "1", "pageNo": "2"}))
    assert (len(one["pageItems"]), one["pagesAvailable"]) == (1, 3)  # 3.1 computes totalCount // pageSize + 1
    empty = envelope(http.get(vbase + SERVICE + "/list", params={"namespaceId": "none"}))
    assert empty == {"totalCount": 0, "pageNumber": 1, "pagesAvailable": 0, "pageItems": []}


@pytest.mark.parametrize("v1", [True, False])
def test_empty_service_cleaner(http, make_server, wait_for, monkeypatch, v1):
    """Services emptied for EMPTY_SERVICE_TIMEOUT (60 s; 0.3 s here) go; those made by POST only with v1=False
    (a real 3.1 removes them too, a 2.x keeps them)."""
    monkeypatch.setattr("nacos.testing.naming_store.EMPTY_SERVICE_TIMEOUT", 0.3)
    base = make_server(v1=v1).url + "/nacos"
    envelope(http.post(base + SERVICE, data={"serviceName": "made"}))
    register(http, base)
    envelope(http.delete(base + INSTANCE, params=INST))

    def names():
        return sorted(v["name"] for v in envelope(http.get(base + SERVICE + "/list"))["pageItems"])
    wait_for(lambda: "svc" not in names(), timeout=3.0)
    assert names() == (["made"] if v1 else [])


def test_metrics(http, vbase):
    assert envelope(http.get(vbase + "/v3/admin/ns/ops/metrics")) == {"status": "UP"}
    register(http, vbase)
    full = envelope(http.get(vbase + "/v3/admin/ns/ops/metrics", params={"onlyStatus": "false"}))
    assert (full["status"], full["serviceCount"], full["instanceCount"]) == ("UP", 1, 1)


def test_one_store_with_v1_and_the_same_expiry(http, make_server, wait_for):
    base = make_server().url + "/nacos"
    register(http, base, metadata=json.dumps({"k": "v"}))
    hosts = http.get(base + "/v1/ns/instance/list", params={"serviceName": "svc"}).json()["hosts"]
    assert [(h["ip"], h["metadata"]) for h in hosts] == [("10.0.0.1", {"k": "v"})]
    http.post(base + "/v1/ns/instance", params={"serviceName": "svc", "ip": "10.0.0.2", "port": "80"})
    assert ips(envelope(http.get(base + LIST, params={"serviceName": "svc"}))) == ["10.0.0.1:80", "10.0.0.2:80"]
    # beats through v3 keep 10.0.0.1 alive; 10.0.0.2 gets none: unhealthy after 0.6 s, gone after 1.2 s
    beat = dict(INST, heartBeat="true")
    listed = lambda: envelope(http.get(base + LIST, params={"serviceName": "svc"}))  # noqa: E731

    def only_first_left():
        envelope(http.post(base + INSTANCE, data=beat))
        return ips(listed()) == ["10.0.0.1:80"]
    wait_for(only_first_left, timeout=4.0, interval=0.1)
    assert listed()[0]["healthy"] is True
