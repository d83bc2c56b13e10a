"""/v1/ns/instance, /instance/list, /instance/beat, /v1/ns/service, metrics and expiry timings."""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import time


def register(http, base, **form):
    form.setdefault("serviceName", "svc")
    form.setdefault("ip", "10.0.0.1")
    form.setdefault("port", "8080")
    return http.post(base + "/v1/ns/instance", data=form)


def hosts(http, base, service="svc", **query):
    query["serviceName"] = service
    return http.get(base + "/v1/ns/instance/list", params=query).json()


def test_register_and_list_shape(http, base):
    r = register(http, base, weight="2", metadata='{"k":"v","n":1}', clusterName="c1")
    assert (r.status_code, r.text) == (200, "ok")
    info = hosts(http, base)
    assert info["name"] == "DEFAULT_GROUP@@svc"
    assert info["groupName"] == "DEFAULT_GROUP"
    assert info["clusters"] == "" and info["checksum"] == "" and info["valid"] is True
    assert info["allIPs"] is False and info["reachProtectionThreshold"] is False
    assert info["cacheMillis"] == 3000 and isinstance(info["lastRefTime"], int)
    host = info["hosts"][0]
    assert host == {
        "instanceId": "10.0.0.1#8080#c1#DEFAULT_GROUP@@svc", "ip": "10.0.0.1", "port": 8080, "weight": 2.0,
        "healthy": True, "enabled": True, "ephemeral": True, "clusterName": "c1",
        "serviceName": "DEFAULT_GROUP@@svc", "metadata": {"k": "v", "n": "1"},
        "instanceHeartBeatInterval": 5000, "instanceHeartBeatTimeOut": 600, "ipDeleteTimeout": 1200,
        "instanceIdGenerator": "simple"}


def test_group_namespace_and_unknown_service(http, base):
    register(http, base, groupName="G1", namespaceId="dev")
    assert hosts(http, base)["hosts"] == []
    assert len(hosts(http, base, namespaceId="dev", groupName="G1")["hosts"]) == 1
    assert len(hosts(http, base, "G1@@svc", namespaceId="dev")["hosts"]) == 1
    empty = hosts(http, base, "nothing")
    assert empty["name"] == "DEFAULT_GROUP@@nothing" and empty["hosts"] == []


def test_list_filters_disabled_unhealthy_and_clusters(http, base):
    register(http, base, ip="1.1.1.1", clusterName="a")
    register(http, base, ip="1.1.1.2", clusterName="b", healthy="false")
    register(http, base, ip="1.1.1.3", clusterName="a", enabled="false")
    assert sorted(h["ip"] for h in hosts(http, base)["hosts"]) == ["1.1.1.1", "1.1.1.2"]
    assert [h["ip"] for h in hosts(http, base, healthyOnly="true")["hosts"]] == ["1.1.1.1"]
    assert [h["ip"] for h in hosts(http, base, clusters="b")["hosts"]] == ["1.1.1.2"]
    assert sorted(h["ip"] for h in hosts(http, base, clusters="a,b")["hosts"]) == ["1.1.1.1", "1.1.1.2"]


def test_reregister_replaces_and_deregister(http, base):
    register(http, base, clusterName="a")
    register(http, base, clusterName="b")
    assert [h["clusterName"] for h in hosts(http, base)["hosts"]] == ["b"]
    r = http.delete(base + "/v1/ns/instance", params={"serviceName": "svc", "ip": "10.0.0.1", "port": 8080})
    assert r.text == "ok"
    assert hosts(http, base)["hosts"] == []
    r = http.delete(base + "/v1/ns/instance", params={"serviceName": "unknown", "ip": "1.2.3.4", "port": 1})
    assert (r.status_code, r.text) == (200, "ok")


def test_persistent_instance_needs_ephemeral_false_to_deregister(http, base):
    register(http, base, serviceName="p", ephemeral="false")
    params = {"serviceName": "p", "ip": "10.0.0.1", "port": 8080}
    http.delete(base + "/v1/ns/instance", params=params)
    assert len(hosts(http, base, "p")["hosts"]) == 1
    params["ephemeral"] = "false"
    http.delete(base + "/v1/ns/instance", params=params)
    assert hosts(http, base, "p")["hosts"] == []


