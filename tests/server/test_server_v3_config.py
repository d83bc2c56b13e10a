"""3.x config routes (``/v3/client/cs/config``, ``/v3/admin/cs/config[/list]``), core state and health, in both
modes, and the one store they share with ``/v1/cs/configs``."""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib

from support.v3 import envelope

CLIENT = "/v3/client/cs/config"
ADMIN = "/v3/admin/cs/config"
LIST = "/v3/admin/cs/config/list"
KEY = {"dataId": "d1", "groupName": "G1"}


def test_publish_then_client_get(http, vbase):
    assert envelope(http.post(vbase + ADMIN, data=dict(KEY, content="hello", type="json"))) is True
    data = envelope(http.get(vbase + CLIENT, params=KEY))
    assert data["content"] == "hello" and data["contentType"] == "json"
    assert data["md5"] == hashlib.md5(b"hello").hexdigest()
    assert isinstance(data["lastModified"], int) and data["lastModified"] > 0
    assert (data["resultCode"], data["errorCode"], data["success"], data["beta"], data["tag"]) == (
        200, 0, True, False, None)
    assert data["encryptedDataKey"] == "" and data["message"] is None and data["requestId"] is None


def test_client_get_missing_and_bad_requests(http, vbase):
    r = http.get(vbase + CLIENT, params=dict(KEY, dataId="nope"))
    assert (r.status_code, r.json()) == (200, {"code": 20004, "message": "resource not found", "data": None})
    r = http.get(vbase + CLIENT, params={"dataId": "d1"})
    assert (r.status_code, r.text) == (400, "caused: Required parameter 'groupName' type String is not present;")
    assert r.headers["Content-Type"] == "text/plain;charset=UTF-8"
    r = http.get(vbase + CLIENT, params={"groupName": "G1"})
    assert r.text == "caused: Required parameter 'dataId' type String is not present;"
    r = http.get(vbase + CLIENT, params=dict(KEY, dataId="a b"))
    assert (r.status_code, r.text) == (400, "Param 'dataId' is illegal, illegal characters should not appear in "
                                            "the param.\r\n")
    assert "Content-Type" not in r.headers


def test_namespace_public_blank_and_custom(http, vbase):
    envelope(http.post(vbase + ADMIN, data=dict(KEY, content="pub")))
    envelope(http.post(vbase + ADMIN, data=dict(KEY, content="mine", namespaceId="ns1")))
    assert envelope(http.get(vbase + CLIENT, params=dict(KEY, namespaceId="public")))["content"] == "pub"
    assert envelope(http.get(vbase + CLIENT, params=dict(KEY, namespaceId="")))["content"] == "pub"
    assert envelope(http.get(vbase + CLIENT, params=dict(KEY, namespaceId="ns1")))["content"] == "mine"
    assert envelope(http.get(vbase + ADMIN, params=KEY))["namespaceId"] == "public"


def test_publish_validation(http, vbase):
    missing = "Required parameter '%s' type String is not present"
    for form, name in ((dict(dataId="d", content="x"), "groupName"), (dict(groupName="g", content="x"), "dataId"),
                       (KEY, "content"), (dict(KEY, content="  "), "content")):
        assert envelope(http.post(vbase + ADMIN, data=form), 400, 10000, "parameter missing") == missing % name
    r = http.post(vbase + ADMIN, data=dict(KEY, dataId="a$b", content="x"))
    assert r.status_code == 400 and r.text.startswith("Param 'dataId' is illegal")


def test_a_form_over_2_mib_is_not_parsed(http, vbase):
    r = http.post(vbase + ADMIN, data=dict(KEY, content="x" * (2 * 1024 * 1024 + 1)))
    assert envelope(r, 400, 10000, "parameter missing") == "Required parameter 'groupName' type String is not present"


def test_cas_header_honoured_form_field_ignored(http, vbase):
    envelope(http.post(vbase + ADMIN, data=dict(KEY, content="hello")))
    r = http.post(vbase + ADMIN, data=dict(KEY, content="other"), headers={"casMd5": "0" * 32})
    assert envelope(r, 500, 20005, "resource conflict") == "Cas publish fail, server md5 may have changed."
    md5 = hashlib.md5(b"hello").hexdigest()
    assert envelope(http.post(vbase + ADMIN, data=dict(KEY, content="new"), headers={"casMd5": md5})) is True
    assert envelope(http.post(vbase + ADMIN, data=dict(KEY, content="newer", casMd5="0" * 32))) is True
    assert envelope(http.get(vbase + CLIENT, params=KEY))["content"] == "newer"


