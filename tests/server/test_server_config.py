# -*- coding: utf-8 -*-
"""/v1/cs/configs, /v1/console/namespaces, health/state and routing of the embedded server."""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import json

import requests


def publish(http, base, **form):
    form.setdefault("group", "DEFAULT_GROUP")
    return http.post(base + "/v1/cs/configs", data=form)


def get(http, base, **query):
    query.setdefault("group", "DEFAULT_GROUP")
    return http.get(base + "/v1/cs/configs", params=query)


def test_publish_then_get_returns_content_and_headers(http, base):
    r = publish(http, base, dataId="app.yaml", content="a: 1", type="yaml")
    assert (r.status_code, r.text) == (200, "true")
    r = get(http, base, dataId="app.yaml")
    assert r.status_code == 200
    assert r.text == "a: 1"
    assert r.headers["Content-MD5"] == hashlib.md5(b"a: 1").hexdigest()
    assert r.headers["Config-Type"] == "yaml"
    assert r.headers["Content-Type"] == "text/plain;charset=UTF-8"
    assert r.headers["Pragma"] == "no-cache"
    assert r.headers["Cache-Control"] == "no-cache,no-store"
    assert r.headers["Last-Modified"].endswith("GMT")


def test_json_type_content_type_and_invalid_type_becomes_text(http, base):
    publish(http, base, dataId="j", content='{"a":1}', type="json")
    r = get(http, base, dataId="j")
    assert r.headers["Content-Type"] == "application/json;charset=UTF-8"
    publish(http, base, dataId="j", content="x", type="bogus")
    assert get(http, base, dataId="j").headers["Config-Type"] == "text"


def test_unicode_content_md5_is_of_utf8_bytes(http, base):
    content = "名字=值 ✓"
    publish(http, base, dataId="u", content=content)
    r = get(http, base, dataId="u")
    assert r.content.decode("utf-8") == content
    assert r.headers["Content-MD5"] == hashlib.md5(content.encode("utf-8")).hexdigest()


def test_missing_config_is_404_with_body(http, base):
    r = get(http, base, dataId="nope")
    assert r.status_code == 404
    assert r.text == "config data not exist\n"


def test_delete_returns_true_also_when_missing(http, base):
    publish(http, base, dataId="d", content="x")
    r = http.delete(base + "/v1/cs/configs", params={"dataId": "d", "group": "DEFAULT_GROUP"})
    assert (r.status_code, r.text) == (200, "true")
    assert get(http, base, dataId="d").status_code == 404
    r = http.delete(base + "/v1/cs/configs", params={"dataId": "d", "group": "DEFAULT_GROUP"})
    assert (r.status_code, r.text) == (200, "true")


def test_tenant_isolation_and_public_alias(http, base):
    publish(http, base, dataId="t", content="ns1", tenant="ns1")
    assert get(http, base, dataId="t").status_code == 404
    assert get(http, base, dataId="t", tenant="ns1").text == "ns1"
    publish(http, base, dataId="p", content="pub", tenant="public")
    assert get(http, base, dataId="p").text == "pub"
    assert get(http, base, dataId="p", tenant="").text == "pub"


def test_tag_content_is_separate(http, base):
    publish(http, base, dataId="g", content="main")
    publish(http, base, dataId="g", content="gray", tag="v2")
    assert get(http, base, dataId="g").text == "main"
    r = get(http, base, dataId="g", tag="v2")
    assert r.text == "gray"
    assert r.headers["Content-MD5"] == hashlib.md5(b"gray").hexdigest()
    assert get(http, base, dataId="g", tag="v3").status_code == 404
    http.delete(base + "/v1/cs/configs", params={"dataId": "g", "group": "DEFAULT_GROUP", "tag": "v2"})
    assert get(http, base, dataId="g", tag="v2").status_code == 404
    assert get(http, base, dataId="g").text == "main"


def test_cas_publish(http, base):
    publish(http, base, dataId="c", content="one")
    md5 = hashlib.md5(b"one").hexdigest()
    r = http.post(base + "/v1/cs/configs", data={"dataId": "c", "group": "DEFAULT_GROUP", "content": "two"},
                  headers={"casMd5": "0" * 32})
    assert r.status_code == 500
    assert r.text == "caused: Cas publish fail, server md5 may have changed.;"
    r = http.post(base + "/v1/cs/configs", data={"dataId": "c", "group": "DEFAULT_GROUP", "content": "two"},
                  headers={"casMd5": md5})
    assert r.text == "true"
    assert get(http, base, dataId="c").text == "two"