def test_update_and_detail(http, base):
    register(http, base, metadata="a=1,b=2")
    r = http.put(base + "/v1/ns/instance", data={"serviceName": "svc", "ip": "10.0.0.1", "port": 8080,
                                                 "weight": "3", "metadata": '{"x":"y"}'})
    assert r.text == "ok"
    detail = http.get(base + "/v1/ns/instance", params={"serviceName": "svc", "ip": "10.0.0.1",
                                                        "port": 8080}).json()
    assert detail == {"service": "DEFAULT_GROUP@@svc", "ip": "10.0.0.1", "port": 8080, "clusterName": "DEFAULT",
                      "weight": 3.0, "healthy": True, "instanceId": "10.0.0.1#8080#DEFAULT#DEFAULT_GROUP@@svc",
                      "metadata": {"x": "y"}}
    http.put(base + "/v1/ns/instance", data={"serviceName": "svc", "ip": "10.0.0.1", "port": 8080,
                                             "enabled": "false"})
    assert hosts(http, base)["hosts"] == []
    r = http.put(base + "/v1/ns/instance", data={"serviceName": "nope", "ip": "10.0.0.1", "port": 8080})
    assert r.status_code == 500 and r.text.startswith("caused: service not found")
    r = http.get(base + "/v1/ns/instance", params={"serviceName": "svc", "ip": "9.9.9.9", "port": 1})
    assert (r.status_code, r.text) == (500, "caused: no matched ip found!;")
    r = http.get(base + "/v1/ns/instance", params={"serviceName": "zzz", "ip": "9.9.9.9", "port": 1})
    assert r.status_code == 500 and r.text.startswith("caused: no ips found for cluster DEFAULT")
    r = http.get(base + "/v1/ns/instance", params={"serviceName": "svc", "port": 1})
    assert (r.status_code, r.text) == (400, "Parameter 'ip' is missing")


def test_validation_errors(http, base):
    r = http.post(base + "/v1/ns/instance", data={"ip": "1.1.1.1", "port": 1})
    assert (r.status_code, r.text) == (400, "caused: Param 'serviceName' is required.;")
    r = http.post(base + "/v1/ns/instance", data={"serviceName": "s", "port": 1})
    assert (r.status_code, r.text) == (400, "caused: Param 'ip' is required.;")
    r = register(http, base, clusterName="bad_cluster")
    assert r.status_code == 500 and r.text.startswith("caused: Instance &#39;clusterName&#39; should be characters")
    r = register(http, base, clusterName="bad cluster")
    assert r.text == "Param 'cluster' is illegal, illegal characters should not appear in the param.\r\n"
    r = register(http, base, weight="10001")
    assert (r.status_code, r.text) == (500, "caused: instance format invalid: The weights range from 0.0 to 10000.0;")
    r = register(http, base, metadata="not-metadata")
    assert r.status_code == 500 and "ErrMsg:metadata format incorrect:not-metadata;" in r.json()["message"]
    r = register(http, base, metadata=json.dumps({"k": "v" * 1100}))
    assert r.text == "Param 'Metadata' is illegal, the param length should not exceed 1024.\r\n"
    r = register(http, base, serviceName="@@svc")
    assert r.text == "Param 'serviceName' is illegal, groupName can't be empty"
    r = register(http, base, serviceName="bad name")
    assert r.text == "Param 'serviceName' is illegal, illegal characters should not appear in the param.\r\n"
    r = register(http, base, port="70000")
    assert r.text == "Param 'port' is illegal, the value should be between 0 and 65535.\r\n"
    r = register(http, base, metadata='{"preserved.heart.beat.interval":"20000"}')
    assert r.status_code == 400 and "heart beat interval" in r.text


def test_persistent_service_rejects_ephemeral_instance(http, base):
    assert http.post(base + "/v1/ns/service", data={"serviceName": "ps"}).text == "ok"
    r = register(http, base, serviceName="ps")
    assert r.status_code == 400
    assert r.text == ("errCode: 400, errMsg: Current service DEFAULT_GROUP@@ps is persistent service, "
                      "can't register ephemeral instance. ")
    assert register(http, base, serviceName="ps", ephemeral="false").text == "ok"
    register(http, base, serviceName="es")
    r = register(http, base, serviceName="es", ip="2.2.2.2", ephemeral="false")
    assert r.status_code == 400 and "is ephemeral service, can't register persistent instance" in r.text


def test_beat(http, base):
    url = base + "/v1/ns/instance/beat"
    r = http.put(url, params={"serviceName": "svc", "ip": "10.0.0.1", "port": 8080}).json()
    assert r == {"clientBeatInterval": 5000, "code": 20404, "lightBeatEnabled": True}
    beat = {"serviceName": "DEFAULT_GROUP@@svc", "ip": "10.0.0.1", "port": 8080, "cluster": "c1",
            "weight": 2.0, "metadata": {"m": "1"}, "scheduled": False, "period": 5000, "stopped": False}
    r = http.put(url, params={"serviceName": "svc"}, data={"beat": json.dumps(beat)}).json()
    assert r["code"] == 10200
    host = hosts(http, base)["hosts"][0]
    assert (host["clusterName"], host["weight"], host["metadata"]) == ("c1", 2.0, {"m": "1"})
    r = http.put(url, data={"serviceName": "svc", "ip": "10.0.0.1", "port": "8080"}).json()
    assert r["code"] == 10200


