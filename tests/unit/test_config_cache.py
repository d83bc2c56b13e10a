# -*- coding: utf-8 -*-
"""Pure logic of the config watchers: wire format and per-key md5 bookkeeping."""
from nacos.config import cache
from nacos.config.api import md5_hex


def item(data_id="d", group="g", namespace="", content=None):
    return cache.CacheItem(data_id, group, namespace, content)


def test_probe_puts_md5_before_tenant():
    a = item("a", "G1", "ns", content=u"x")
    b = item("b", "G2", "ns")
    text = cache.probe([a, b], "ns")
    assert text == u"a\x02G1\x02%s\x02ns\x01b\x02G2\x02\x02ns\x01" % md5_hex(u"x")


def test_probe_without_namespace_has_three_fields():
    assert cache.probe([item("a", "G")], "") == u"a\x02G\x02\x01"


def test_parse_changed_decodes_like_the_java_server():
    body = b"cfg1%02DEFAULT_GROUP%01cfg2%02G%02ns1%01\n"
    assert cache.parse_changed(body) == [("cfg1", "DEFAULT_GROUP", None), ("cfg2", "G", "ns1")]
    assert cache.parse_changed(b"") == []
    assert cache.parse_changed(b"\n") == []
    assert cache.parse_changed(b"only%01a%02b%01") == [("a", "b", None)]


def test_parse_changed_unicode_and_plus():
    encoded = u"中+文".encode("utf-8")
    body = b"".join(b"%%%02X" % c for c in bytearray(encoded)) + b"%02g+x%01"
    assert cache.parse_changed(body) == [(u"中+文", u"g x", None)]


def test_due_watchers_follow_the_last_notified_md5():
    it = item()
    plain = cache.Watcher(lambda p: None, None)
    baseline = cache.Watcher(lambda p: None, md5_hex(u"v1"))
    it.watchers = [plain, baseline]
    assert it.due_watchers() == []  # not known yet: nobody is due
    it.initializing = False
    assert it.due_watchers() == [baseline]  # absent on the server, differs from the caller's content
    assert it.due_watchers() == []
    assert it.set_content(u"v1") is True
    assert it.due_watchers() == [plain, baseline]
    assert it.set_content(u"v1") is False
    assert it.due_watchers() == []
    it.set_content(None)
    assert it.due_watchers() == [plain, baseline]
    assert it.callback_params() == {"data_id": "d", "group": "g", "namespace": "", "raw_content": None,
                                    "content": None}


def test_failover_makes_an_item_ready():
    it = item()
    it.watchers = [cache.Watcher(lambda p: None, None)]
    it.using_failover = True
    it.set_content(u"local")
    assert len(it.due_watchers()) == 1


def test_remove_callback_first_or_all():
    def cb(p):
        pass

    def other(p):
        pass

    it = item()
    ws = [cache.Watcher(cb, None), cache.Watcher(other, None), cache.Watcher(cb, None)]
    it.watchers = list(ws)
    assert it.remove_callback(cb) == 1
    assert it.watchers == ws[1:] and not ws[0].active and ws[2].active
    it.watchers = list(ws)
    for w in ws:
        w.active = True
    assert it.remove_callback(cb, remove_all=True) == 2
    assert it.watchers == [ws[1]]
    assert it.remove_callback(lambda p: None) == 0
