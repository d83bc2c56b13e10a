# -*- coding: utf-8 -*-
"""get/publish/remove/get_configs and their failover/snapshot rules (docs/config.md, "Reading a config").

Runs against the embedded server, or a real Nacos with NACOS_SERVER_ADDR (fault-injection tests excepted).
"""
import json
import os
import stat
import threading

import pytest
from support.net import dead_address
from support.wait import settles

import nacos
from nacos.exception import (NacosException, NacosForbidden, NacosInvalidParam, NacosRequestException)


def file_of(base, data_id, group, namespace):
    return os.path.join(base, "%s+%s+%s" % (data_id, group, namespace))


def write(path, text):
    d = os.path.dirname(path)
    if not os.path.isdir(d):
        os.makedirs(d)
    with open(path, "wb") as fp:
        fp.write(text.encode("utf-8"))


def read(path):
    with open(path, "rb") as fp:
        return fp.read().decode("utf-8")


@pytest.fixture
def offline(make_client):
    """A client whose only server refuses connections (same namespace and local dirs as ``client``)."""
    return make_client(server=type("Dead", (), {"address": dead_address()})(), default_timeout=1,
                       username=None, password=None)


# ------------------------------------------------------------------------------------------ basics


def test_publish_get_remove_roundtrip(client, group):
    assert client.publish_config("d1", group, u"内容 v1") is True
    assert settles(lambda: client.get_config("d1", group), u"内容 v1")
    assert client.publish_config("d1", group, u"v2".encode("utf-8")) is True  # bytes are UTF-8
    assert settles(lambda: client.get_config("d1", group), u"v2")
    assert client.remove_config("d1", group) is True
    assert settles(lambda: client.get_config("d1", group), None)
    assert client.remove_config("d1", group) is True  # also for a missing config


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_blank_group_is_default_group(client, blank):
    data_id = "blank-group-%d" % (len(blank) if blank is not None else 9)
    assert client.publish_config(data_id, blank, "x") is True
    try:
        assert settles(lambda: client.get_config(data_id, "DEFAULT_GROUP"), "x")
        assert client.get_config(data_id, blank) == "x"
    finally:
        client.remove_config(data_id, None)


def test_publish_none_content_raises(client, group):
    with pytest.raises(NacosException) as info:
        client.publish_config("d", group, None)
    assert "Can not publish none content" in str(info.value)


def test_publish_with_cas_md5(client, group):
    client.publish_config("cas", group, "one")
    assert settles(lambda: client.get_config("cas", group), "one")
    assert client.publish_config("cas", group, "two", cas_md5=client.get_md5("one")) is True
    assert settles(lambda: client.get_config("cas", group), "two")
    with pytest.raises(NacosException):
        client.publish_config("cas", group, "three", cas_md5=client.get_md5("one"))
    assert client.get_config("cas", group) == "two"


def test_publish_with_tag_leaves_the_plain_content(client, group):
    client.publish_config("tagged", group, "plain")
    assert settles(lambda: client.get_config("tagged", group), "plain")
    assert client.publish_config("tagged", group, "gray", tag="canary") is True
    assert client.get_config("tagged", group) == "plain"


def test_invalid_names_raise_before_any_request(client):
    for bad in ("a b", "a/b", "../x", u"a\x00b"):
        with pytest.raises(NacosInvalidParam):
            client.get_config(bad, "G")
        with pytest.raises(NacosInvalidParam):
            client.get_config("d", bad)


# ------------------------------------------------------------------------------------------ snapshot


def test_snapshot_written_on_success_and_deleted_on_404(client, group, tmpdir, namespace):
    snap = file_of(str(tmpdir.join("snapshot")), "s1", group, namespace)
    client.publish_config("s1", group, "server")
    assert settles(lambda: client.get_config("s1", group), "server")
    assert read(snap) == "server"
    client.remove_config("s1", group)
    assert settles(lambda: client.get_config("s1", group), None)
    assert not os.path.exists(snap)


def test_no_snapshot_option_writes_nothing(make_client, group, tmpdir):
    c = make_client(no_snapshot=True)
    c.publish_config("s2", group, "server")
    assert settles(lambda: c.get_config("s2", group), "server")
    assert not tmpdir.join("snapshot").check()


def test_snapshot_served_when_no_server_answers(offline, group, tmpdir, namespace):
    write(file_of(str(tmpdir.join("snapshot")), "s3", group, namespace), u"from snapshot ü")
    assert offline.get_config("s3", group) == u"from snapshot ü"
    with pytest.raises(NacosRequestException):
        offline.get_config("s3", group, no_snapshot=True)


def test_no_server_and_no_snapshot_raises(offline, group):
    with pytest.raises(NacosRequestException):
        offline.get_config("nothing-anywhere", group)
    with pytest.raises(NacosRequestException):
        offline.get_configs(group=group)