def test_beat_answer_knobs(make_server, http):
    server = make_server(client_beat_interval=1234, light_beat_enabled=False)
    r = http.put(server.url + "/nacos/v1/ns/instance/beat", params={"serviceName": "s", "ip": "1.1.1.1",
                                                                    "port": 1}).json()
    assert r == {"clientBeatInterval": 1234, "code": 20404, "lightBeatEnabled": False}


def test_ephemeral_expiry_and_recovery(http, base, wait_for):
    register(http, base)
    started = time.time()
    wait_for(lambda: not hosts(http, base)["hosts"][0]["healthy"])
    assert 0.55 <= time.time() - started < 1.3
    assert hosts(http, base, healthyOnly="true")["hosts"] == []
    http.put(base + "/v1/ns/instance/beat", params={"serviceName": "svc", "ip": "10.0.0.1", "port": 8080})
    assert hosts(http, base)["hosts"][0]["healthy"] is True
    beat_at = time.time()
    wait_for(lambda: hosts(http, base)["hosts"] == [])
    assert 1.15 <= time.time() - beat_at < 2.0


def test_persistent_instances_never_expire(http, base):
    register(http, base, serviceName="p", ephemeral="false")
    time.sleep(1.4)
    info = hosts(http, base, "p")
    assert len(info["hosts"]) == 1 and info["hosts"][0]["healthy"] is True


def test_protect_threshold_on_explicit_service(http, base):
    http.post(base + "/v1/ns/service", data={"serviceName": "pt", "protectThreshold": "0.5"})
    register(http, base, serviceName="pt", ip="1.1.1.1", ephemeral="false", healthy="false")
    register(http, base, serviceName="pt", ip="1.1.1.2", ephemeral="false", healthy="true")
    info = hosts(http, base, "pt", healthyOnly="true")
    assert info["reachProtectionThreshold"] is True
    assert [h["healthy"] for h in info["hosts"]] == [True, True]


def test_service_crud_and_list(http, base):
    url = base + "/v1/ns/service"
    form = {"serviceName": "s1", "protectThreshold": "0.3", "metadata": "a=b",
            "selector": '{"type":"none"}'}
    assert http.post(url, data=form).text == "ok"
    r = http.post(url, data=form)
    assert (r.status_code, r.text) == (400, "specified service DEFAULT_GROUP@@s1 already exists!")
    detail = http.get(url, params={"serviceName": "s1"}).json()
    assert detail["name"] == "s1" and detail["groupName"] == "DEFAULT_GROUP" and detail["namespaceId"] == "public"
    assert detail["protectThreshold"] == 0.3 and detail["metadata"] == {"a": "b"}
    assert detail["selector"] == {"type": "none"} and detail["clusters"] == []
    assert http.put(url, data={"serviceName": "s1", "protectThreshold": "0.7"}).text == "ok"
    assert http.get(url, params={"serviceName": "s1"}).json()["protectThreshold"] == 0.7
    r = http.put(url, data={"serviceName": "s1"})
    assert (r.status_code, r.text) == (400, "Parameter 'protectThreshold' is missing")
    register(http, base, serviceName="s1", ephemeral="false")
    r = http.delete(url, params={"serviceName": "s1"})
    assert r.status_code == 400 and r.text.startswith("Service DEFAULT_GROUP@@s1 is not empty")
    http.delete(base + "/v1/ns/instance", params={"serviceName": "s1", "ip": "10.0.0.1", "port": 8080,
                                                  "ephemeral": "false"})
    assert http.delete(url, params={"serviceName": "s1"}).text == "ok"
    r = http.delete(url, params={"serviceName": "s1"})
    assert (r.status_code, r.text) == (400, "service DEFAULT_GROUP@@s1 not found!")
    r = http.get(url, params={"serviceName": "s1"})
    assert r.status_code == 500 and r.text.startswith("caused: service not found")
    for i in range(5):
        register(http, base, serviceName="list%d" % i)
    register(http, base, serviceName="other", groupName="G2")
    listing = http.get(url + "/list", params={"pageNo": 1, "pageSize": 3}).json()
    assert listing == {"count": 5, "doms": ["list0", "list1", "list2"]}
    assert http.get(url + "/list", params={"pageNo": 2, "pageSize": 3}).json()["doms"] == ["list3", "list4"]
    assert http.get(url + "/list", params={"pageNo": 1, "pageSize": 10, "groupName": "G2"}).json() == \
        {"count": 1, "doms": ["other"]}
    r = http.get(url + "/list", params={"pageSize": 3})
    assert (r.status_code, r.text) == (400, "caused: Param 'pageNo' is required.;")


def test_metrics(http, base):
    register(http, base)
    for path in ("/v1/ns/operator/metrics", "/v1/ns/ops/metrics"):
        assert http.get(base + path).json() == {"status": "UP"}
    full = http.get(base + "/v1/ns/operator/metrics", params={"onlyStatus": "false"}).json()
    assert full["status"] == "UP" and full["serviceCount"] == 1 and full["instanceCount"] == 1