def test_missing_params_are_500_html_escaped(http, base):
    r = http.post(base + "/v1/cs/configs", data={"dataId": "x", "group": "DEFAULT_GROUP"})
    assert r.status_code == 500
    assert r.text == ("caused: Required request parameter &#39;content&#39; for method parameter "
                      "type String is not present;")
    r = http.get(base + "/v1/cs/configs", params={"group": "DEFAULT_GROUP"})
    assert r.status_code == 500
    assert "&#39;dataId&#39;" in r.text


def test_blank_content_is_500_and_blank_data_id_400(http, base):
    r = publish(http, base, dataId="x", content="   ")
    assert r.status_code == 500  # recorded on 2.3.2 (tests/conformance)
    assert r.text.startswith("caused: content is blank")
    r = get(http, base, dataId="")
    assert (r.status_code, r.text) == (400, "caused: invalid dataId : ;")


def test_param_checker_rules(http, base):
    r = publish(http, base, dataId="a b", content="x")
    assert r.status_code == 400
    assert r.text == "Param 'dataId' is illegal, illegal characters should not appear in the param.\r\n"
    r = publish(http, base, dataId="a", group="g/h", content="x")
    assert r.text == "Param 'group' is illegal, illegal characters should not appear in the param.\r\n"
    r = publish(http, base, dataId="a", tenant="ns.1", content="x")
    assert r.text == "Param 'namespaceId/tenant' is illegal, illegal characters should not appear in the param.\r\n"
    r = publish(http, base, dataId="a" * 257, content="x")
    assert r.text == "Param 'dataId' is illegal, the param length should not exceed 256.\r\n"
    r = publish(http, base, dataId="ok-id_1:2.3", content="x")
    assert r.text == "true"


def test_search_accurate_and_blur_with_paging(http, base):
    for i in range(5):
        publish(http, base, dataId="svc.%d.yaml" % i, content="c%d" % i, appName="app" if i % 2 else "")
    publish(http, base, dataId="other", content="o")
    publish(http, base, dataId="svc.9.yaml", content="ns", tenant="ns1")
    page = http.get(base + "/v1/cs/configs", params={
        "search": "blur", "dataId": "svc.*", "group": "", "pageNo": 1, "pageSize": 2}).json()
    assert page["totalCount"] == 5
    assert page["pageNumber"] == 1
    assert page["pagesAvailable"] == 3
    assert len(page["pageItems"]) == 2
    item = page["pageItems"][0]
    assert set(["id", "dataId", "group", "content", "md5", "tenant", "appName", "type"]) <= set(item)
    assert item["dataId"] == "svc.0.yaml" and item["content"] == "c0"
    last = http.get(base + "/v1/cs/configs", params={
        "search": "blur", "dataId": "svc.*", "group": "", "pageNo": 3, "pageSize": 2}).json()
    assert [i["dataId"] for i in last["pageItems"]] == ["svc.4.yaml"]
    exact = http.get(base + "/v1/cs/configs", params={
        "search": "accurate", "dataId": "other", "group": "DEFAULT_GROUP", "pageNo": 1, "pageSize": 10}).json()
    assert [i["dataId"] for i in exact["pageItems"]] == ["other"]
    by_app = http.get(base + "/v1/cs/configs", params={
        "search": "accurate", "dataId": "", "group": "", "appName": "app", "pageNo": 1, "pageSize": 10}).json()
    assert by_app["totalCount"] == 2
    ns = http.get(base + "/v1/cs/configs", params={
        "search": "blur", "dataId": "*", "group": "*", "tenant": "ns1", "pageNo": 1, "pageSize": 10}).json()
    assert [(i["dataId"], i["tenant"]) for i in ns["pageItems"]] == [("svc.9.yaml", "ns1")]


def test_show_all(http, base):
    publish(http, base, dataId="s", content="x", appName="a1", desc="d")
    info = get(http, base, dataId="s", show="all").json()
    assert info["dataId"] == "s" and info["appName"] == "a1" and info["desc"] == "d"
    assert info["md5"] == hashlib.md5(b"x").hexdigest()