@pytest.mark.embedded_only
def test_server_errors_fall_back_to_the_snapshot(embedded_server, make_client, group, tmpdir, namespace):
    c = make_client(server=embedded_server)
    c.publish_config("s4", group, "v1")
    assert c.get_config("s4", group) == "v1"
    c.publish_config("s4", group, "v2")
    for status in (500, 503, 409):
        embedded_server.fail_next(1, status=status, path="/v1/cs/configs", method="GET")
        assert c.get_config("s4", group) == "v1"
    assert c.get_config("s4", group) == "v2"


@pytest.mark.embedded_only
def test_403_raises_and_never_falls_back(embedded_server, make_client, group, tmpdir, namespace):
    c = make_client(server=embedded_server)
    write(file_of(str(tmpdir.join("snapshot")), "s5", group, namespace), "snap")
    embedded_server.fail_next(1, status=403, body="authorization failed!", path="/v1/cs/configs", method="GET")
    with pytest.raises(NacosForbidden):
        c.get_config("s5", group)


# ------------------------------------------------------------------------------------------ failover


def test_failover_file_is_served_without_asking_a_server(offline, group, tmpdir, namespace):
    write(file_of(str(tmpdir.join("failover")), "f1", group, namespace), "from failover")
    assert offline.get_config("f1", group) == "from failover"


def test_failover_file_wins_over_the_server(client, group, tmpdir, namespace):
    client.publish_config("f2", group, "server")
    assert settles(lambda: client.get_config("f2", group), "server")
    path = file_of(str(tmpdir.join("failover")), "f2", group, namespace)
    write(path, "local")
    assert client.get_config("f2", group) == "local"
    os.remove(path)
    assert client.get_config("f2", group) == "server"


