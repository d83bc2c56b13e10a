# -*- coding: utf-8 -*-
"""Issue 15 (drop-in fidelity) through real HTTP: the keyword subscribe form, notify_queue, an assigned
current_server, legacy inputs on the wire, the legacy get_configs snapshot name and long dataIds."""
import json
import os
import threading

from support.net import dead_address
from support.wait import wait_for

from nacos import files
from nacos.listener import SubscribeListener


class Calls(object):
    def __init__(self):
        self.lock = threading.Lock()
        self.seen = []

    def __call__(self, *args):
        with self.lock:
            self.seen.append(args)

    def dicts(self):
        with self.lock:
            return [a[0] for a in self.seen if len(a) == 1 and isinstance(a[0], dict)]


def _ips(event):
    return sorted(h["ip"] for h in event["hosts"])


def test_subscribe_service_form_with_keywords_and_positionals(client, group):
    client.add_naming_instance("kw-svc", "10.0.0.1", 80, cluster_name="production", group_name=group)
    client.add_naming_instance("kw-svc", "10.0.0.2", 80, group_name=group)
    by_keyword, no_cluster, positional, legacy = Calls(), Calls(), Calls(), Calls()
    client.subscribe(service_name="kw-svc", listener_fn=by_keyword, cluster_name="production", group_name=group)
    client.subscribe(service_name="kw-svc", listener_fn=no_cluster, group_name=group)
    client.subscribe("kw-svc", positional, "production", group)
    client.subscribe(SubscribeListener(legacy, "legacy"), 7, "kw-svc", group_name=group)
    wait_for(lambda: by_keyword.dicts() and no_cluster.dicts() and positional.dicts() and legacy.seen)
    assert _ips(by_keyword.dicts()[-1]) == ["10.0.0.1"] and _ips(positional.dicts()[-1]) == ["10.0.0.1"]
    assert _ips(no_cluster.dicts()[-1]) == ["10.0.0.1", "10.0.0.2"]
    assert all(len(args) == 2 and args[0] == "ADDED" for args in legacy.seen)
    assert client.unsubscribe("kw-svc", listener_fn=no_cluster) == 1
    assert client.unsubscribe(service_name="%s@@kw-svc" % group, listener_name="legacy") == 1
    client.stop_subscribe()
    assert client.unsubscribe("kw-svc") == 0


def test_notify_queue_notifies_watchers_md5_deduplicated(client, group):
    calls = Calls()
    assert client.publish_config("nq", group, u"base") is True
    wait_for(lambda: client.get_config("nq", group) == u"base")  # a real server applies the write ~100 ms later
    client.add_config_watcher("nq", group, calls)
    client.add_config_watcher("nq", group, calls)
    key = "+".join(["nq", group, client.namespace])
    mapping = client.watcher_mapping[key]
    assert len(mapping) == 2 and mapping[0].callback is calls and mapping[0].watch_key == key

    def contents():
        return [a[0]["content"] for a in calls.seen]

    wait_for(lambda: contents() == ["base", "base"])  # the first poll has answered
    client.notify_queue.put((key, "xxx", "md51"))
    wait_for(lambda: len(contents()) == 4)
    client.notify_queue.put((key, "same md5", "md51"))
    client.notify_queue.put((key, "yyy", "md52"))
    wait_for(lambda: len(contents()) == 6)
    assert contents()[2:] == ["xxx", "xxx", "yyy", "yyy"]
    assert [w.last_md5 for w in client.watcher_mapping[key]] == ["md52", "md52"]
    client.notify_queue.put(("other+%s+%s" % (group, client.namespace), "z", "m"))  # no watcher: ignored


def test_assigned_current_server_fails_over_to_the_snapshot_then_the_list(client, group):
    assert client.publish_config("cs", group, u"from server") is True
    wait_for(lambda: client.get_config("cs", group) == u"from server")  # writes the snapshot
    real = client.current_server
    client.current_server = tuple(dead_address().rsplit(":", 1))
    files.save_file(client.snapshot_base, "+".join(["cs", group, client.namespace]), u"from snapshot")
    assert client.get_config("cs", group) == u"from snapshot"
    assert client.current_server == real
    assert client.get_config("cs", group) == u"from server"


def test_grouped_service_names_and_key_value_metadata(client, group):
    assert client.add_naming_instance("%s@@grp-svc" % group, "10.0.0.3", 80, metadata="k=v,k2=v2") is True
    info = client.list_naming_instance("grp-svc", group_name=group)
    assert [(h["ip"], h["metadata"]) for h in info["hosts"]] == [("10.0.0.3", {"k": "v", "k2": "v2"})]
    assert client.list_naming_instance(info["name"])["hosts"][0]["ip"] == "10.0.0.3"  # name is "G@@grp-svc"
    assert client.remove_naming_instance("%s@@grp-svc" % group, "10.0.0.3", 80) is True


def test_get_configs_serves_a_legacy_snapshot_during_an_outage(make_client, namespace, group):
    offline = make_client(server=type("Dead", (), {"address": dead_address()})(), default_timeout=1)
    page = {"totalCount": 1, "pageNumber": 1, "pagesAvailable": 1,
            "pageItems": [{"dataId": "d", "group": group, "content": "c"}]}
    files.save_file(offline.snapshot_base, "++%s" % namespace, json.dumps(page))  # the legacy name
    assert offline.get_configs(group=group) == page
    assert offline.get_configs(page_no=2, page_size=10) == page


def test_a_data_id_longer_than_a_file_name_has_a_snapshot(client, make_client, group):
    data_id = "long-" + "x" * 235  # 240 characters (a real server stores up to 255): with group and namespace
    # the flat file name dataId+group+namespace passes 255 bytes
    assert client.publish_config(data_id, group, u"long") is True
    wait_for(lambda: client.get_config(data_id, group) == u"long")
    assert [n for n in os.listdir(client.snapshot_base) if "%~" in n]
    offline = make_client(server=type("Dead", (), {"address": dead_address()})(), default_timeout=1)
    assert offline.get_config(data_id, group) == u"long"