def test_namespaces_crud(http, base):
    url = base + "/v1/console/namespaces"
    body = http.get(url).json()
    assert body["code"] == 200
    assert body["data"][0] == {"namespace": "", "namespaceShowName": "public", "namespaceDesc": "Public Namespace",
                               "quota": 200, "configCount": 0, "type": 0}
    r = http.post(url, data={"customNamespaceId": "dev", "namespaceName": "Dev", "namespaceDesc": "d"})
    assert r.text == "true"
    assert http.post(url, data={"customNamespaceId": "dev", "namespaceName": "Dev"}).text == "false"
    assert http.post(url, data={"customNamespaceId": "bad id", "namespaceName": "X"}).text == "false"
    assert http.post(url, data={"customNamespaceId": "n2", "namespaceName": "bad@name"}).text == "false"
    assert http.post(url, data={"namespaceName": "generated"}).text == "true"
    publish(http, base, dataId="x", content="y", tenant="dev")
    spaces = http.get(url).json()["data"]
    dev = [s for s in spaces if s["namespace"] == "dev"][0]
    assert dev == {"namespace": "dev", "namespaceShowName": "Dev", "namespaceDesc": "d", "quota": 200,
                   "configCount": 1, "type": 2}
    assert len(spaces) == 3
    assert http.get(url, params={"show": "all", "namespaceId": "dev"}).json()["namespaceShowName"] == "Dev"
    assert http.get(url, params={"checkNamespaceIdExist": "true", "customNamespaceId": "dev"}).text == "true"
    assert http.put(url, data={"namespace": "dev", "namespaceShowName": "Dev2"}).text == "true"
    assert http.get(url, params={"show": "all", "namespaceId": "dev"}).json()["namespaceShowName"] == "Dev2"
    assert http.delete(url, params={"namespaceId": "dev"}).text == "true"
    assert http.get(url, params={"checkNamespaceIdExist": "true", "customNamespaceId": "dev"}).text == "false"
    r = http.post(url, data={"customNamespaceId": "x"})
    assert r.status_code == 500 and "namespaceName" in r.text


def test_health_state_and_routing_errors(http, base, srv):
    assert (http.get(base + "/v1/console/health/liveness").text) == "OK"
    assert (http.get(base + "/v1/console/health/readiness").status_code) == 200
    state = http.get(base + "/v1/console/server/state").json()
    assert state["version"].startswith("2.") and state["auth_enabled"] == "false"
    r = http.get(base + "/v1/nothing/here")
    assert r.status_code == 404
    body = r.json()
    assert body["status"] == 404 and body["error"] == "Not Found" and body["path"] == "/nacos/v1/nothing/here"
    assert "timestamp" in body and "message" in body
    assert http.get(srv.url + "/v1/cs/configs", params={"dataId": "a", "group": "b"}).status_code == 404
    r = http.patch(base + "/v1/cs/configs")
    assert r.status_code == 405 and r.json()["error"] == "Method Not Allowed"


def test_trailing_slash_and_empty_context_path(make_server, http):
    server = make_server(context_path="")
    r = http.post(server.url + "/v1/cs/configs/", data={"dataId": "a", "group": "g", "content": "x"})
    assert r.text == "true"
    assert http.get(server.url + "/v1/cs/configs", params={"dataId": "a", "group": "g"}).text == "x"


def test_keep_alive_reuses_one_connection(http, base, srv):
    publish(http, base, dataId="k", content="v")
    srv.clear_log()
    for _ in range(20):
        assert get(http, base, dataId="k").text == "v"
    clients = set(entry["client"] for entry in srv.request_log)
    assert len(clients) == 1
    assert len(srv.request_log) == 20


def test_connection_close_is_honoured(base):
    r = requests.get(base + "/v1/cs/configs", params={"dataId": "a", "group": "b"},
                     headers={"Connection": "close"})
    assert r.status_code == 404
    assert r.headers.get("Connection") == "close"


def test_large_content_roundtrip(http, base):
    content = json.dumps({"k%d" % i: "v" * 50 for i in range(20000)})
    assert len(content) > 1024 * 1024
    assert publish(http, base, dataId="big", content=content).text == "true"
    assert get(http, base, dataId="big").text == content