@pytest.mark.skipif(os.name != "posix" or (hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="needs POSIX file modes as a non-root user")
def test_read_only_files_are_read(offline, group, tmpdir, namespace):
    fo = file_of(str(tmpdir.join("failover")), "ro1", group, namespace)
    sn = file_of(str(tmpdir.join("snapshot")), "ro2", group, namespace)
    write(fo, "ro failover")
    write(sn, "ro snapshot")
    for path in (fo, sn):
        os.chmod(path, stat.S_IRUSR)
    os.chmod(os.path.dirname(fo), stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert offline.get_config("ro1", group) == "ro failover"
        assert offline.get_config("ro2", group) == "ro snapshot"
    finally:
        os.chmod(os.path.dirname(fo), stat.S_IRWXU)


def test_disabled_directories(make_client, group, tmpdir):
    c = make_client(failover_base=None, snapshot_base=None)
    c.publish_config("nd", group, "x")
    assert settles(lambda: c.get_config("nd", group), "x")
    assert not tmpdir.join("snapshot").check() and not tmpdir.join("failover").check()


# ------------------------------------------------------------------------------------------ get_configs


def test_get_configs_page_and_snapshots(client, group, tmpdir, namespace):
    client.publish_config("p1", group, "c1")
    client.publish_config("p2", group, "c2")
    page = client.get_configs(group=group)
    items = sorted((i["dataId"], i["content"]) for i in page["pageItems"])
    assert items == [("p1", "c1"), ("p2", "c2")]
    assert page["totalCount"] == 2
    snap = str(tmpdir.join("snapshot"))
    assert json.loads(read(os.path.join(snap, "+%s+%s" % (group, namespace))))["totalCount"] == 2
    assert read(file_of(snap, "p1", group, namespace)) == "c1"


def test_get_configs_failover_and_snapshot(offline, group, tmpdir, namespace):
    page = {"totalCount": 1, "pageNumber": 1, "pagesAvailable": 1,
            "pageItems": [{"dataId": "x", "group": group, "content": "y"}]}
    write(os.path.join(str(tmpdir.join("snapshot")), "+%s+%s" % (group, namespace)), json.dumps(page))
    assert offline.get_configs(group=group) == page
    page2 = dict(page, totalCount=7)
    write(os.path.join(str(tmpdir.join("failover")), "+%s+%s" % (group, namespace)), json.dumps(page2))
    assert offline.get_configs(group=group) == page2
    with pytest.raises(NacosRequestException):
        offline.get_configs(group=group, page_no=2)  # another page has no snapshot of its own


@pytest.mark.embedded_only
def test_get_configs_on_3x_reads_the_admin_list(embedded_server, make_client, group, namespace):
    """Nacos 3.x answers 410 to the v1 search (a console API there): the page comes from the 3.x admin list
    plus each item's content, in the v1 shape; after the first 410 the v1 search is not asked again."""
    c = make_client(server=embedded_server)
    c.publish_config("y1", group, "a: 1", config_type="yaml")
    c.publish_config("y2", group, "two")
    c.publish_config("y3", group + "-other", "elsewhere")
    v1 = c.get_configs(group=group)

    def shape(page):
        return page["totalCount"], sorted((i["dataId"], i["group"], i["content"], i["type"], i["tenant"])
                                          for i in page["pageItems"])
    gone = '{"status":410,"error":"Gone","message":"Current API will be deprecated"}'
    embedded_server.fail_next(1, status=410, body=gone, path="/v1/cs/configs", method="GET")
    expected = (2, [("y1", group, "a: 1", "yaml", namespace), ("y2", group, "two", "text", namespace)])
    assert shape(c.get_configs(group=group)) == shape(v1) == expected
    embedded_server.clear_log()
    page = c.get_configs(group=group, page_no=2, page_size=1)
    assert [i["dataId"] for i in page["pageItems"]] == ["y2"] and page["pagesAvailable"] == 2
    assert page["pageItems"][0]["md5"] == "b8a9f715dbb64fd5c56e7783c6820a61"
    assert [e["path"].split("/nacos", 1)[1] for e in embedded_server.request_log] == [
        "/v3/admin/cs/config/list", "/v3/admin/cs/config"]


# ------------------------------------------------------------------------------------------ safety


def test_namespace_cannot_name_a_path(nacos_server, tmpdir):
    for evil in ("../up", "a/b", "..", "x\\y"):
        with pytest.raises(NacosInvalidParam):
            nacos.NacosClient(nacos_server.address, namespace=evil, failover_base=str(tmpdir))


def test_dot_names_stay_inside_the_base(client, tmpdir, namespace):
    # "." and ".." are refused: Nacos 2.x stores configs as files <tenant>/<group>/<dataId> and answers 404
    # forever for such a name (its publish still says true).
    for bad in (".", ".."):
        with pytest.raises(NacosInvalidParam):
            client.publish_config(bad, "G", "dots")
        with pytest.raises(NacosInvalidParam):
            client.get_config("d", bad)
    for data_id in ("...", ".:..", "..:..:..", ".x", "x.."):
        client.publish_config(data_id, "...", "dots")
        assert settles(lambda: client.get_config(data_id, "..."), "dots")
        client.remove_config(data_id, "...")
    snap = tmpdir.join("snapshot")
    for path in tmpdir.visit():
        assert path.dirpath() in (tmpdir, snap)
    assert sorted(p.basename for p in tmpdir.listdir()) == ["snapshot"]


def test_a_bypassed_namespace_check_still_cannot_escape(offline, client, group, tmpdir):
    # legacy unescaped names would resolve failover/"d+G+../../outside" to tmpdir/outside
    tmpdir.join("failover").ensure("d+%s+.." % group, dir=True)
    tmpdir.join("outside").write("secret")
    offline.namespace = "../../outside"  # a plain attribute: the check can be bypassed
    with pytest.raises(NacosRequestException):
        offline.get_config("d", group)
    client.namespace = "../../outside"
    client.publish_config("d", group, "server")
    assert settles(lambda: client.get_config("d", group), "server")  # snapshot written under a safe name
    assert sorted(p.basename for p in tmpdir.listdir()) == ["failover", "outside", "snapshot"]
    assert tmpdir.join("outside").read() == "secret"
    assert [p.basename for p in tmpdir.join("snapshot").listdir()] == ["d+%s+..%%2F..%%2Foutside" % group]
    assert [p.basename for p in tmpdir.join("failover").listdir()] == ["d+%s+.." % group]


def test_concurrent_writers_never_leave_a_torn_snapshot(make_client, group, tmpdir, namespace):
    clients = [make_client() for _ in range(4)]
    values = [(u"writer-%d " % n) * 2000 for n in range(4)]
    snap = file_of(str(tmpdir.join("snapshot")), "shared", group, namespace)
    clients[0].publish_config("shared", group, values[0])  # readers never see "absent" below
    assert settles(lambda: clients[0].get_config("shared", group), values[0])
    errors = []
    stop = threading.Event()

    def writer(c, value):
        try:
            for _ in range(10):
                c.publish_config("shared", group, value)
                assert c.get_config("shared", group) in values
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def reader():
        while not stop.is_set():
            if os.path.exists(snap):
                try:
                    text = read(snap)
                except (IOError, OSError):
                    continue
                if text not in values:
                    errors.append(AssertionError("torn snapshot of %d chars" % len(text)))
            stop.wait(0.001)

    threads = [threading.Thread(target=writer, args=(c, v)) for c, v in zip(clients, values)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    stop.set()
    watcher.join(5)
    assert errors == []
    final = clients[0].get_config("shared", group)
    assert read(snap) == final
    assert [n for n in os.listdir(os.path.dirname(snap)) if n.startswith(".nacos-tmp-")] == []