def test_admin_get_detail_missing_and_delete(http, vbase):
    envelope(http.post(vbase + ADMIN, data=dict(KEY, content="c", appName="app", desc="dd", configTags="a,b")))
    data = envelope(http.get(vbase + ADMIN, params=KEY))
    assert (data["dataId"], data["groupName"], data["content"], data["appName"], data["desc"], data["configTags"]) == (
        "d1", "G1", "c", "app", "dd", "a,b")
    assert set(["id", "md5", "type", "createTime", "modifyTime", "encryptedDataKey", "createUser",
                "createIp"]) <= set(data)
    for _ in range(2):  # deleting a missing config is a success too
        assert envelope(http.delete(vbase + ADMIN, params=KEY)) is True
    r = http.get(vbase + ADMIN, params=KEY)
    assert envelope(r, 404, 20004, "resource not found") == "Config not exist, please publish Config first."
    assert envelope(http.get(vbase + ADMIN, params={"dataId": "d1"}), 400, 10000, "parameter missing") == \
        "Required parameter 'groupName' type String is not present"
    assert envelope(http.delete(vbase + ADMIN, params={"dataId": "d1"}), 400, 10000, "parameter missing")


def test_list_search_and_pages(http, vbase):
    for data_id, group in (("a.txt", "G1"), ("b.txt", "G1"), ("c.txt", "H2")):
        envelope(http.post(vbase + ADMIN, data={"dataId": data_id, "groupName": group, "content": data_id}))
    page = envelope(http.get(vbase + LIST))
    assert (page["totalCount"], page["pageNumber"], page["pagesAvailable"]) == (3, 1, 1)
    item = page["pageItems"][0]
    assert set(item) == set(["id", "namespaceId", "groupName", "dataId", "md5", "type", "appName", "createTime",
                             "modifyTime"])
    assert item["md5"] == hashlib.md5(item["dataId"].encode("ascii")).hexdigest() and item["namespaceId"] == "public"
    names = lambda p: sorted(i["dataId"] for i in p["pageItems"])  # noqa: E731
    assert names(envelope(http.get(vbase + LIST, params={"dataId": "a"}))) == []  # blur needs a wildcard
    assert names(envelope(http.get(vbase + LIST, params={"groupName": "G*"}))) == ["a.txt", "b.txt"]
    assert names(envelope(http.get(vbase + LIST, params={"search": "accurate", "dataId": "c.txt"}))) == ["c.txt"]
    second = envelope(http.get(vbase + LIST, params={"pageNo": "2", "pageSize": "2"}))
    assert (len(second["pageItems"]), second["pagesAvailable"]) == (1, 2)
    r = http.get(vbase + LIST, params={"dataId": "a*"})
    assert r.status_code == 400 and r.text.startswith("Param 'dataId' is illegal")
    assert envelope(http.get(vbase + LIST, params={"pageNo": "0"}), 400, 20002, "parameter validate error") == \
        "Required parameter 'pageNo' should be positive integer, current is 0"
    r = http.get(vbase + LIST, params={"pageSize": "x"})
    assert r.status_code == 500 and r.json()["code"] == 30000 and "'pageSize'" in r.json()["message"]


def test_one_store_with_v1(http, make_server):
    base = make_server().url + "/nacos"
    http.post(base + "/v1/cs/configs", data={"dataId": "v1", "group": "G", "content": "from-v1"})
    assert envelope(http.get(base + CLIENT, params={"dataId": "v1", "groupName": "G"}))["content"] == "from-v1"
    envelope(http.post(base + ADMIN, data={"dataId": "v3", "groupName": "G", "content": "from-v3",
                                           "namespaceId": "public"}))
    r = http.get(base + "/v1/cs/configs", params={"dataId": "v3", "group": "G"})
    assert (r.status_code, r.text) == (200, "from-v3")
    envelope(http.delete(base + ADMIN, params={"dataId": "v1", "groupName": "G"}))
    assert http.get(base + "/v1/cs/configs", params={"dataId": "v1", "group": "G"}).status_code == 404


def test_core_state_and_health(http, make_server):
    for v1 in (True, False):
        srv = make_server(v1=v1)
        base = srv.url + "/nacos"
        state = envelope(http.get(base + "/v3/admin/core/state"))
        assert (state["version"], state["auth_enabled"], state["startup_mode"]) == ("3.1.0", "false", "standalone")
        assert state["server_port"] == str(srv.port) and state["embedded_server"] == "nacos.testing"
        for path in ("/v3/admin/core/state/readiness", "/v3/admin/core/state/liveness"):
            assert envelope(http.get(base + path)) == "ok"
